// POSIX shell quoting for the `q` helper.
import { typeName } from '../expr/values.js';
import { ValueProblem } from '../errors/value-problem.js';

function quoteOne(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new ValueProblem(`q: cannot quote the number ${v}`);
  const s = typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
  if (typeof s !== 'string') throw new ValueProblem(`q: cannot quote ${typeName(v)} (only strings, numbers, booleans and lists of them)`);
  if (s.includes('\0')) throw new ValueProblem('q: a shell argument cannot contain a NUL byte');
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/**
 * Quotes a value as one POSIX shell word in single quotes (inside which nothing is special; a
 * quote is written as '\''). A list becomes its elements, each quoted, joined by spaces.
 */
export function quoteShellWords(v: unknown): string {
  return Array.isArray(v) ? v.map(quoteOne).join(' ') : quoteOne(v);
}
