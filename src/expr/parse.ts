// Parsing a condition: strip an optional `{{ }}`, run jsep with our grammar, convert and check the tree.
// jsep (already a dependency) is a small, maintained expression parser that only builds a syntax
// tree and never evaluates anything, so nothing a user writes in a condition can run JavaScript.
import type { Problem } from '../errors/problem.js';
import { SyntaxProblem, toNode } from './ast.js';
import type { Expression } from './evaluate.js';
import { gobbleExpression, parseOr } from './grammar.js';
import { withOurJsep } from './jsep-env.js';

const MUSTACHE = /^(\s*\{\{)(.*)\}\}\s*$/s;

/** Removes one surrounding `{{ }}` (written by habit); returns the inner text and its offset. */
function stripMustache(src: string): { text: string; offset: number } {
  const m = MUSTACHE.exec(src);
  const inner = m?.[2];
  if (!m || inner === undefined || inner.includes('{{') || inner.includes('}}')) return { text: src, offset: 0 };
  return { text: inner, offset: (m[1] ?? '').length };
}

function jsepIndex(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null || !('index' in e)) return undefined;
  return typeof e.index === 'number' ? e.index : undefined;
}

function describeError(e: unknown): string {
  const d = typeof e === 'object' && e !== null && 'description' in e && typeof e.description === 'string' ? e.description : String(e);
  return d.charAt(0).toLowerCase() + d.slice(1);
}

/** Parses a condition, or returns a problem (with the 1-based column inside the expression when known). */
export function parseExpression(src: string): { expr?: Expression; problems: Problem[] } {
  const { text, offset } = stripMustache(src);
  const shown = src.trim();
  if (text.trim() === '') return { problems: [{ message: `empty expression "${shown}"` }] };
  try {
    const raw = withOurJsep(text, gobbleExpression, (p) => {
      const node = parseOr(p);
      p.gobbleSpaces();
      if (p.index < p.expr.length) p.throwError(`unexpected "${p.char}"${hintFor(p.expr.slice(p.index))}`);
      return node;
    });
    return { expr: { source: text.trim(), ast: toNode(raw) }, problems: [] };
  } catch (e) {
    if (e instanceof SyntaxProblem) {
      const at = e.index === undefined ? '' : ` at column ${e.index + offset + 1}`;
      return { problems: [{ message: `invalid expression "${shown}"${at}: ${e.message}`, hint: e.hint }] };
    }
    const index = jsepIndex(e);
    if (index === undefined) throw e;
    const msg = describeError(e).replace(/ at character \d+$/, '');
    return { problems: [{ message: `invalid expression "${shown}" at column ${index + offset + 1}: ${msg}` }] };
  }
}

function hintFor(rest: string): string {
  if (rest.startsWith('&&')) return ' (use "and")';
  if (rest.startsWith('||')) return ' (use "or")';
  if (rest.startsWith('!')) return ' (use "not" or "!=")';
  if (rest.startsWith('=')) return ' (use "==" to compare)';
  return '';
}
