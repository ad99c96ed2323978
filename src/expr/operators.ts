// Operators on evaluated values, with Python's rules (what Jinja does): `+` never mixes text and numbers, `~` joins
// as text, `/` always divides, `//` and `%` floor, `'%s' % x` formats, `*` repeats text and lists.
import type { BinaryOp, CompareOp } from './ast.js';
import { percentFormat } from './filters-text.js';
import { pyCompare, pyEqual, pyStr } from './python.js';
import { isMapping, isTuple, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

const numeric = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';

/** `needle in haystack`: substring of a string, element of a list, key of a mapping. */
export function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') {
    if (typeof needle !== 'string') throw new ValueProblem(`"in <string>" needs a string on the left, got ${typeName(needle)}`);
    return haystack.includes(needle);
  }
  if (Array.isArray(haystack)) return haystack.some((x) => pyEqual(x, needle));
  if (isMapping(haystack)) return (typeof needle === 'string' || typeof needle === 'number') && Object.hasOwn(haystack, String(needle));
  throw new ValueProblem(`"in" needs a string, list or mapping on the right, got ${typeName(haystack)}`);
}

function numbers(op: string, a: unknown, b: unknown): [number, number] {
  if (!numeric(a) || !numeric(b)) throw new ValueProblem(`"${op}" needs two numbers, got ${typeName(a)} and ${typeName(b)}`);
  if ((op === '/' || op === '//' || op === '%') && Number(b) === 0) throw new ValueProblem(`division by zero ("${op}")`);
  return [Number(a), Number(b)];
}

function repeat(seq: unknown, n: number): unknown {
  if (!Number.isInteger(n)) throw new ValueProblem(`cannot repeat ${typeName(seq)} a fractional number of times`);
  if (typeof seq === 'string') return seq.repeat(Math.max(0, n));
  return Array.from({ length: Math.max(0, n) }, () => seq as unknown[]).flat();
}

function plus(a: unknown, b: unknown): unknown {
  if (numeric(a) && numeric(b)) return Number(a) + Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw new ValueProblem(`cannot add ${typeName(a)} and ${typeName(b)} (use "~" to join as text)`);
}

function times(a: unknown, b: unknown): unknown {
  if ((typeof a === 'string' || Array.isArray(a)) && typeof b === 'number') return repeat(a, b);
  if ((typeof b === 'string' || Array.isArray(b)) && typeof a === 'number') return repeat(b, a);
  const [x, y] = numbers('*', a, b);
  return x * y;
}

/** Applies one arithmetic or text operator (not `and`/`or`, which short-circuit in the evaluator). */
export function applyBinary(op: BinaryOp, a: unknown, b: unknown): unknown {
  switch (op) {
    case '+':
      return plus(a, b);
    case '~':
      return pyStr(a) + pyStr(b);
    case '*':
      return times(a, b);
    case '-': {
      const [x, y] = numbers(op, a, b);
      return x - y;
    }
    case '/': {
      const [x, y] = numbers(op, a, b);
      return x / y;
    }
    case '//': {
      const [x, y] = numbers(op, a, b);
      return Math.floor(x / y);
    }
    case '%': {
      if (typeof a === 'string') return percentFormat(a, isTuple(b) ? (b as unknown[]) : [b]);
      const [x, y] = numbers(op, a, b);
      return ((x % y) + y) % y;
    }
    case '**': {
      const [x, y] = numbers(op, a, b);
      return x ** y;
    }
  }
}

/** Applies one comparison. */
export function applyCompare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEqual(a, b);
    case '!=':
      return !pyEqual(a, b);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
  }
}
