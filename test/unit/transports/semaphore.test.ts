import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Semaphore } from '../../../src/transports/semaphore.js';

test('never more than the limit in flight; queued work runs in FIFO order', async () => {
  const s = new Semaphore(3);
  let now = 0;
  let max = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      s.run(async () => {
        order.push(i);
        now++;
        max = Math.max(max, now);
        await sleep(5);
        now--;
      }),
    ),
  );
  assert.equal(max, 3);
  assert.equal(s.peak, 3);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(s.inFlight, 0);
});

test('a slot is released when the work throws, and release is idempotent', async () => {
  const s = new Semaphore(1);
  await assert.rejects(
    s.run(async () => Promise.reject(new Error('boom'))),
    /boom/,
  );
  const release = await s.acquire();
  release();
  release();
  assert.equal(s.inFlight, 0);
  const again = await s.acquire();
  assert.equal(s.inFlight, 1);
  again();
});

test('an aborted waiter leaves the queue without taking a slot', async () => {
  const s = new Semaphore(1);
  const hold = await s.acquire();
  const ac = new AbortController();
  const waiting = s.acquire(ac.signal);
  assert.equal(s.queued, 1);
  ac.abort(new Error('cancelled'));
  await assert.rejects(waiting, /cancelled/);
  assert.equal(s.queued, 0);
  hold();
  assert.equal(s.inFlight, 0);
  assert.throws(() => new Semaphore(0), RangeError);
});
