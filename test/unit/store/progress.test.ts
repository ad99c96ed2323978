import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatProgress, HashTap, type TransferProgress } from '../../../src/store/progress.js';

// Issue 18 item 8: transfer progress has a total, a percentage and the time left (shown at default verbosity).
test('progress lines show the total, the percentage and the time left when the size is known', () => {
  const MiB = 1024 * 1024;
  assert.equal(
    formatProgress({ bytes: 300 * MiB, bytesPerSecond: 100 * MiB, done: false, total: 1000 * MiB }),
    '300 MiB of 1000 MiB (30%)  100 MiB/s  about 7s left',
  );
  assert.equal(
    formatProgress({ bytes: 100 * MiB, bytesPerSecond: 1 * MiB, done: false, total: 1000 * MiB }),
    '100 MiB of 1000 MiB (10%)  1.0 MiB/s  about 15m00s left',
  );
  assert.equal(
    formatProgress({ bytes: 1000 * MiB, bytesPerSecond: 100 * MiB, done: true, total: 1000 * MiB }),
    '1000 MiB of 1000 MiB (100%)  100 MiB/s  done',
  );
  assert.equal(formatProgress({ bytes: 5 * MiB, bytesPerSecond: 5 * MiB, done: false }), '5.0 MiB  5.0 MiB/s');
});

test('HashTap reports the total it was given', async () => {
  const seen: TransferProgress[] = [];
  const tap = new HashTap({ total: 6, intervalMs: 0, onProgress: (p) => seen.push(p) });
  await pipeline(Readable.from([Buffer.from('abc'), Buffer.from('def')]), tap, new Writable({ write: (_c, _e, cb) => cb() }));
  assert.deepEqual(
    seen.map((p) => [p.bytes, p.total, p.done]),
    [
      [3, 6, false],
      [6, 6, false],
      [6, 6, true],
    ],
  );
});
