// Parsing an expression: strip an optional `{{ }}`, tokenize and parse with our own recursive-descent parser,
// which only builds a tree (never evaluates), so nothing a user writes can run JavaScript.
import type { Problem } from '../errors/problem.js';
import type { Expression } from './evaluate.js';
import { SyntaxProblem } from '../errors/syntax-problem.js';
import { parseTree } from './parser.js';
import { conditionTemplating, hasConditionTemplating } from './templated.js';

const MUSTACHE = /^(\s*\{\{)(.*)\}\}\s*$/s;

/** Removes one surrounding `{{ }}` (written by habit); returns the inner text and its offset. */
function stripMustache(src: string): { text: string; offset: number } {
  const m = MUSTACHE.exec(src);
  const inner = m?.[2];
  if (!m || inner === undefined || inner.includes('{{') || inner.includes('}}')) return { text: src, offset: 0 };
  return { text: inner, offset: (m[1] ?? '').length };
}

/** The problem of a failed parse: what is wrong, the 1-based column in the expression (spaces around it not counted), and a hint. */
export interface ParseFailure {
  message: string;
  column?: number | undefined;
  hint?: string | undefined;
}

const leading = (s: string): number => s.length - s.trimStart().length;

/**
 * Parses the text of one expression (no `{{ }}` around it), or says what is wrong and where. `inTemplate`: it is
 * the inside of a template's `{{ }}`, where strings are taken as written (Ansible doubles their backslashes).
 */
export function parseBare(text: string, inTemplate = false): { expr?: Expression; failure?: ParseFailure } {
  if (text.trim() === '') return { failure: { message: 'empty expression' } };
  try {
    return { expr: { source: text.trim(), ast: parseTree(text, { rawStrings: inTemplate }) } };
  } catch (e) {
    if (!(e instanceof SyntaxProblem)) throw e;
    return {
      failure: { message: e.message, column: e.index === undefined ? undefined : Math.max(1, e.index - leading(text) + 1), hint: e.hint },
    };
  }
}

/** Ansible's warning for a condition written with `{{ }}` (ansible-core 2.14 templates it first, then evaluates it). */
export function delimiterWarning(src: string): string {
  return `conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${src}`;
}

/**
 * Parses a condition, or returns a problem (with the 1-based column inside the expression when known). A condition
 * written as `"{{ e }}"` or `"not {{ e }}"` is read as `e` / `not (e)`, with Ansible's `warning`.
 */
export function parseExpression(src: string): { expr?: Expression; problems: Problem[]; warning?: string } {
  const { text, offset } = stripMustache(src);
  const shown = src.trim();
  if (/\{\{[\s\S]*\}\}|\{%[\s\S]*%\}/.test(text)) {
    // `not {{ e }}` is read as `not (e)` (the whole-condition `{{ e }}` is stripped above)
    const negated = /^\s*not\s+\{\{([^{}]*)\}\}\s*$/.exec(text)?.[1];
    const parsed = negated === undefined ? {} : parseBare(`not (${negated})`);
    if (parsed.expr) return { expr: parsed.expr, problems: [], warning: delimiterWarning(src) };
    // anything else: rendered as a template when evaluated, then the text it gives evaluated (as ansible-core does)
    const problems = hasConditionTemplating()
      ? conditionTemplating()
          .check(src)
          .map((p) => ({ message: `in condition "${shown}": ${p.message}`, hint: p.hint }))
      : [];
    if (problems.length > 0) return { problems };
    return { expr: { source: shown, ast: { kind: 'templated', pos: 0, template: src } }, problems: [], warning: delimiterWarning(src) };
  }
  const { expr, failure } = parseBare(text);
  if (expr) return { expr, problems: [], ...(offset > 0 ? { warning: delimiterWarning(src) } : {}) };
  const f = failure ?? { message: 'invalid expression' };
  if (f.message === 'empty expression') return { problems: [{ message: `empty expression "${shown}"` }] };
  const at = f.column === undefined ? '' : ` at column ${f.column + offset + leading(text) - leading(src)}`;
  return { problems: [{ message: `invalid expression "${shown}"${at}: ${f.message}`, hint: f.hint }] };
}
