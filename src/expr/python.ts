// Python's value semantics, as Jinja (and so Ansible) applies them: equality where True == 1, ordering that
// refuses mixed types, str() and repr() for printing, and json.dumps' exact text (", " and ": ", ASCII only).
import { isMapping, isTuple, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

/** True for numbers and booleans (Python's bool is an int). */
const numeric = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';

/** Python `==`: numbers and booleans by value (True == 1), strings exactly, lists and mappings element by element. */
export function pyEqual(a: unknown, b: unknown): boolean {
  if (numeric(a) && numeric(b)) return Number(a) === Number(b);
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length || isTuple(a) !== isTuple(b)) return false;
    return a.every((x, i) => pyEqual(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && pyEqual(a[k], b[k]));
  }
  return false;
}

/** Python ordering (negative, 0, positive): numbers/booleans, strings by code point, lists element by element; else an error. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  if (numeric(a) && numeric(b)) return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (!pyEqual(a[i], b[i])) return pyCompare(a[i], b[i], op);
    return a.length - b.length;
  }
  throw new ValueProblem(`"${op}" cannot compare ${typeName(a)} with ${typeName(b)}`);
}

/** Python's repr() of a float: shortest round-trip digits, exponent below 1e-4 and from 1e16, two-digit exponents. */
function floatText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mant = '', exp = '0'] = n.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(n);
}

/** Python's repr() of a string: single quotes unless it contains only single quotes; control characters escaped. */
export function pyStringRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}

/** Python's repr(): what a list or mapping prints as in Ansible (`['a', 1, True, None]`, `{'k': 'v'}`). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return pyStringRepr(v);
  if (isTuple(v))
    return (v as unknown[]).length === 1 ? `(${pyRepr((v as unknown[])[0])},)` : `(${(v as unknown[]).map(pyRepr).join(', ')})`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isMapping(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyStringRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  return pyStr(v);
}

/** Python's str(): strings as they are, True/False, None, numbers as Python prints them, lists and mappings as repr(). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'number') return floatText(v);
  return pyRepr(v);
}

/** Options of Python's json.dumps that Ansible's to_json / to_nice_json use. */
export interface JsonOptions {
  indent?: number | undefined;
  sortKeys?: boolean | undefined;
  /** Item and key separators; Python's defaults are ", " and ": " (or "," with an indent). */
  separators?: [string, string] | undefined;
  ensureAscii?: boolean | undefined;
}

function jsonString(s: string, ascii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    const c = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ascii && c > 0x7e)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Python's json.dumps text, so that `to_json` prints exactly what Ansible prints. */
export function pyJsonDumps(v: unknown, o: JsonOptions = {}): string {
  const ascii = o.ensureAscii ?? true;
  const [item, key] = o.separators ?? [o.indent === undefined ? ', ' : ',', ': '];
  const write = (x: unknown, depth: number): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
      return floatText(x);
    }
    if (typeof x === 'string') return jsonString(x, ascii);
    const entries: Array<[string | undefined, unknown]> = Array.isArray(x)
      ? x.map((e) => [undefined, e])
      : isMapping(x)
        ? Object.entries(x).sort(([a], [b]) => (o.sortKeys ? (a < b ? -1 : a > b ? 1 : 0) : 0))
        : [];
    if (!Array.isArray(x) && !isMapping(x)) throw new ValueProblem(`cannot write ${typeName(x)} as JSON`);
    const [open, close] = Array.isArray(x) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    const parts = entries.map(([k, e]) => (k === undefined ? '' : jsonString(k, ascii) + key) + write(e, depth + 1));
    if (o.indent === undefined) return open + parts.join(item) + close;
    const pad = (d: number): string => `\n${' '.repeat(o.indent ?? 0).repeat(d)}`;
    return open + pad(depth + 1) + parts.join(item + pad(depth + 1)) + pad(depth) + close;
  };
  return write(v, 0);
}
