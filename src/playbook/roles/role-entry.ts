import type { Problem, SourceLocation } from '../../errors/problem.js';
import { locatePath, type YamlSource } from '../../util/yaml-source.js';

/** Keys of a role entry (play `roles:`, meta dependencies) that are keywords; every other key is a role parameter. */
const ENTRY_KEYWORDS = new Set([
  'role',
  'name',
  'vars',
  'when',
  'tags',
  'become',
  'become_user',
  'environment',
  'no_log',
  'ignore_errors',
  'check_mode',
  'delegate_to',
  'run_once',
  'timeout',
  'any_errors_fatal',
]);

/** A role to expand: what it is called, where, with what. */
export interface RoleRequest {
  /** The role's name as written. */
  name: string;
  /** Where the role is named. */
  loc: SourceLocation;
  /** Role parameters (`key: value` beside `role:`), visible to the role's tasks. */
  params: Record<string, unknown>;
  /** A role entry's `vars:` (role vars, visible to the whole play as ansible-core makes them). */
  roleVars?: Record<string, unknown>;
  /** Keywords that apply to every task of the role (when, tags, become...). */
  keywords: Record<string, unknown>;
  /** tasks_from, vars_from, defaults_from, handlers_from. */
  from: { tasks?: string; vars?: string; defaults?: string; handlers?: string };
  /** Run once per play unless its parameters differ or its meta allows duplicates (play roles and dependencies). */
  dedup: boolean;
  /** An include_role's `apply:` keywords: given to the role's tasks, as a block around them. */
  apply?: { keywords: Record<string, unknown>; loc: SourceLocation };
  /** Its `vars:` are include parameters (include_role): above set_fact, as role parameters are. */
  includeParams?: boolean;
  /** Its defaults and vars are seen by its own tasks only (a role a templated include_role may pick). */
  private?: boolean;
  /** What Ansible lists instead of the role's tasks (include_role), when it does. */
  include?: string;
}

/** Whether a value is a template (which a role or file name may not be: tsplay expands roles before the run). */
export const isTemplated = (v: unknown): boolean => typeof v === 'string' && /\{\{|\{%/.test(v);

/** A `roles:` or `dependencies:` entry (a name or a mapping) as a RoleRequest; problems for what cannot be one. */
export function roleEntry(src: YamlSource, path: (string | number)[], entry: unknown, problems: Problem[]): RoleRequest | undefined {
  const loc = locatePath(src, path);
  if (typeof entry === 'string') return named(entry, loc, {}, undefined, {}, problems);
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    problems.push({ message: 'a role entry must be a role name or a mapping with "role:"', loc });
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const name = e['role'] ?? e['name'];
  const key = e['role'] !== undefined ? 'role' : 'name';
  if (typeof name !== 'string') {
    problems.push({ message: 'a role entry needs "role:" (or "name:") with the role\'s name', loc });
    return undefined;
  }
  const params: Record<string, unknown> = {};
  const keywords: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'role' || k === 'name' || k === 'vars') continue;
    if (ENTRY_KEYWORDS.has(k)) keywords[k] = v;
    else params[k] = v;
  }
  const vars = e['vars'];
  const roleVars = vars && typeof vars === 'object' && !Array.isArray(vars) ? (vars as Record<string, unknown>) : undefined;
  return named(name, locatePath(src, [...path, key]), params, roleVars, keywords, problems);
}

function named(
  name: string,
  loc: SourceLocation,
  params: Record<string, unknown>,
  roleVars: Record<string, unknown> | undefined,
  keywords: Record<string, unknown>,
  problems: Problem[],
): RoleRequest | undefined {
  if (isTemplated(name)) {
    problems.push({
      message: `a templated role name ("${name}") is not supported: tsplay reads roles before the run`,
      loc,
      hint: 'name the role literally; to choose between roles, write one entry per role with "when:"',
    });
    return undefined;
  }
  return { name, loc, params, ...(roleVars ? { roleVars } : {}), keywords, from: {}, dedup: true };
}
