// Rendering template strings and values that contain them.
import type { Problem } from '../errors/problem.js';
import { ExprError, OMIT } from '../expr/index.js';
import { isMapping } from '../expr/values.js';
import { ValueProblem } from '../errors/value-problem.js';
import { compiled } from './compile.js';
import { TemplateError, type TemplateWhere } from '../errors/template-error.js';
import { showTemplate } from './show-template.js';
import { UndefinedVariable } from '../errors/undefined-variable.js';
import type { TemplateIssue } from './rewrite.js';
import { ansibleConcat } from './python-literal.js';

/** True when the string contains template syntax: `{{`, or a Jinja statement or comment (refused when checked). */
export function isTemplate(s: string): boolean {
  return s.includes('{{') || (s.includes('{%') && s.includes('%}')) || (s.includes('{#') && s.includes('#}'));
}

function issueText(issue: TemplateIssue, s: string, where: TemplateWhere): string {
  const line = s.includes('\n') ? ` (template line ${issue.line})` : '';
  const field = where.field ? ` in ${where.field}` : '';
  return `${issue.message} in template ${showTemplate(s)}${line}${field}`;
}

/** Syntax-checks a template without rendering: syntax errors, unknown helpers (with "did you mean"), wrong argument counts, refused names. */
export function checkTemplate(s: string, where: TemplateWhere): Problem[] {
  return compiled(s).issues.map((issue) => ({
    message: issueText(issue, s, where),
    hint: issue.hint,
    loc: where.loc,
    host: where.host,
    task: where.task,
  }));
}

function toTemplateError(e: unknown, s: string, where: TemplateWhere): Error {
  if (e instanceof TemplateError) return e;
  if (e instanceof UndefinedVariable) return new TemplateError(`${e.message} in template ${showTemplate(s)}`, where, e.variable);
  if (e instanceof ExprError) return new TemplateError(`${e.message} in template ${showTemplate(s)}`, where, e.variable);
  if (e instanceof ValueProblem) return new TemplateError(`${e.message} in template ${showTemplate(s)}`, where);
  const msg = e instanceof Error ? e.message : String(e);
  return new TemplateError(`cannot render template ${showTemplate(s)}: ${msg}`, where);
}

function render(s: string, vars: Record<string, unknown>, where: TemplateWhere, raw: boolean): unknown {
  const c = compiled(s);
  const [issue] = c.issues;
  if (issue || !c.render) {
    const first = issue ?? { message: 'template could not be compiled', line: 1 };
    throw new TemplateError(`${issueText(first, s, where)}${first.hint ? ` (${first.hint})` : ''}`, where);
  }
  const box = raw && c.raw ? { value: undefined as unknown } : undefined;
  try {
    const text = c.render(vars, box);
    if (box) return box.value;
    // a template with Jinja statements rendered for its value: "[...]", "{...}", "True", "False" read as ansible-core does
    return raw && c.jinja ? ansibleConcat(text) : text;
  } catch (e) {
    throw toTemplateError(e, s, where);
  }
}

/** Renders one template string to text (lists and mappings print as JSON; null and undefined are errors). */
export function renderString(s: string, vars: Record<string, unknown>, where: TemplateWhere): string {
  return isTemplate(s) ? String(render(s, vars, where, false)) : s;
}

/**
 * Deep-renders the strings inside a value (lists, mappings; keys are not rendered). A string that
 * is exactly one `{{ path }}` or `{{ expression }}` becomes the raw value there (list, mapping,
 * number...), like Ansible; any other template becomes text. A mapping entry that renders to
 * Ansible's `omit` is left out.
 */
export function renderValue(v: unknown, vars: Record<string, unknown>, where: TemplateWhere): unknown {
  if (typeof v === 'string') return isTemplate(v) ? render(v, vars, where, true) : v;
  if (Array.isArray(v)) return v.map((x) => renderValue(x, vars, where));
  if (isMapping(v) && isPlain(v))
    return withoutOmitted(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderValue(x, vars, where)])));
  return v;
}

/** The mapping without the entries whose value is Ansible's `omit` (`mode: "{{ m | default(omit) }}"`). */
export function withoutOmitted<T extends Record<string, unknown>>(m: T): T {
  if (!Object.values(m).includes(OMIT)) return m;
  return Object.fromEntries(Object.entries(m).filter(([, x]) => x !== OMIT)) as T;
}

function isPlain(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
