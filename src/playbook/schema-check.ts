import type { ErrorObject, ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../errors/problem.js';
import * as generated from '../generated/playbook.validate.js';
import { didYouMean } from '../util/did-you-mean.js';
import { MODULES } from './model.js';
import { unsupportedHint } from './unsupported.js';
import { locatePath, type YamlSource } from '../util/yaml-source.js';

const MODULE_SET = new Set<string>(MODULES);
const schemaPath = fileURLToPath(new URL('../../schema/playbook.schema.json', import.meta.url));

/** The published playbook JSON Schema. */
export function playbookSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
}

// Precompiled from the schema by scripts/gen-types.mjs (the drift test keeps them in step): no Ajv compile at start-up.
function compiled(kind: 'playbook' | 'tasks'): ValidateFunction {
  return (kind === 'playbook' ? generated.validatePlaybook : generated.validateTasks) as unknown as ValidateFunction;
}

/** Validates a parsed playbook (or, with kind "tasks", a tasks file) against the schema; every error becomes a located Problem. */
export function checkSchema(src: YamlSource, data: unknown, kind: 'playbook' | 'tasks' = 'playbook'): Problem[] {
  const validate = compiled(kind);
  if (validate(data)) return [];
  const errors = simplify(validate.errors ?? []);
  return errors.map((e) => toProblem(src, e, kind));
}

/** Keeps the most useful error per location: drops "must match a schema in anyOf"-style noise and duplicates. */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  // A value with the wrong type also fails its pattern/minimum: keep only the type error for that path.
  const typed = new Set(out.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  // A value that is neither one of a list nor a {{ template }} (strategy): the list says more than the pattern.
  const listed = new Set(out.filter((e) => e.keyword === 'enum').map((e) => e.instancePath));
  return out.filter(
    (e) =>
      (e.keyword === 'type' || !typed.has(e.instancePath) || e.keyword === 'additionalProperties') &&
      !(e.keyword === 'pattern' && listed.has(e.instancePath)),
  );
}

function pathOf(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function propertyCandidates(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

function toProblem(src: YamlSource, e: ErrorObject, kind: 'playbook' | 'tasks'): Problem {
  const path = pathOf(e.instancePath);
  // In a tasks file the path starts at the task index: describe it as if it were under "tasks".
  const named: (string | number)[] = kind === 'tasks' ? ['tasks', ...path] : path;
  const where = kind === 'tasks' && path.length === 0 ? 'tasks file' : describe(named);
  const module = moduleAt(named);
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const loc = locatePath(src, [...path, key], { key: true });
    const hint = didYouMean(key, propertyCandidates(e.parentSchema));
    if (module) return { message: `unknown argument "${key}" for module "${module}"`, loc, hint };
    const kind = where === 'task' ? 'task' : /^play \d+$/.test(where) ? 'play' : undefined;
    const instead = kind ? unsupportedHint(key, kind) : undefined;
    if (instead) return { message: `"${key}" is an Ansible ${kind} keyword tsplay does not support`, loc, hint: instead };
    const what = where === 'task' ? 'unknown module or keyword' : 'unknown keyword';
    return { message: `${what} "${key}" in ${where}`, loc, hint };
  }
  const loc = locatePath(src, path);
  const last = path[path.length - 1];
  const argOf = moduleAt(named.slice(0, -1));
  const field =
    argOf && typeof last === 'string' ? `argument "${last}" of module "${argOf}"` : typeof last === 'string' ? `"${last}"` : where;
  switch (e.keyword) {
    case 'type':
      if (path.length === 0 && kind === 'playbook')
        return { message: 'a playbook must be a list of plays', loc, hint: 'start each play with "- hosts: PATTERN" at the left margin' };
      if (module)
        return { message: `the arguments of module "${module}" must be ${joinTypes((e.params as { type: string | string[] }).type)}`, loc };
      return { message: `${field} must be ${joinTypes((e.params as { type: string | string[] }).type)}`, loc };
    case 'required':
      if (module)
        return { message: `module "${module}" needs argument "${String((e.params as { missingProperty: string }).missingProperty)}"`, loc };
      return { message: `${where} needs "${String((e.params as { missingProperty: string }).missingProperty)}"`, loc };
    case 'enum':
      return { message: `${field} must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}`, loc };
    case 'pattern':
      return { message: `${field} has an invalid value (${patternHint((e.params as { pattern: string }).pattern)})`, loc };
    case 'propertyNames':
      return { message: `${where} has an invalid variable name`, loc };
    default:
      return { message: `${field} ${e.message ?? 'is invalid'}`, loc };
  }
}

function patternHint(pattern: string): string {
  if (pattern.includes('\\{\\{'))
    return pattern.includes('%') ? 'expected a number, a percentage or a {{ template }}' : 'expected a number or a {{ template }}';
  if (pattern.startsWith('^[A-Za-z_]')) return 'expected a name of letters, digits and _';
  return `expected to match ${pattern}`;
}

function joinTypes(t: string | string[]): string {
  const list = (Array.isArray(t) ? t : [t]).map((x) =>
    x === 'array' ? 'a list' : x === 'object' ? 'a mapping' : /^[aeiou]/.test(x) ? `an ${x}` : `a ${x}`,
  );
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : (list[0] ?? 'valid');
}

/** The module name when the path is a module key of a task (`[..., "tasks", 0, "stat"]`), else undefined. */
function moduleAt(path: (string | number)[]): string | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string' || !MODULE_SET.has(last)) return undefined;
  return describe(path.slice(0, -1)) === 'task' ? last : undefined;
}

/** Human name of the thing at a path, e.g. `play 1`, `task`, `play 1 vars`. */
function describe(path: (string | number)[]): string {
  if (path.length === 0) return 'playbook';
  if (path.length === 1) return `play ${Number(path[0]) + 1}`;
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === 'number' && typeof parent === 'string' && /tasks|handlers|block|rescue|always/.test(parent)) return 'task';
  if (typeof last === 'string') return `"${last}"`;
  return 'item';
}
