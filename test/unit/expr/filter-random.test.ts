import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RANDOM_FILTER } from '../../../src/expr/filter-random.js';
import type { CallContext } from '../../../src/expr/callable.js';

const call = (v: unknown, named: Record<string, unknown>) => RANDOM_FILTER.fn(v, { named, rest: [], ctx: {} as CallContext });

test('seeded random gives what Python Random(seed) gives (values from CPython 3.11)', () => {
  assert.equal(call(['a', 'b', 'c', 'd', 'e'], { seed: 'h1' }), 'e');
  assert.equal(call(100, { seed: 42 }), 81);
  assert.equal(call(1000, { start: 10, step: 7, seed: 'web-01' }), 633);
  assert.equal(call([...new Array(37).keys()], { seed: 2 ** 40 + 5 }), 32);
  assert.equal(call('hello', { seed: 'x' }), 'l');
  assert.equal(call(0, { start: 50, step: -4, seed: -3 }), 38);
});

test('unseeded random stays in range; misuse is refused as Ansible refuses it', () => {
  for (let i = 0; i < 50; i++) {
    const n = call(20, { start: 5, step: 5 }) as number;
    assert.ok([5, 10, 15].includes(n), String(n));
  }
  assert.throws(() => call([1, 2], { start: 1 }), /start and step can only be used with integer values/);
  assert.throws(() => call(1.5, {}), /random can only be used on sequences and integers/);
  assert.throws(() => call(0, {}), /empty range/);
});
