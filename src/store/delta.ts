import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { compressor, decompressor } from './codecs.js';
import { StoreError } from '../errors/store-error.js';
import type { Compression } from './names.js';

/** One etcd event of a delta snapshot; keys and values are raw bytes (Kubernetes stores protobuf). */
export interface DeltaEvent {
  type: 'put' | 'delete';
  key: Buffer;
  value?: Buffer | undefined;
  modRevision: number;
  createRevision: number;
  version: number;
  /** Lease id as decimal text (int64 does not fit a JS number); "0" when none. Leases are not restored. */
  lease: string;
  /** When etcdbrctl saw the event (RFC 3339), if recorded. */
  time?: string | undefined;
}

/** Events that share one mod_revision: replayed as one transaction so each original revision becomes one new revision. */
export interface RevisionGroup {
  revision: number;
  events: DeltaEvent[];
}

const DIGEST = 32;
/** Go's zero time.Time as encoding/json writes it (events without a recorded time). */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
/** Deltas are read whole (etcdbrctl keeps them small); this caps what a broken object can make us buffer. */
export const MAX_DELTA_BYTES = 1024 * 1024 * 1024;

/** Reads, decompresses and verifies one delta object; a wrong digest is an integrity StoreError naming it. */
export async function readDelta(body: Readable, name: string, compression: Compression, maxBytes = MAX_DELTA_BYTES): Promise<DeltaEvent[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      size += chunk.length;
      if (size > maxBytes) return cb(new StoreError('invalid', `delta ${name} is larger than ${maxBytes} bytes once decompressed`));
      chunks.push(chunk);
      cb();
    },
  });
  try {
    await pipeline(body, decompressor(compression), sink);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(
      'integrity',
      `delta ${name} cannot be decompressed (${compression}): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return parseDelta(Buffer.concat(chunks), name);
}

/** Verifies the trailing SHA-256 and parses the JSON array of events. */
export function parseDelta(data: Buffer, name: string): DeltaEvent[] {
  if (data.length < DIGEST + 2)
    throw new StoreError('integrity', `delta ${name} is too short to hold events and a SHA-256 digest (${data.length} bytes)`);
  const json = data.subarray(0, data.length - DIGEST);
  const digest = data.subarray(data.length - DIGEST);
  if (!createHash('sha256').update(json).digest().equals(digest)) {
    throw new StoreError('integrity', `delta ${name} is corrupt: the SHA-256 of its events does not match the digest stored in it`);
  }
  // int64 fields beyond 2^53 (lease ids) are quoted before JSON.parse so no digit is lost.
  const text = json.toString('utf8').replace(/"(lease|create_revision|mod_revision|version)":(-?\d{16,})/g, '"$1":"$2"');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StoreError('integrity', `delta ${name} does not hold valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(raw)) throw new StoreError('integrity', `delta ${name} does not hold a JSON array of events`);
  return raw.map((el, i) => toEvent(el, `${name}[${i}]`));
}

function toEvent(el: unknown, where: string): DeltaEvent {
  const o = obj(el, where);
  const ev = obj(o['etcdEvent'], `${where}.etcdEvent`);
  const kv = obj(ev['kv'], `${where}.etcdEvent.kv`);
  const type = ev['type'] ?? 0;
  if (type !== 0 && type !== 1 && type !== 'PUT' && type !== 'DELETE') throw bad(where, `unknown event type ${JSON.stringify(type)}`);
  const del = type === 1 || type === 'DELETE';
  return {
    type: del ? 'delete' : 'put',
    key: bytes(kv['key'], `${where}.kv.key`),
    value: del ? undefined : bytes(kv['value'], `${where}.kv.value`),
    modRevision: int(kv['mod_revision'], `${where}.kv.mod_revision`),
    createRevision: int(kv['create_revision'], `${where}.kv.create_revision`),
    version: int(kv['version'], `${where}.kv.version`),
    lease: leaseText(kv['lease'], `${where}.kv.lease`),
    time: typeof o['time'] === 'string' ? o['time'] : undefined,
  };
}

const bad = (where: string, msg: string): StoreError => new StoreError('integrity', `delta event ${where}: ${msg}`);

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(where, 'expected an object');
  return v as Record<string, unknown>;
}

function bytes(v: unknown, where: string): Buffer {
  if (v === undefined || v === null) return Buffer.alloc(0);
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw bad(where, 'expected base64 text');
  return Buffer.from(v, 'base64');
}

function int(v: unknown, where: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw bad(where, `expected an integer, got ${JSON.stringify(v)}`);
  return n;
}

function leaseText(v: unknown, where: string): string {
  if (v === undefined || v === null) return '0';
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v;
  if (typeof s !== 'string' || !/^-?\d+$/.test(s)) throw bad(where, `expected an integer lease id, got ${JSON.stringify(v)}`);
  return s;
}

/** Serializes events the way etcdbrctl does (Go encoding/json of clientv3.Event, zero fields omitted) plus the SHA-256. */
export function encodeDelta(events: readonly DeltaEvent[]): Buffer {
  const json = Buffer.from(`[${events.map(eventJson).join(',')}]`, 'utf8');
  return Buffer.concat([json, createHash('sha256').update(json).digest()]);
}

function eventJson(e: DeltaEvent): string {
  if (!/^-?\d+$/.test(e.lease)) throw new RangeError(`lease must be decimal digits, got ${JSON.stringify(e.lease)}`);
  const kv: string[] = [];
  if (e.key.length) kv.push(`"key":${JSON.stringify(e.key.toString('base64'))}`);
  if (e.createRevision) kv.push(`"create_revision":${e.createRevision}`);
  if (e.modRevision) kv.push(`"mod_revision":${e.modRevision}`);
  if (e.version) kv.push(`"version":${e.version}`);
  if (e.value?.length) kv.push(`"value":${JSON.stringify(e.value.toString('base64'))}`);
  if (e.lease !== '0') kv.push(`"lease":${e.lease}`);
  const type = e.type === 'delete' ? '"type":1,' : '';
  return `{"etcdEvent":{${type}"kv":{${kv.join(',')}}},"time":${JSON.stringify(e.time ?? GO_ZERO_TIME)}}`;
}

/** A whole delta object: events, digest, then compression (for tests and for writing backups etcdbrctl can read). */
export async function writeDelta(events: readonly DeltaEvent[], compression: Compression): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const c = compressor(compression);
  c.on('data', (b: Buffer) => chunks.push(b));
  await new Promise<void>((resolve, reject) => {
    c.once('end', resolve);
    c.once('error', reject);
    c.end(encodeDelta(events));
  });
  return Buffer.concat(chunks);
}

/** Splits events into runs of the same mod_revision, in order (consecutive only, as the replay needs). */
export function groupByRevision(events: readonly DeltaEvent[]): RevisionGroup[] {
  const groups: RevisionGroup[] = [];
  for (const e of events) {
    const last = groups.at(-1);
    if (last && last.revision === e.modRevision) last.events.push(e);
    else groups.push({ revision: e.modRevision, events: [e] });
  }
  return groups;
}
