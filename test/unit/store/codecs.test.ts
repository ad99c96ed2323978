import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { compressor, decompressor } from '../../../src/store/codecs.js';
import { lzwDecoder } from '../../../src/store/lzw.js';
import { lzwEncoder } from '../../../src/store/lzw-encode.js';
import type { Compression } from '../../../src/store/names.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Streams `data` through `t` in chunks of `size` bytes (1 exercises every boundary). */
async function through(t: NodeJS.ReadWriteStream, data: Buffer, size = 65536): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
  return buffer(Readable.from(chunks).pipe(t));
}

/** Compressible but not trivial: etcd-like keys, NULs, non-UTF-8 bytes and random runs. */
function sample(n: number): Buffer {
  const parts: Buffer[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const b = i % 5 === 0 ? randomBytes(40) : Buffer.from(`/registry/pods/kube-system/etcd-${i % 300}\0\xff\xfe`, 'latin1');
    parts.push(b);
    len += b.length;
  }
  return Buffer.concat(parts).subarray(0, n);
}

for (const c of ['none', 'gzip', 'zlib', 'lzw'] as Compression[]) {
  test(`${c}: round trip of binary data, empty input and odd chunking`, async () => {
    for (const data of [Buffer.alloc(0), Buffer.from([0]), sample(300_000), randomBytes(200_000)]) {
      const packed = await through(compressor(c), data);
      assert.equal(sha(await through(decompressor(c), packed, 7)), sha(data), `${c} ${data.length} bytes`);
    }
  });
}

test('.Z: decodes a known vector (TOBEORNOT..., made by ncompress)', async () => {
  const z = Buffer.from('1f9d90549e0829f2448a932754020e2ca890a04184', 'hex');
  assert.equal((await through(lzwDecoder(), z, 1)).toString(), 'TOBEORNOTTOBEORTOBEORNOT');
  assert.deepEqual(await through(lzwEncoder(), Buffer.from('TOBEORNOTTOBEORTOBEORNOT')), z);
  // 40 × "a": the KwKwK case (a code used in the step that defines it).
  const a = Buffer.from('1f9d9061020a1c48b0a0c1830301', 'hex');
  assert.equal((await through(lzwDecoder(), a, 1)).toString(), 'a'.repeat(40));
});

test('.Z: width growth and table clears survive byte-at-a-time input', async () => {
  // Random data fills the 16-bit table several times, so the stream has CLEAR codes and every width 9..16.
  const data = randomBytes(600_000);
  const packed = await through(lzwEncoder(), data);
  assert.equal(sha(await through(lzwDecoder(), packed, 1)), sha(data));
  const small = await through(lzwEncoder(9), data.subarray(0, 50_000));
  assert.equal(small[2], 0x80 | 9);
  assert.equal(sha(await through(lzwDecoder(), small, 3)), sha(data.subarray(0, 50_000)));
});

test('.Z: corrupt or foreign input is a clear error', async () => {
  await assert.rejects(through(lzwDecoder(), Buffer.from('1f8b0800', 'hex')), /invalid \.Z \(compress\) data: bad magic number/);
  await assert.rejects(through(lzwDecoder(), Buffer.from('1f9d', 'hex')), /truncated header/);
  await assert.rejects(through(lzwDecoder(), Buffer.from('1f9d90ffff', 'hex')), /invalid \.Z/);
  await assert.rejects(through(lzwDecoder(), Buffer.from('1f9d91', 'hex')), /unsupported max bits 17/);
});

test('.Z: files made by the real compress(1) decode (ncompress installed)', {
  skip: has('compress') ? false : 'ncompress is not installed',
}, async () => {
  // compress(1) clears its table when the ratio drops: runs of very different data make it do so several times.
  const text = Buffer.from(Array.from({ length: 50_000 }, (_, i) => `/registry/k${i % 5000}\0`).join(''));
  const shifting = Buffer.concat([Buffer.alloc(500_000, 'a'), randomBytes(500_000), text, randomBytes(300_000)]);
  for (const data of [shifting, sample(2_000_000), randomBytes(300_000), Buffer.alloc(1_000_000)]) {
    const r = spawnSync('compress', ['-c'], { input: data, maxBuffer: 1 << 30 });
    assert.ok(r.status === 0 || r.status === 2, `compress exit ${String(r.status)}`); // 2: output not smaller
    assert.equal(sha(await through(lzwDecoder(), r.stdout, 4093)), sha(data));
  }
});

test('.Z: our encoder output is read by the real decoders (gzip -d, and uncompress when installed)', {
  skip: has('gzip') ? false : 'gzip is not installed',
}, async () => {
  const data = Buffer.concat([sample(1_500_000), randomBytes(300_000)]);
  const packed = await through(lzwEncoder(), data);
  assert.equal(sha(spawnSync('gzip', ['-dc'], { input: packed, maxBuffer: 1 << 30 }).stdout), sha(data));
  if (has('compress')) assert.equal(sha(spawnSync('compress', ['-dc'], { input: packed, maxBuffer: 1 << 30 }).stdout), sha(data));
});

test('gzip and zlib objects from the system tools decode', { skip: has('gzip') ? false : 'gzip is not installed' }, async () => {
  const data = sample(500_000);
  const gz = spawnSync('gzip', ['-c'], { input: data, maxBuffer: 1 << 30 }).stdout;
  assert.equal(sha(await through(decompressor('gzip'), gz, 999)), sha(data));
});
