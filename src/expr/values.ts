// Value semantics shared by expressions and template helpers: missing values, own-key lookup, truthiness, and the
// strict equality / ordering / text of the Handlebars helpers (Jinja expressions use Python's, in python.ts).
import { ValueProblem } from '../errors/value-problem.js';

/** A value that does not exist (undefined variable, missing key); only `is defined` and `default` may look at it. */
export class Missing {
  constructor(
    readonly name: string,
    readonly detail?: string,
    /** Printed as '' at the top of an expression (Jinja's `A if C` without else, when C is false). */
    readonly printsEmpty = false,
  ) {}
}

/** Keys that are never readable, so nothing can reach an object's prototype or constructor. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The value of Ansible's `omit`: a module argument (or any mapping entry) rendered to exactly this is left out. */
export const OMIT = '__omit_place_holder__tsplay';

/** Marks a list written as a tuple, `(a, b)`: Python tells tuples from lists in `==` and in `'%s %s' % (a, b)`. */
const TUPLE: unique symbol = Symbol('tuple');

/** Makes a list a tuple (a hidden mark: it is still an array, JSON writes it as a list). */
export function asTuple(items: unknown[]): unknown[] {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}

/** True for a list made by asTuple. */
export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/** Marker returned by `lookupOwn` when there is nothing at that key. */
export const ABSENT: unique symbol = Symbol('absent');

/** True for a plain mapping (a non-null, non-array object). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads an own element or property: list/string index (negative counts from the end) or mapping key. */
export function lookupOwn(container: unknown, key: string | number): unknown {
  if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) {
    throw new ValueProblem(`access to "${key}" is not allowed`);
  }
  if (Array.isArray(container) || typeof container === 'string') {
    const i = typeof key === 'number' ? key : /^-?\d+$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(i)) return ABSENT;
    const at = i < 0 ? container.length + i : i;
    return at >= 0 && at < container.length ? container[at] : ABSENT;
  }
  if (isMapping(container)) {
    const k = String(key);
    return Object.hasOwn(container, k) && container[k] !== undefined ? container[k] : ABSENT;
  }
  return ABSENT;
}

/** Type name used in messages: string, number, boolean, null, list or mapping. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  return typeof v;
}

/** Jinja truthiness: empty string/list/mapping, 0, null and false are false. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** Structural equality (lists and mappings compared element by element); no type coercion. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Orders two numbers or two strings (negative, 0, positive); anything else is a ValueProblem. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new ValueProblem(`cannot compare ${typeName(a)} with ${typeName(b)}`);
}

/** Text form of a value: strings as-is, lists and mappings as JSON, null as "null". */
export function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Returns `v` when it is a string, else a ValueProblem naming `who`. */
export function needString(v: unknown, who: string): string {
  if (typeof v !== 'string') throw new ValueProblem(`${who} expects a string, got ${typeName(v)}`);
  return v;
}

/** `; it has: a, b, c` (up to 12 keys) for a mapping, to help fix a missing-key error; '' otherwise. */
export function describeKeys(container: unknown): string {
  if (!isMapping(container)) return '';
  const keys = Object.keys(container);
  if (keys.length === 0) return '; it is empty';
  return `; it has: ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', ...' : ''}`;
}

/** Length of a string, list or mapping (the `length` filter and helper). */
export function sizeOf(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isMapping(v)) return Object.keys(v).length;
  throw new ValueProblem(`length expects a string, list or mapping, got ${typeName(v)}`);
}
