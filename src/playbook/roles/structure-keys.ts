/** The task keywords of roles and includes that src/playbook/roles/ reads, by their short names. */
export const STRUCTURE_KEYWORDS = ['import_tasks', 'include_tasks', 'import_role', 'include_role', 'include_vars'] as const;

/** One of the roles/includes keywords. */
export type StructureKeyword = (typeof STRUCTURE_KEYWORDS)[number];

const SHORT = new Set<string>(STRUCTURE_KEYWORDS);
const WRITTEN = Symbol('written');

/**
 * A task with the `ansible.builtin.` / `ansible.legacy.` names of the roles/includes keywords replaced by their short
 * names (the schema knows those); the name as written stays readable through writtenName. Other keys are untouched.
 */
export function canonicalStructureKeys<T>(task: T): T {
  if (!task || typeof task !== 'object' || Array.isArray(task)) return task;
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
