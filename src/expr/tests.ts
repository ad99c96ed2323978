// Tests (`value is name(args)`, `value is not name`): Jinja's and Ansible's, a whitelist. Type tests on an
// undefined value are false (as in Jinja); the others need a value.
import type { CallableDef } from './callable.js';
import { flag } from './callable.js';
import { contains } from './operators.js';
import { pyCompare, pyEqual, pyStr } from './python.js';
import { pyRegex } from './regex.js';
import { versionCompare } from './version.js';
import { Missing, isMapping, truthy, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

type TestDef = CallableDef<boolean>;

/** A result test needs a registered task result (a mapping), as Ansible's do. */
function result(v: unknown, test: string): Record<string, unknown> {
  if (!isMapping(v)) throw new ValueProblem(`test "${test}" expects a registered task result (a mapping), got ${typeName(v)}`);
  return v;
}

/** Ansible's changed: the result's flag, or (for a loop's result without one) whether any item changed. */
function changed(v: unknown): boolean {
  const r = result(v, 'changed');
  if (Object.hasOwn(r, 'changed')) return truthy(r['changed']);
  const items = r['results'];
  return Array.isArray(items) && isMapping(items[0]) && items.some((i) => isMapping(i) && truthy(i['changed']));
}

const isNumber = (v: unknown): boolean => typeof v === 'number' || typeof v === 'boolean';

/** A type test: false for an undefined value. */
const typeTest = (fn: (v: unknown) => boolean): TestDef => ({ acceptsMissing: true, fn: (v) => !(v instanceof Missing) && fn(v) });

/** Ansible's regex tests: the value as text; match anchors at the start, search anywhere. */
function regexTest(kind: 'match' | 'search'): TestDef {
  return {
    params: ['pattern', 'ignorecase', 'multiline'],
    fn: (v, a) =>
      pyRegex(
        a.named['pattern'] ?? '',
        `test "${kind}"`,
        { ignorecase: flag(a, 'ignorecase'), multiline: flag(a, 'multiline') },
        kind === 'match' ? 'y' : '',
      ).test(pyStr(v)),
  };
}

const compare = (ok: (c: number) => boolean, op: string): TestDef => ({
  params: ['other'],
  min: 1,
  fn: (v, a) => ok(pyCompare(v, a.named['other'], op)),
});
const eq: TestDef = { params: ['other'], min: 1, fn: (v, a) => pyEqual(v, a.named['other']) };
const ne: TestDef = { params: ['other'], min: 1, fn: (v, a) => !pyEqual(v, a.named['other']) };
const lt = compare((c) => c < 0, '<');
const le = compare((c) => c <= 0, '<=');
const gt = compare((c) => c > 0, '>');
const ge = compare((c) => c >= 0, '>=');

function set(v: unknown, who: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  throw new ValueProblem(`test "${who}" expects a list, got ${typeName(v)}`);
}

/**
 * `subset`/`issubset` (the value's elements are all in the argument, `superset`) or `superset`/`issuperset` (the
 * argument's elements, `subset`, are all in the value), by Python equality; NAME is what messages call it.
 */
function subsetTest(name: string, value: 'sub' | 'super'): TestDef {
  const param = value === 'sub' ? 'superset' : 'subset';
  return {
    params: [param],
    min: 1,
    fn: (v, a) => {
      // the container is read first (which of two bad values a message names)
      const big = set(value === 'sub' ? a.named[param] : v, name);
      const small = set(value === 'sub' ? v : a.named[param], name);
      return small.every((x) => big.some((y) => pyEqual(x, y)));
    },
  };
}

/** `truthy(convert_bool=true)`: Ansible's yes/on/1/true/y/t strings count as true; otherwise Python truthiness. */
function truthyTest(v: unknown, a: Parameters<TestDef['fn']>[1]): boolean {
  return flag(a, 'convert_bool') && typeof v === 'string' ? ['yes', 'on', '1', 'true', 'y', 't'].includes(v.toLowerCase()) : truthy(v);
}

const version: TestDef = {
  params: ['version', 'operator', 'strict', 'version_type'],
  min: 1,
  fn: (v, a) => versionCompare(v, a.named['version'], a.named['operator'] ?? 'eq', a.named['strict'], a.named['version_type']),
};

/** Every test, by name. */
export const TESTS: Readonly<Record<string, TestDef>> = {
  defined: { acceptsMissing: true, fn: (v) => !(v instanceof Missing) },
  undefined: { acceptsMissing: true, fn: (v) => v instanceof Missing },
  none: typeTest((v) => v === null),
  string: typeTest((v) => typeof v === 'string'),
  number: typeTest(isNumber),
  integer: typeTest((v) => typeof v === 'number' && Number.isInteger(v)),
  float: typeTest((v) => typeof v === 'number' && !Number.isInteger(v)),
  boolean: typeTest((v) => typeof v === 'boolean'),
  true: typeTest((v) => v === true),
  false: typeTest((v) => v === false),
  mapping: typeTest(isMapping),
  sequence: typeTest((v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)),
  iterable: { fn: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v) },
  callable: typeTest(() => false),
  lower: {
    fn: (v) => {
      const s = pyStr(v);
      return s.toLowerCase() === s && s.toUpperCase() !== s;
    },
  },
  upper: {
    fn: (v) => {
      const s = pyStr(v);
      return s.toUpperCase() === s && s.toLowerCase() !== s;
    },
  },
  odd: {
    fn: (v) => {
      if (!isNumber(v)) throw new ValueProblem(`test "odd" expects a number, got ${typeName(v)}`);
      return Math.abs(Number(v) % 2) === 1;
    },
  },
  even: {
    fn: (v) => {
      if (!isNumber(v)) throw new ValueProblem(`test "even" expects a number, got ${typeName(v)}`);
      return Number(v) % 2 === 0;
    },
  },
  divisibleby: { params: ['num'], min: 1, fn: (v, a) => Number(v) % Number(a.named['num']) === 0 },
  sameas: { params: ['other'], min: 1, fn: (v, a) => v === a.named['other'] && (v === null || typeof v !== 'object') },
  eq,
  equalto: eq,
  '==': eq,
  ne,
  '!=': ne,
  lt,
  lessthan: lt,
  '<': lt,
  le,
  '<=': le,
  gt,
  greaterthan: gt,
  '>': gt,
  ge,
  '>=': ge,
  in: { params: ['seq'], min: 1, fn: (v, a) => contains(a.named['seq'], v) },
  contains: { params: ['seq'], min: 1, fn: (v, a) => contains(v, a.named['seq']) },
  any: { fn: (v) => set(v, 'any').some(truthy) },
  all: { fn: (v) => set(v, 'all').every(truthy) },
  subset: subsetTest('subset', 'sub'),
  issubset: subsetTest('issubset', 'sub'),
  superset: subsetTest('superset', 'super'),
  issuperset: subsetTest('issuperset', 'super'),
  truthy: { params: ['convert_bool'], fn: (v, a) => truthyTest(v, a) },
  falsy: { params: ['convert_bool'], fn: (v, a) => !truthyTest(v, a) },
  match: regexTest('match'),
  search: regexTest('search'),
  regex: {
    params: ['pattern', 'ignorecase', 'multiline', 'match_type'],
    fn: (v, a) => {
      const type = a.named['match_type'] ?? 'search';
      if (type !== 'search' && type !== 'match' && type !== 'fullmatch')
        throw new ValueProblem(`test "regex": match_type must be search, match or fullmatch`);
      const re = pyRegex(
        type === 'fullmatch' ? `(?:${String(a.named['pattern'] ?? '')})$` : (a.named['pattern'] ?? ''),
        'test "regex"',
        { ignorecase: flag(a, 'ignorecase'), multiline: flag(a, 'multiline') },
        type === 'search' ? '' : 'y',
      );
      return re.test(pyStr(v));
    },
  },
  version,
  version_compare: version,
  failed: { fn: (v) => truthy(result(v, 'failed')['failed']) },
  failure: { fn: (v) => truthy(result(v, 'failure')['failed']) },
  succeeded: { fn: (v) => !truthy(result(v, 'succeeded')['failed']) },
  success: { fn: (v) => !truthy(result(v, 'success')['failed']) },
  successful: { fn: (v) => !truthy(result(v, 'successful')['failed']) },
  changed: { fn: changed },
  change: { fn: changed },
  skipped: { fn: (v) => truthy(result(v, 'skipped')['skipped']) },
  skip: { fn: (v) => truthy(result(v, 'skip')['skipped']) },
  unreachable: { fn: (v) => truthy(result(v, 'unreachable')['unreachable']) },
  reachable: { fn: (v) => !truthy(result(v, 'reachable')['unreachable']) },
  abs: { fn: (v) => pyStr(v).startsWith('/') },
  nan: { fn: (v) => typeof v === 'number' && Number.isNaN(v) },
};
