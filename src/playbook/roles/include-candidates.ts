// The files or roles an include whose name is a template can name: its {{ }} parts read as wildcards, matched
// against what is on disk before the run (tsplay reads every file it may run before any host is contacted).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import { readYamlFile } from '../read-yaml-file.js';
import { roleFile } from './role-files.js';
import { roleCandidates } from './search.js';

/** Stands for one {{ }} (or {% %}) of a template while it is matched: any run of characters but `/`. */
const WILD = '\u0000';
const TEMPLATE_PART = /\{\{.*?\}\}|\{%.*?%\}/gs;

/** The template with each of its {{ }} / {% %} parts as `*` (how messages show what was matched). */
export function templatePattern(template: string): string {
  return template.replace(TEMPLATE_PART, '*');
}

/** True when the last path segment of the template has no fixed part (`{{ f }}`, `dir/{{ f }}`): it could name any file. */
export function unboundedName(template: string): boolean {
  const last = template.replace(TEMPLATE_PART, WILD).split('/').pop() ?? '';
  return last.replace(new RegExp(WILD, 'g'), '') === '';
}

/**
 * The template rendered with VARS when it reads nothing else (a literal loop's item, role_path, playbook_dir; a name
 * it only tests or defaults counts too); undefined when it reads anything known only at run time.
 */
export function staticName(
  template: string,
  vars: Record<string, unknown>,
  render: (s: string, scope: Record<string, unknown>) => unknown,
): string | undefined {
  let other = false;
  const known = (k: string | symbol): boolean => {
    if (typeof k !== 'string' || Object.hasOwn(vars, k)) return true;
    other = true;
    return false;
  };
  const scope = new Proxy(vars, {
    get: (t, k) => (known(k) ? Reflect.get(t, k) : undefined),
    has: (t, k) => known(k) && Reflect.has(t, k),
    getOwnPropertyDescriptor: (t, k) => (known(k) ? Reflect.getOwnPropertyDescriptor(t, k) : undefined),
  });
  try {
    const out = render(template, scope);
    return typeof out === 'string' && !other ? out : undefined;
  } catch {
    return undefined;
  }
}

/** TEMPLATE with each {{ }} part that reads only VARS rendered (`{{ role_path }}/tasks/{{ x }}.yml`: the role's path filled in). */
export function fillKnown(
  template: string,
  vars: Record<string, unknown>,
  render: (s: string, scope: Record<string, unknown>) => unknown,
): string {
  return template.replace(/\{\{.*?\}\}/gs, (part) => staticName(part, vars, render) ?? part);
}

/** Paths under BASE (or absolute) matching PATTERN's segments (WILD in a segment matches any run of characters). */
function globPaths(base: string, pattern: string): string[] {
  let found = [isAbsolute(pattern) ? sep : base];
  for (const seg of pattern.split('/').filter((s) => s !== '' && s !== '.')) {
    if (!seg.includes(WILD)) {
      found = found.map((d) => join(d, seg)).filter((p) => existsSync(p));
      continue;
    }
    const re = new RegExp(
      `^${seg
        .split(WILD)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    found = found.flatMap((d) => {
      try {
        return readdirSync(d)
          .filter((e) => !e.startsWith('.') && re.test(e))
          .sort()
          .map((e) => join(d, e));
      } catch {
        return [];
      }
    });
  }
  return found;
}

/** True when FILE reads as a list of tasks (not a playbook, a vars file or something else): worth reading as a candidate. */
function looksLikeTasks(file: string): boolean {
  const r = readYamlFile(file);
  if (!r.source || r.problems.length) return false;
  if (r.data === null || r.data === undefined) return true;
  if (!Array.isArray(r.data)) return false;
  return r.data.every((t: unknown) => !!t && typeof t === 'object' && !Array.isArray(t) && !('hosts' in t) && !('import_playbook' in t));
}

/** The task files TEMPLATE can name, looked for under each of BASES in turn (first found wins per name), excluding SKIP. */
export function candidateFiles(template: string, bases: string[], skip: readonly string[]): string[] {
  const pattern = template.replace(TEMPLATE_PART, WILD);
  const out = new Set<string>();
  for (const base of bases)
    for (const p of globPaths(base, pattern)) if (!skip.includes(p) && statSync(p).isFile() && looksLikeTasks(p)) out.add(p);
  return [...out];
}

/** The role directories TEMPLATE can name, where a role of that name is looked for (see roleCandidates). */
export function candidateRoles(template: string, playDir: string): string[] {
  const pattern = template.replace(TEMPLATE_PART, WILD);
  const out = new Set<string>();
  for (const where of roleCandidates(pattern, playDir)) {
    for (const dir of globPaths(sep, where)) {
      const isRole = statSync(dir).isDirectory() && ['tasks', 'meta', 'defaults', 'handlers'].some((p) => roleFile(dir, p));
      if (isRole) out.add(dir);
    }
  }
  return [...out];
}
