import { parseKv } from '../kv-args.js';

/** The task keywords of roles and includes that src/playbook/roles/ reads, by their short names. */
export const STRUCTURE_KEYWORDS = ['import_tasks', 'include_tasks', 'import_role', 'include_role', 'include_vars'] as const;

/** One of the roles/includes keywords. */
export type StructureKeyword = (typeof STRUCTURE_KEYWORDS)[number];

const SHORT = new Set<string>(STRUCTURE_KEYWORDS);
const WRITTEN = Symbol('written');

/** The legacy `include:` (ansible-core 2.14 still reads it, deprecated), by the names it may be written with. */
const LEGACY_INCLUDE = ['include', 'ansible.builtin.include', 'ansible.legacy.include'];

/**
 * A task written with the legacy `include: FILE k=v...` as ansible-core 2.14 reads it: import_tasks when the file
 * name is literal and there is no loop, else include_tasks; the k=v words are the include's vars. The name as
 * written stays readable through writtenName (for the deprecation warning). Other tasks are returned as they are.
 */
function legacyInclude(task: Record<string, unknown>): Record<string, unknown> {
  const key = LEGACY_INCLUDE.find((k) => k in task);
  if (key === undefined || STRUCTURE_KEYWORDS.some((k) => k in task)) return task;
  const value = task[key];
  const text = typeof value === 'string' ? parseKv(value) : undefined;
  const file = text ? text.raw.join(' ') : value;
  const params = text?.options ?? {};
  const looped = Object.keys(task).some((k) => k === 'loop' || k.startsWith('with_'));
  const short = typeof file === 'string' && !file.includes('{{') && !looped ? 'import_tasks' : 'include_tasks';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(task)) {
    if (k === key) out[short] = file;
    else out[k] = v;
  }
  if (Object.keys(params).length)
    out['vars'] = { ...params, ...(typeof task['vars'] === 'object' && task['vars'] !== null ? (task['vars'] as object) : {}) };
  Object.defineProperty(out, WRITTEN, { value: { [short]: key }, enumerable: false });
  return out;
}

/**
 * A task with the `ansible.builtin.` / `ansible.legacy.` names of the roles/includes keywords replaced by their short
 * names (the schema knows those); the name as written stays readable through writtenName. Other keys are untouched.
 */
export function canonicalStructureKeys<T>(raw: T): T {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const legacy = legacyInclude(raw as Record<string, unknown>);
  if (legacy !== raw) return legacy as T;
  const task = raw;
  let out: Record<string, unknown> | undefined;
  const written: Record<string, string> = {};
  for (const key of Object.keys(task)) {
    const short = /^ansible\.(builtin|legacy)\.(.+)$/.exec(key)?.[2];
    if (short === undefined || !SHORT.has(short) || Object.hasOwn(task, short)) continue;
    out ??= { ...(task as Record<string, unknown>) };
    written[short] = key;
  }
  if (!out) return task;
  const renamed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(out)) {
    const short = Object.entries(written).find(([, w]) => w === k)?.[0];
    renamed[short ?? k] = v;
  }
  Object.defineProperty(renamed, WRITTEN, { value: written, enumerable: false });
  return renamed as T;
}

/** How a roles/includes keyword was written in a task (`ansible.builtin.include_tasks`...), or its short name. */
export function writtenName(task: object, short: StructureKeyword): string {
  const written = (task as { [WRITTEN]?: Record<string, string> })[WRITTEN];
  return written?.[short] ?? short;
}
