// Template helpers users may call, a whitelist: each takes positional values and returns a value.
import { posix } from 'node:path';
import YAML from 'yaml';
import {
  ABSENT,
  compareValues,
  deepEqual,
  isMapping,
  lookupOwn,
  needString,
  sizeOf as size,
  toText,
  truthy,
  typeName,
} from '../expr/values.js';
import { ValueProblem } from '../errors/value-problem.js';
import { quoteShellWords } from './quote.js';

/**
 * `{{bool x}}`: booleans as they are; 'yes'/'no'/'true'/'false'/'on'/'off'/'1'/'0'/'y'/'n' and numbers converted;
 * anything else refused (stricter than Ansible's `| bool` filter, which makes any other text false).
 */
function strictBool(v: unknown): boolean {
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

/** One helper: how many positional arguments it takes, and the function. */
export interface HelperDef {
  min: number;
  max: number;
  /** The first argument may be undefined (only `default`). */
  acceptsUndefined?: boolean;
  fn: (args: unknown[]) => unknown;
}

function list(v: unknown, who: string): unknown[] {
  if (!Array.isArray(v)) throw new ValueProblem(`${who} expects a list, got ${typeName(v)}`);
  return v;
}

function end(v: unknown, which: 'first' | 'last'): unknown {
  if (typeof v !== 'string' && !Array.isArray(v)) throw new ValueProblem(`${which} expects a list or string, got ${typeName(v)}`);
  return which === 'first' ? v[0] : v[v.length - 1];
}

function indent(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 10)
    throw new ValueProblem('json: indent must be a whole number from 0 to 10');
  return v;
}

function b64decode(v: unknown): string {
  const s = needString(v, 'b64decode').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) throw new ValueProblem('b64decode: not valid base64');
  return Buffer.from(s, 'base64').toString('utf8');
}

/** Python-style replacement text: \1 or \g<name> insert groups, everything else is literal. */
function regexReplace(v: unknown, pattern: unknown, replacement: unknown): string {
  const s = needString(v, 'regex_replace');
  const repl = needString(replacement, 'regex_replace replacement');
  let re: RegExp;
  try {
    re = new RegExp(needString(pattern, 'regex_replace pattern'), 'g');
  } catch (e) {
    throw new ValueProblem(`regex_replace: invalid regular expression (${(e as Error).message})`);
  }
  return s.replace(re, (...m: unknown[]) => {
    const groups = m.at(-1);
    return repl.replace(/\\(\d{1,2})|\\g<(\w+)>/g, (_all, n?: string, name?: string) => {
      const g = n !== undefined ? m[Number(n)] : isMapping(groups) && name ? groups[name] : undefined;
      return typeof g === 'string' ? g : '';
    });
  });
}

function lookup(obj: unknown, key: unknown): unknown {
  if (typeof key !== 'string' && typeof key !== 'number')
    throw new ValueProblem(`lookup: the key must be a string or number, got ${typeName(key)}`);
  const v = lookupOwn(obj, key);
  return v === ABSENT ? undefined : v;
}

const compare = (test: (n: number) => boolean): HelperDef => ({ min: 2, max: 2, fn: ([a, b]) => test(compareValues(a, b)) });

