// Filters on types and data formats: default, int/float/bool/string, JSON and YAML in and out, ternary, mandatory.
import YAML from 'yaml';
import { flag, type BoundArgs, type CallableDef } from './callable.js';
import { pyJsonDumps, pyStr } from './python.js';
import { pyYamlDump } from './yaml-dump.js';
import { Missing, truthy, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

const PY_INT = /^\s*[+-]?\d(?:_?\d)*\s*$/;
const PY_FLOAT = /^\s*[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf|infinity|nan)\s*$/i;

/** Python's float(): numbers, booleans and numeric text (with `_`, inf, nan); undefined when it would raise. */
export function pyFloat(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string' || !PY_FLOAT.test(v)) return undefined;
  const s = v.trim().replace(/_/g, '').toLowerCase();
  if (/^[+-]?inf(inity)?$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(s)) return NaN;
  return Number(s);
}

/** Jinja's int filter: int(text, base), else int(float(value)), else the default. */
function toInt(v: unknown, a: BoundArgs): unknown {
  const base = a.named['base'] ?? 10;
  const fallback = a.named['default'] ?? 0;
  if (typeof v === 'string' && base !== 10) {
    const b = Number(base);
    const s = v
      .trim()
      .replace(/_/g, '')
      .toLowerCase()
      .replace(b === 16 ? /^([+-]?)0x/ : b === 8 ? /^([+-]?)0o/ : b === 2 ? /^([+-]?)0b/ : /^$/, '$1');
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
    if (s !== '' && [...s.replace(/^[+-]/, '')].every((c) => digits.includes(c))) return parseInt(s, b);
    return fallback;
  }
  if (typeof v === 'string' && PY_INT.test(v)) return Number(v.trim().replace(/_/g, ''));
  const f = pyFloat(v);
  if (f === undefined || Number.isNaN(f)) return fallback;
  if (!Number.isFinite(f)) throw new ValueProblem('int: cannot convert infinity to an integer');
  return Math.trunc(f) + 0;
}

/** Ansible's bool filter: yes/on/1/true (any case) and 1 are true, null stays null, everything else false. */
function toBool(v: unknown): boolean | null {
  if (typeof v === 'boolean' || v === null) return v;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true'].includes(v.toLowerCase());
  return v === 1;
}

function fromJson(v: unknown): unknown {
  if (typeof v !== 'string') throw new ValueProblem(`from_json expects a string, got ${typeName(v)}`);
  try {
    return JSON.parse(v);
  } catch (e) {
    throw new ValueProblem(`from_json: invalid JSON (${(e as Error).message})`);
  }
}

/** PyYAML's safe loading (YAML 1.1: yes/no/on/off are booleans). Non-strings pass through, as in Ansible. */
function fromYaml(v: unknown, all: boolean): unknown {
  if (typeof v !== 'string') return v;
  try {
    if (all) return YAML.parseAllDocuments(v, { version: '1.1' }).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
    return YAML.parse(v, { version: '1.1', maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new ValueProblem(`from_yaml: invalid YAML (${(e as Error).message.split('\n')[0] ?? ''})`);
  }
}

function indentOf(v: unknown, fallback?: number): number | undefined {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 16)
    throw new ValueProblem('indent must be a whole number from 0 to 16');
  return v;
}

/** Python's round(): half to even at exact halves; precision 0 gives a whole number. */
function round(v: unknown, a: BoundArgs): number {
  if (typeof v !== 'number' && typeof v !== 'boolean') throw new ValueProblem(`round expects a number, got ${typeName(v)}`);
  const n = Number(v);
  const p = Number(a.named['precision'] ?? 0);
  const method = a.named['method'] ?? 'common';
  const scale = 10 ** p;
  if (method === 'ceil') return Math.ceil(n * scale) / scale;
  if (method === 'floor') return Math.floor(n * scale) / scale;
  if (method !== 'common') throw new ValueProblem("round: method must be 'common', 'ceil' or 'floor'");
  if (!Number.isFinite(n)) return n;
  // Python rounds the exact binary value (2.675 is 2.67499...), ties to even: decide on its exact decimal digits.
  const exact = Math.abs(n).toFixed(Math.min(100, p + 30));
  const dot = exact.indexOf('.');
  const kept = exact.slice(0, dot + 1 + p).replace(/\.$/, '');
  const dropped = exact.slice(dot + 1 + p);
  const last = Number(kept.replace('.', '').at(-1) ?? 0);
  const up = dropped > `5${'0'.repeat(dropped.length - 1)}` || (dropped === `5${'0'.repeat(dropped.length - 1)}` && last % 2 === 1);
  const r = Number(kept) + (up ? 1 / scale : 0);
  return (n < 0 ? -1 : 1) * Number(r.toFixed(p)) + 0;
}

/** Python's type() names for `type_debug`. */
function typeDebug(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  return Array.isArray(v) ? 'list' : 'dict';
}

/** Data filters, by name. */
export const DATA_FILTERS: Readonly<Record<string, CallableDef>> = {
  default: {
    params: ['default_value', 'boolean'],
    acceptsMissing: true,
    fn: (v, a) =>
      v instanceof Missing || (truthy(a.named['boolean'] ?? false) && !truthy(v))
        ? Object.hasOwn(a.named, 'default_value')
          ? a.named['default_value']
          : ''
        : v,
  },
  int: { params: ['default', 'base'], fn: toInt },
  float: { params: ['default'], fn: (v, a) => pyFloat(v) ?? (Object.hasOwn(a.named, 'default') ? a.named['default'] : 0) },
  bool: { fn: toBool },
  string: { fn: (v) => pyStr(v) },
  abs: {
    fn: (v) => {
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new ValueProblem(`abs expects a number, got ${typeName(v)}`);
      return Math.abs(Number(v));
    },
  },
  round: { params: ['precision', 'method'], fn: round },
  from_json: { fn: fromJson },
  to_json: {
    kwonly: ['indent', 'sort_keys', 'ensure_ascii'],
    fn: (v, a) =>
      pyJsonDumps(v, { indent: indentOf(a.named['indent']), sortKeys: flag(a, 'sort_keys'), ensureAscii: flag(a, 'ensure_ascii', true) }),
  },
  to_nice_json: {
    params: ['indent'],
    kwonly: ['sort_keys'],
    fn: (v, a) => pyJsonDumps(v, { indent: indentOf(a.named['indent'], 4), sortKeys: flag(a, 'sort_keys', true), separators: [',', ': '] }),
  },
  from_yaml: { fn: (v) => fromYaml(v, false) },
  from_yaml_all: { fn: (v) => fromYaml(v, true) },
  to_yaml: {
    kwonly: ['indent', 'default_flow_style', 'sort_keys', 'width'],
    fn: (v, a) =>
      pyYamlDump(v, {
        indent: indentOf(a.named['indent'], 2),
        flowLeaves: a.named['default_flow_style'] === undefined || a.named['default_flow_style'] === null,
        sortKeys: flag(a, 'sort_keys', true),
      }),
  },
  to_nice_yaml: {
    params: ['indent'],
    kwonly: ['sort_keys', 'width'],
    fn: (v, a) => pyYamlDump(v, { indent: indentOf(a.named['indent'], 4), flowLeaves: false, sortKeys: flag(a, 'sort_keys', true) }),
  },
  ternary: {
    params: ['true_val', 'false_val', 'none_val'],
    min: 2,
    fn: (v, a) =>
      v === null && a.named['none_val'] !== undefined && a.named['none_val'] !== null
        ? a.named['none_val']
        : truthy(v)
          ? a.named['true_val']
          : a.named['false_val'],
  },
  mandatory: {
    params: ['msg'],
    acceptsMissing: true,
    fn: (v, a) => {
      if (!(v instanceof Missing)) return v;
      throw new ValueProblem(
        a.named['msg'] !== undefined ? String(a.named['msg']) : `mandatory variable ${v.name ? `"${v.name}" ` : ''}is not defined`,
      );
    },
  },
  type_debug: { fn: typeDebug },
};
