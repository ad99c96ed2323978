import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { encodeDelta, groupByRevision, parseDelta, readDelta, writeDelta, type DeltaEvent } from '../../../src/store/delta.js';
import { StoreError } from '../../../src/errors/store-error.js';
import type { Compression } from '../../../src/store/names.js';

const events: DeltaEvent[] = [
  {
    type: 'put',
    key: Buffer.from('/registry/a'),
    value: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xfe, 0x80]),
    modRevision: 11,
    createRevision: 11,
    version: 1,
    lease: '0',
    time: '2023-03-28T08:11:14.123456789Z',
  },
  {
    type: 'put',
    key: Buffer.from([0x00, 0xc3, 0x28, 0xff]),
    value: Buffer.alloc(0),
    modRevision: 11,
    createRevision: 5,
    version: 3,
    lease: '7587869139282493198',
    time: '2023-03-28T08:11:14Z',
  },
  {
    type: 'delete',
    key: Buffer.from('/registry/b'),
    modRevision: 12,
    createRevision: 0,
    version: 0,
    lease: '0',
    time: '2023-03-28T08:11:15Z',
  },
  {
    type: 'put',
    key: Buffer.from('/registry/c'),
    value: Buffer.from('x'),
    modRevision: 14,
    createRevision: 14,
    version: 1,
    lease: '0',
    time: '2023-03-28T08:11:16Z',
  },
];

const stream = (b: Buffer): Readable => Readable.from([b]);

for (const c of ['none', 'gzip', 'zlib', 'lzw'] as Compression[]) {
  test(`delta round trip (${c}): binary keys and values, NULs, non-UTF-8, int64 lease ids`, async () => {
    const back = await readDelta(stream(await writeDelta(events, c)), 'Incr-00000011-00000014-1700000000', c);
    assert.equal(back.length, events.length);
    back.forEach((e, i) => {
      const want = events[i];
      assert.ok(want);
      assert.ok(e.key.equals(want.key), `key ${i}`);
      assert.equal(e.value === undefined, want.value === undefined, `value presence ${i}`);
      if (want.value) assert.ok(e.value?.equals(want.value), `value ${i}`);
      assert.deepEqual(
        [e.type, e.modRevision, e.createRevision, e.version, e.lease, e.time],
        [want.type, want.modRevision, want.createRevision, want.version, want.lease, want.time],
      );
    });
  });
}

test('reads the JSON etcdbrctl writes (Go encoding/json of clientv3.Event, zero fields omitted)', () => {
  const json = JSON.stringify([
    {
      etcdEvent: {
        kv: {
          key: Buffer.from('/k').toString('base64'),
          create_revision: 7,
          mod_revision: 7,
          version: 1,
          value: Buffer.from([0, 1, 2]).toString('base64'),
        },
      },
      time: '2023-03-28T08:11:14.5Z',
    },
    { etcdEvent: { type: 1, kv: { key: Buffer.from('/k').toString('base64'), mod_revision: 8 } }, time: '2023-03-28T08:11:15Z' },
  ]);
  const data = Buffer.concat([Buffer.from(json), createHash('sha256').update(json).digest()]);
  const ev = parseDelta(data, 'Incr-00000007-00000008-1700000000');
  assert.deepEqual(
    ev.map((e) => [e.type, e.key.toString(), e.modRevision, e.createRevision, e.version, e.lease]),
    [
      ['put', '/k', 7, 7, 1, '0'],
      ['delete', '/k', 8, 0, 0, '0'],
    ],
  );
  assert.deepEqual(ev[0]?.value, Buffer.from([0, 1, 2]));
  assert.equal(ev[1]?.value, undefined);
});

test('our encoding has the same shape (type only for DELETE, zero fields omitted)', () => {
  const data = encodeDelta([events[2] as DeltaEvent]);
  const json = data.subarray(0, data.length - 32).toString();
  assert.equal(
    json,
    `[{"etcdEvent":{"type":1,"kv":{"key":"${Buffer.from('/registry/b').toString('base64')}","mod_revision":12}},"time":"2023-03-28T08:11:15Z"}]`,
  );
  assert.ok(createHash('sha256').update(json).digest().equals(data.subarray(-32)));
});

test('a wrong digest is an integrity error naming the object', async () => {
  const data = encodeDelta(events);
  data[5] = data[5] === 0x41 ? 0x42 : 0x41; // one byte of the JSON changed
  await assert.rejects(readDelta(stream(data), 'Incr-00000011-00000014-1700000000', 'none'), (e: unknown) => {
    assert.ok(e instanceof StoreError);
    assert.equal(e.code, 'integrity');
    assert.equal(
      e.message,
      'delta Incr-00000011-00000014-1700000000 is corrupt: the SHA-256 of its events does not match the digest stored in it',
    );
    return true;
  });
  assert.throws(() => parseDelta(Buffer.from('[]'), 'x'), /delta x is too short/);
});

test('a compressed delta that does not decompress, or is not JSON, is a clear error', async () => {
  await assert.rejects(readDelta(stream(encodeDelta(events)), 'Incr-1.gz', 'gzip'), /delta Incr-1\.gz cannot be decompressed \(gzip\)/);
  const notJson = Buffer.from('{oops');
  const data = Buffer.concat([notJson, createHash('sha256').update(notJson).digest()]);
  assert.throws(() => parseDelta(data, 'd'), /delta d does not hold valid JSON/);
  await assert.rejects(readDelta(stream(encodeDelta(events)), 'big', 'none', 100), /larger than 100 bytes/);
});

test('groupByRevision: consecutive events with the same mod_revision form one group', () => {
  const g = groupByRevision(events);
  assert.deepEqual(
    g.map((x) => [x.revision, x.events.length]),
    [
      [11, 2],
      [12, 1],
      [14, 1],
    ],
  );
  assert.deepEqual(groupByRevision([]), []);
});
