import { ansibleBoolean } from '../playbook/ansible-forms.js';
import type { SourceLocation } from '../errors/problem.js';
import { renderValue } from '../template/index.js';

/** Where a keyword is resolved (for the message when its template fails). */
export interface KeywordWhere {
  loc: SourceLocation;
  task: string;
  host: string;
}

/**
 * A boolean keyword's value on one host: a boolean as written, or a `{{ template }}` rendered with the host's scope
 * and read as Ansible's boolean (true/false, yes/no, on/off, 1/0). Throws when the result is not a boolean.
 */
export function keywordBool(
  v: boolean | string | undefined,
  vars: Record<string, unknown>,
  field: string,
  where: KeywordWhere,
): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  const rendered = renderValue(v, vars, { ...where, field });
  const b = ansibleBoolean(rendered);
  if (b === undefined) throw new Error(`"${field}" must be a boolean, got ${JSON.stringify(rendered)} from ${v}`);
  return b;
}

/** A positive integer keyword (throttle) on one host: a number as written, or a rendered `{{ template }}`. */
export function keywordInt(
  v: number | string | undefined,
  vars: Record<string, unknown>,
  field: string,
  where: KeywordWhere,
): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const rendered = renderValue(v, vars, { ...where, field });
  const n = Number(rendered);
  if (!Number.isInteger(n) || n < 0) throw new Error(`"${field}" must be a whole number, got ${JSON.stringify(rendered)} from ${v}`);
  return n;
}
