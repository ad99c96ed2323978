// Binary operators of the condition language on already-evaluated values.
import type { BinaryOp } from './ast.js';
import { ValueProblem, compareValues, deepEqual, isMapping, toText, typeName } from './values.js';

function numbers(op: string, a: unknown, b: unknown): [number, number] {
  if (typeof a !== 'number' || typeof b !== 'number') {
    throw new ValueProblem(`"${op}" needs two numbers, got ${typeName(a)} and ${typeName(b)}`);
  }
  if ((op === '/' || op === '//' || op === '%') && b === 0) throw new ValueProblem(`division by zero ("${op}")`);
  return [a, b];
}

function plus(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw new ValueProblem(`cannot add ${typeName(a)} and ${typeName(b)} (use "~" to join as text)`);
}

/** `needle in haystack`: substring of a string, element of a list, or key of a mapping. */
export function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') {
    if (typeof needle !== 'string') throw new ValueProblem(`"in" a string needs a string on the left, got ${typeName(needle)}`);
    return haystack.includes(needle);
  }
  if (Array.isArray(haystack)) return haystack.some((x) => deepEqual(x, needle));
  if (isMapping(haystack)) return typeof needle === 'string' && Object.hasOwn(haystack, needle);
  throw new ValueProblem(`"in" needs a string, list or mapping on the right, got ${typeName(haystack)}`);
}

/** Applies one binary operator (not `and`/`or`, which short-circuit in the evaluator). */
export function applyBinary(op: BinaryOp, a: unknown, b: unknown): unknown {
  switch (op) {
    case '==': return deepEqual(a, b);
    case '!=': return !deepEqual(a, b);
    case '<': return compareValues(a, b) < 0;
    case '<=': return compareValues(a, b) <= 0;
    case '>': return compareValues(a, b) > 0;
    case '>=': return compareValues(a, b) >= 0;
    case 'in': return contains(b, a);
    case 'not in': return !contains(b, a);
    case '+': return plus(a, b);
    case '~': return toText(a) + toText(b);
    case '-': { const [x, y] = numbers(op, a, b); return x - y; }
    case '*': { const [x, y] = numbers(op, a, b); return x * y; }
    case '/': { const [x, y] = numbers(op, a, b); return x / y; }
    case '//': { const [x, y] = numbers(op, a, b); return Math.floor(x / y); }
    case '%': { const [x, y] = numbers(op, a, b); return ((x % y) + y) % y; }
  }
}