/** Every helper, by name. */
export const HELPERS: Readonly<Record<string, HelperDef>> = {
  q: { min: 1, max: 1, fn: ([v]) => quoteShellWords(v) },
  default: { min: 2, max: 2, acceptsUndefined: true, fn: ([v, d]) => (v === undefined || v === null ? d : v) },
  json: { min: 1, max: 2, fn: ([v, n]) => JSON.stringify(v, null, indent(n)) },
  yaml: { min: 1, max: 1, fn: ([v]) => YAML.stringify(v).replace(/\n$/, '') },
  eq: { min: 2, max: 2, fn: ([a, b]) => deepEqual(a, b) },
  ne: { min: 2, max: 2, fn: ([a, b]) => !deepEqual(a, b) },
  lt: compare((n) => n < 0),
  le: compare((n) => n <= 0),
  gt: compare((n) => n > 0),
  ge: compare((n) => n >= 0),
  and: { min: 2, max: 10, fn: (args) => args.every(truthy) },
  or: { min: 2, max: 10, fn: (args) => args.some(truthy) },
  not: { min: 1, max: 1, fn: ([v]) => !truthy(v) },
  bool: { min: 1, max: 1, fn: ([v]) => strictBool(v) },
  join: {
    min: 1,
    max: 2,
    fn: ([l, sep]) =>
      list(l, 'join')
        .map(toText)
        .join(sep === undefined ? '' : toText(sep)),
  },
  split: { min: 2, max: 2, fn: ([s, sep]) => needString(s, 'split').split(needString(sep, 'split separator')) },
  basename: { min: 1, max: 1, fn: ([p]) => posix.basename(needString(p, 'basename')) },
  dirname: { min: 1, max: 1, fn: ([p]) => posix.dirname(needString(p, 'dirname')) },
  upper: { min: 1, max: 1, fn: ([s]) => needString(s, 'upper').toUpperCase() },
  lower: { min: 1, max: 1, fn: ([s]) => needString(s, 'lower').toLowerCase() },
  trim: { min: 1, max: 1, fn: ([s]) => needString(s, 'trim').trim() },
  replace: {
    min: 3,
    max: 3,
    fn: ([s, a, b]) => {
      const to = needString(b, 'replace');
      return needString(s, 'replace').replaceAll(needString(a, 'replace'), () => to);
    },
  },
  regex_replace: { min: 3, max: 3, fn: ([s, re, r]) => regexReplace(s, re, r) },
  b64encode: { min: 1, max: 1, fn: ([s]) => Buffer.from(needString(s, 'b64encode'), 'utf8').toString('base64') },
  b64decode: { min: 1, max: 1, fn: ([s]) => b64decode(s) },
  length: { min: 1, max: 1, fn: ([v]) => size(v) },
  first: { min: 1, max: 1, fn: ([v]) => end(v, 'first') },
  last: { min: 1, max: 1, fn: ([v]) => end(v, 'last') },
  difference: {
    min: 2,
    max: 2,
    fn: ([a, b]) => {
      const drop = list(b, 'difference');
      return list(a, 'difference').filter((x) => !drop.some((y) => deepEqual(x, y)));
    },
  },
  keys: {
    min: 1,
    max: 1,
    fn: ([v]) => {
      if (!isMapping(v)) throw new ValueProblem(`keys expects a mapping, got ${typeName(v)}`);
      return Object.keys(v);
    },
  },
  lookup: { min: 2, max: 2, fn: ([o, k]) => lookup(o, k) },
  pad: { min: 2, max: 2, fn: ([v, w]) => padNumber(v, w) },
  dict: { min: 2, max: 40, fn: (args) => dict(args) },
};

/** Zero-pads a whole number to a width (etcd-backup-restore names use %08d revisions). */
function padNumber(v: unknown, width: unknown): string {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? v : typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : undefined;
  if (n === undefined) throw new ValueProblem(`pad expects a whole number, got ${typeName(v)}`);
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1 || width > 40)
    throw new ValueProblem('pad: the width must be a whole number from 1 to 40');
  return n.padStart(width, '0');
}

/** A mapping from key/value pairs: {{json (dict "a" 1 "b" x)}}. */
function dict(args: unknown[]): Record<string, unknown> {
  if (args.length % 2 !== 0) throw new ValueProblem('dict takes key/value pairs (an even number of arguments)');
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < args.length; i += 2) out[needString(args[i], 'dict key')] = args[i + 1];
  return out;
}

/** Block helpers (built into Handlebars) users may open with `{{#name x}}`. */
export const BLOCK_HELPERS: ReadonlySet<string> = new Set(['if', 'unless', 'each', 'with']);
