// Ansible's `random` filter: a random element of a list (or character of a string), or a random int in
// range(start, end, step); with `seed`, Python's random.Random(seed) (Mersenne Twister, seeded as CPython 3 does), so a
// seeded result is the one ansible-core gives.
import { createHash, randomInt } from 'node:crypto';
import type { CallableDef } from './callable.js';
import { typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

/** CPython's MT19937 with init_by_array seeding. */
class PyRandom {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(key: number[]) {
    const mt = this.mt;
    mt[0] = 19650218;
    for (let i = 1; i < 624; i++) mt[i] = (Math.imul(1812433253, (mt[i - 1] ?? 0) ^ ((mt[i - 1] ?? 0) >>> 30)) + i) >>> 0;
    let i = 1;
    let j = 0;
    for (let k = Math.max(624, key.length); k > 0; k--) {
      const prev = mt[i - 1] ?? 0;
      mt[i] = (((mt[i] ?? 0) ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + (key[j] ?? 0) + j) >>> 0;
      i++;
      j++;
      if (i >= 624) {
        mt[0] = mt[623] ?? 0;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = 623; k > 0; k--) {
      const prev = mt[i - 1] ?? 0;
      mt[i] = (((mt[i] ?? 0) ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= 624) {
        mt[0] = mt[623] ?? 0;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private next32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = ((mt[k] ?? 0) & 0x80000000) | ((mt[(k + 1) % 624] ?? 0) & 0x7fffffff);
        mt[k] = ((mt[(k + 397) % 624] ?? 0) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
      }
      this.index = 0;
    }
    let y = mt[this.index++] ?? 0;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random._randbelow(n) via getrandbits (n up to 2**32). */
  below(n: number): number {
    if (n > 2 ** 32) throw new ValueProblem('random: a seeded range wider than 2**32 is not supported');
    const k = n.toString(2).length;
    let r = this.next32() >>> (32 - k);
    while (r >= n) r = this.next32() >>> (32 - k);
    return r;
  }
}

/** The init_by_array key of random.seed(a) for an int or (version 2) a string, as CPython 3 computes it. */
function seedKey(seed: unknown): number[] {
  let n: bigint;
  if (typeof seed === 'number' && Number.isInteger(seed)) n = BigInt(Math.abs(seed));
  else if (typeof seed === 'string') {
    const bytes = Buffer.from(seed, 'utf8');
    const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
    n = BigInt(`0x${all.toString('hex')}`);
  } else if (typeof seed === 'boolean') n = seed ? 1n : 0n;
  else throw new ValueProblem(`random: seed must be a string or an int, got ${typeName(seed)}`);
  const key: number[] = [];
  do {
    key.push(Number(n & 0xffffffffn));
    n >>= 32n;
  } while (n > 0n);
  return key;
}

const below = (seed: unknown, n: number): number =>
  seed === undefined || seed === null ? randomInt(n) : new PyRandom(seedKey(seed)).below(n);

/** `end | random(start=0, step=1, seed=None)`, as ansible-core's filter. */
export const RANDOM_FILTER: CallableDef = {
  params: ['start', 'step', 'seed'],
  fn: (end, a) => {
    const { start, step, seed } = a.named;
    if (typeof end === 'number' && Number.isInteger(end)) {
      const s = start === undefined || start === null || start === 0 ? 0 : start;
      const st = step === undefined || step === null || step === 0 ? 1 : step;
      if (typeof s !== 'number' || !Number.isInteger(s) || typeof st !== 'number' || !Number.isInteger(st))
        throw new ValueProblem('random: start and step must be integers');
      const count = st > 0 ? Math.floor((end - s + st - 1) / st) : Math.floor((end - s + st + 1) / st);
      if (count <= 0) throw new ValueProblem(`random: empty range for randrange() (${s}, ${end}, ${st})`);
      return s + st * below(seed, count);
    }
    if (Array.isArray(end) || typeof end === 'string') {
      if (start || step) throw new ValueProblem('start and step can only be used with integer values');
      const items = Array.isArray(end) ? end : [...end];
      if (items.length === 0) throw new ValueProblem('random: cannot choose from an empty sequence');
      return items[below(seed, items.length)];
    }
    throw new ValueProblem('random can only be used on sequences and integers');
  },
};
