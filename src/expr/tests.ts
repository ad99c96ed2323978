// Tests of the condition language (`value is name(args)`, `value is not name`): a whitelist.
import { Missing, ValueProblem, compileRegex, isMapping, needString, truthy, typeName } from './values.js';

/** One test: argument counts, whether it may receive a missing value, and the predicate. */
export interface TestDef {
  min: number;
  max: number;
  acceptsMissing?: boolean;
  fn: (input: unknown, args: unknown[]) => boolean;
}

/** Reads a flag of a registered task result ({failed, changed, skipped, rc, ...}). */
function resultFlag(v: unknown, flag: 'failed' | 'changed' | 'skipped', test: string): boolean {
  if (!isMapping(v)) throw new ValueProblem(`test "${test}" expects a registered task result (a mapping), got ${typeName(v)}`);
  return truthy(v[flag]);
}

/** Every test, by name. */
export const TESTS: Readonly<Record<string, TestDef>> = {
  defined: { min: 0, max: 0, acceptsMissing: true, fn: (v) => !(v instanceof Missing) },
  undefined: { min: 0, max: 0, acceptsMissing: true, fn: (v) => v instanceof Missing },
  none: { min: 0, max: 0, fn: (v) => v === null },
  string: { min: 0, max: 0, fn: (v) => typeof v === 'string' },
  number: { min: 0, max: 0, fn: (v) => typeof v === 'number' },
  boolean: { min: 0, max: 0, fn: (v) => typeof v === 'boolean' },
  mapping: { min: 0, max: 0, fn: (v) => isMapping(v) },
  sequence: { min: 0, max: 0, fn: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v) },
  failed: { min: 0, max: 0, fn: (v) => resultFlag(v, 'failed', 'failed') },
  succeeded: { min: 0, max: 0, fn: (v) => !resultFlag(v, 'failed', 'succeeded') },
  success: { min: 0, max: 0, fn: (v) => !resultFlag(v, 'failed', 'success') },
  changed: { min: 0, max: 0, fn: (v) => resultFlag(v, 'changed', 'changed') },
  skipped: { min: 0, max: 0, fn: (v) => resultFlag(v, 'skipped', 'skipped') },
  match: { min: 1, max: 1, fn: (v, [re]) => compileRegex(re, 'y', 'match').test(needString(v, 'test "match"')) },
  search: { min: 1, max: 1, fn: (v, [re]) => compileRegex(re, '', 'search').test(needString(v, 'test "search"')) },
};
