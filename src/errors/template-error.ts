// Errors of template rendering, with where the template came from.
import { formatLocation, type SourceLocation } from './problem.js';

/** Where a template comes from, for error messages. */
export interface TemplateWhere {
  loc?: SourceLocation;
  task?: string;
  host?: string;
  field?: string;
}

/** Error thrown when rendering fails; the message names the variable (or helper) and says where (file:line:col, host, task). */
export class TemplateError extends Error {
  readonly where: TemplateWhere;
  /** The undefined (or self-referencing) variable, when that is the cause. */
  readonly variable?: string;
  constructor(message: string, where: TemplateWhere, variable?: string) {
    super(message + formatWhere(where));
    this.name = 'TemplateError';
    this.where = where;
    if (variable !== undefined) this.variable = variable;
  }
}

/** ` (file:line:col, host h, task "t", field)` or '' when nothing is known. */
export function formatWhere(where: TemplateWhere): string {
  const parts: string[] = [];
  if (where.loc) parts.push(formatLocation(where.loc));
  if (where.host) parts.push(`host ${where.host}`);
  if (where.task) parts.push(`task "${where.task}"`);
  if (where.field) parts.push(where.field);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
