import { createHash } from 'node:crypto';
import { b64, gatewayOk } from './etcd-gateway.js';
import { members, sentinelKey, type Member } from './topology.js';

/** One key-value pair, bytes exactly as stored in etcd. */
export type KeyValue = [key: Buffer, value: Buffer];

interface RangeReply {
  kvs?: { key: string; value?: string }[];
  header?: { revision?: string };
}

const firstMember = (): Member => {
  const m = members[0];
  if (!m) throw new Error('lab topology has no members');
  return m;
};

/** A protobuf-like value as Kubernetes stores it: `k8s\0` magic, then bytes including \0 and non-UTF-8 (deterministic). */
export function k8sValue(kind: string, name: string): Buffer {
  const body = Buffer.from(`\n\x0fapiVersion:v1\x12\x05${kind}\x1a${name}`, 'latin1');
  return Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    body,
    Buffer.from([0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28]),
    createHash('sha256').update(name).digest().subarray(0, 16),
  ]);
}

/** The keys seedData() writes: namespaces, pods, services, secrets, configmaps in a few namespaces. */
export function seedKeys(): string[] {
  const namespaces = ['default', 'kube-system', 'kpanda-system', 'team-a', 'team-b'];
  const keys = namespaces.map((ns) => `/registry/namespaces/${ns}`);
  for (const ns of namespaces) {
    for (let i = 0; i < 20; i++) keys.push(`/registry/pods/${ns}/app-${i}-7d9f8c6b5-x${i}q`);
    for (let i = 0; i < 8; i++) keys.push(`/registry/services/specs/${ns}/svc-${i}`);
    for (let i = 0; i < 8; i++) keys.push(`/registry/secrets/${ns}/secret-${i}`);
    for (let i = 0; i < 10; i++) keys.push(`/registry/configmaps/${ns}/cm-${i}`);
  }
  return keys;
}

/** Writes one key (binary-safe through the JSON gateway's base64). */
export async function putKey(key: Buffer | string, value: Buffer | string, m: Member = firstMember()): Promise<void> {
  await gatewayOk(m, '/v3/kv/put', { key: b64(key), value: b64(value) });
}

/** Writes the seed data set (~235 keys plus the sentinel) and returns how many keys it wrote. */
export async function seedData(m: Member = firstMember()): Promise<number> {
  const keys = seedKeys();
  for (let i = 0; i < keys.length; i += 32) {
    await Promise.all(keys.slice(i, i + 32).map((k) => putKey(k, k8sValue(k.split('/')[2] ?? 'Unknown', k), m)));
  }
  await putKey(sentinelKey, k8sValue('Sentinel', sentinelKey), m);
  return keys.length + 1;
}

/** Every key of a member's own copy (serializable read), sorted by key bytes, for bit-for-bit comparisons. */
export async function dumpAll(m: Member = firstMember(), prefix?: string): Promise<KeyValue[]> {
  const range = prefix === undefined ? { key: b64('\0'), range_end: b64('\0') } : { key: b64(prefix), range_end: b64(prefixEnd(prefix)) };
  const reply = (await gatewayOk(m, '/v3/kv/range', { ...range, serializable: true })) as RangeReply;
  const kvs: KeyValue[] = (reply.kvs ?? []).map((kv) => [Buffer.from(kv.key, 'base64'), Buffer.from(kv.value ?? '', 'base64')]);
  return kvs.sort((a, b) => Buffer.compare(a[0], b[0]));
}

/** Deletes every key under a prefix; returns how many were deleted. */
export async function deleteKeys(prefix: string, m: Member = firstMember()): Promise<number> {
  const reply = (await gatewayOk(m, '/v3/kv/deleterange', { key: b64(prefix), range_end: b64(prefixEnd(prefix)) })) as { deleted?: string };
  return Number(reply.deleted ?? 0);
}

/** The cluster's current revision as seen by a member. */
export async function revision(m: Member = firstMember()): Promise<number> {
  const reply = (await gatewayOk(m, '/v3/kv/range', { key: b64(sentinelKey), count_only: true })) as RangeReply;
  return Number(reply.header?.revision ?? 0);
}

/** The value of one key, or undefined when it is absent. */
export async function getKey(key: Buffer | string, m: Member = firstMember()): Promise<Buffer | undefined> {
  const reply = (await gatewayOk(m, '/v3/kv/range', { key: b64(key) })) as RangeReply;
  const v = reply.kvs?.[0];
  return v ? Buffer.from(v.value ?? '', 'base64') : undefined;
}

/** etcd's "range end" for a prefix: the prefix with its last byte incremented. */
function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] ?? 0) < 0xff) {
      end[i] = (end[i] ?? 0) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from('\0');
}
