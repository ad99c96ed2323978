// Filters of the condition language (`value | name(args)`): a whitelist, each a pure function.
import { Missing, ValueProblem, compileRegex, isMapping, needString, sizeOf as size, toText, truthy, typeName } from './values.js';

/** One filter: argument counts, whether it may receive a missing value, and the function. */
export interface FilterDef {
  min: number;
  max: number;
  acceptsMissing?: boolean;
  fn: (input: unknown, args: unknown[]) => unknown;
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return INT_RE.test(s) || FLOAT_RE.test(s) ? Number(s) : undefined;
}

/** Ansible's `bool` filter: booleans as they are, 'yes'/'no'/'true'/'false'/'on'/'off'/'1'/'0' and numbers converted, anything else refused. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['true', 'yes', 'on', '1', 'y'].includes(s)) return true;
    if (['false', 'no', 'off', '0', 'n', ''].includes(s)) return false;
  }
  throw new ValueProblem(`bool: cannot convert ${JSON.stringify(v)} to a boolean`);
}

function end(v: unknown, which: 'first' | 'last'): unknown {
  if (typeof v !== 'string' && !Array.isArray(v)) throw new ValueProblem(`${which} expects a list or string, got ${typeName(v)}`);
  if (v.length === 0) return new Missing('', `${which}: the ${typeof v === 'string' ? 'string' : 'list'} is empty`);
  return which === 'first' ? v[0] : v[v.length - 1];
}

function split(v: unknown, sep: unknown): string[] {
  const s = needString(v, 'split');
  if (sep === undefined) return s.trim() === '' ? [] : s.trim().split(/\s+/);
  if (typeof sep !== 'string' || sep === '') throw new ValueProblem('split: the separator must be a non-empty string');
  return s.split(sep);
}

function join(v: unknown, sep: unknown): string {
  if (!Array.isArray(v)) throw new ValueProblem(`join expects a list, got ${typeName(v)}`);
  return v.map(toText).join(sep === undefined ? '' : toText(sep));
}

function fromJson(v: unknown): unknown {
  try {
    return JSON.parse(needString(v, 'from_json'));
  } catch (e) {
    if (e instanceof ValueProblem) throw e;
    throw new ValueProblem(`from_json: invalid JSON (${(e as Error).message})`);
  }
}

function indentOf(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 10) throw new ValueProblem('indent must be a whole number from 0 to 10');
  return v;
}

/** Every filter, by name. */
export const FILTERS: Readonly<Record<string, FilterDef>> = {
  default: {
    min: 1,
    max: 2,
    acceptsMissing: true,
    fn: (v, [fallback, ifFalsy]) => (v instanceof Missing || v === null || (truthy(ifFalsy) && !truthy(v)) ? fallback : v),
  },
  int: { min: 0, max: 1, fn: (v, [d]) => { const n = toNumber(v); return n === undefined || !Number.isFinite(n) ? (d ?? 0) : Math.trunc(n); } },
  float: { min: 0, max: 1, fn: (v, [d]) => { const n = toNumber(v); return n === undefined ? (d ?? 0) : n; } },
  string: { min: 0, max: 0, fn: (v) => toText(v) },
  bool: { min: 0, max: 0, fn: (v) => toBool(v) },
  length: { min: 0, max: 0, fn: (v) => size(v) },
  lower: { min: 0, max: 0, fn: (v) => needString(v, 'lower').toLowerCase() },
  upper: { min: 0, max: 0, fn: (v) => needString(v, 'upper').toUpperCase() },
  trim: { min: 0, max: 0, fn: (v) => needString(v, 'trim').trim() },
  first: { min: 0, max: 0, fn: (v) => end(v, 'first') },
  last: { min: 0, max: 0, fn: (v) => end(v, 'last') },
  from_json: { min: 0, max: 0, fn: (v) => fromJson(v) },
  to_json: { min: 0, max: 1, fn: (v, [indent]) => JSON.stringify(v, null, indentOf(indent)) },
  regex_search: {
    min: 1,
    max: 1,
    fn: (v, [re]) => compileRegex(re, '', 'regex_search').exec(needString(v, 'regex_search'))?.[0] ?? null,
  },
  split: { min: 0, max: 1, fn: (v, [sep]) => split(v, sep) },
  join: { min: 0, max: 1, fn: (v, [sep]) => join(v, sep) },
};
