import { dirname, resolve } from 'node:path';
import type { Problem } from '../errors/problem.js';
import type { PlaybookEntry, Task } from '../generated/playbook.js';
import { locatePath, type YamlSource } from '../util/yaml-source.js';
import { MODULES, type ModuleTask, type TaskModule, type Play, type TaskNode, type UnreadTask } from './model.js';
import { canonicalDocument } from './ansible-forms.js';
import { readYamlFile } from './read-yaml-file.js';
import { checkSchema, playbookSchema } from './schema-check.js';
import { checkTaskList } from './task-list-schema.js';

export { MODULES } from './model.js';
const moduleSet = new Set<string>([...MODULES, 'meta']);
const STRUCTURE = new Set(['block', 'rescue', 'always', 'import_tasks']);
const KNOWN_KEYWORDS = new Set(Object.keys((playbookSchema().definitions as { Task: { properties: object } }).Task.properties));

/** What normalizing needs to carry along: the file being read, all problems, and the import chain. */
interface Ctx {
  src: YamlSource;
  file: string;
  dir: string;
  problems: Problem[];
  chain: string[];
  /** Tasks of the current play that could not be read. */
  unread: UnreadTask[];
}

/** Loads a playbook file (recursing into import_playbook) into plays; problems are appended, never thrown. */
export function loadPlays(file: string, problems: Problem[], chain: string[] = [], from?: Problem['loc']): Play[] {
  const abs = resolve(file);
  if (chain.includes(abs)) {
    problems.push({ message: `import cycle: ${[...chain, abs].join(' -> ')}`, loc: from });
    return [];
  }
  const read = readYamlFile(abs, from);
  problems.push(...read.problems);
  if (!read.source || read.problems.length) return [];
  const ctx: Ctx = { src: read.source, file: abs, dir: dirname(abs), problems, chain: [...chain, abs], unread: [] };
  const canonical = canonicalDocument(read.source, read.data, 'playbook');
  problems.push(...canonical.problems);
  const schemaProblems = checkSchema(read.source, canonical.data);
  problems.push(...schemaProblems);
  if (!Array.isArray(canonical.data)) return [];
  const plays: Play[] = [];
  canonical.data.forEach((entry: PlaybookEntry, i) => {
    if (!entry || typeof entry !== 'object') return;
    if (entry.import_playbook !== undefined) {
      plays.push(...loadPlays(resolve(ctx.dir, entry.import_playbook), problems, ctx.chain, locatePath(ctx.src, [i, 'import_playbook'])));
      return;
    }
    plays.push(normalizePlay({ ...ctx, unread: [] }, entry, i));
  });
  return plays;
}

function normalizePlay(ctx: Ctx, entry: PlaybookEntry, i: number): Play {
  const { tasks, pre_tasks, post_tasks, handlers, hosts, import_playbook: _ip, ...keywords } = entry;
  const loc = locatePath(ctx.src, [i]);
  if (hosts === undefined) ctx.problems.push({ message: `play ${i + 1} needs "hosts"`, loc });
  const playTags = toList(keywords.tags);
  const section = (name: string, list: Task[] | undefined) => tasksOf(ctx, list ?? [], [i, name], playTags);
  const handlerNodes = section('handlers', handlers);
  const fileLocs = new Map<string, Problem['loc'] & object>();
  for (const key of ['vars_files', 'defaults_files'] as const) {
    (keywords[key] ?? []).forEach((f, j) => fileLocs.has(resolve(ctx.dir, f)) || fileLocs.set(resolve(ctx.dir, f), locatePath(ctx.src, [i, key, j])));
  }
  return {
    name: keywords.name ?? toList(hosts).filter((h) => typeof h === 'string').join(':'),
    // A hosts value of the wrong type was reported by the schema check; the play then targets nothing.
    hosts: toList(hosts).filter((h): h is string => typeof h === 'string'),
    keywords,
    tasks: [...section('pre_tasks', pre_tasks), ...section('tasks', tasks), ...section('post_tasks', post_tasks)],
    handlers: handlerNodes.filter((t): t is ModuleTask => {
      if (t.kind === 'module') return true;
      ctx.problems.push({ message: 'a handler cannot be a block', loc: t.loc });
      return false;
    }),
    varsFiles: (keywords.vars_files ?? []).map((f) => resolve(ctx.dir, f)),
    defaultsFiles: (keywords.defaults_files ?? []).map((f) => resolve(ctx.dir, f)),
    fileLocs,
    loc,
    ...(hosts === undefined ? {} : { hostsLoc: locatePath(ctx.src, [i, 'hosts']) }),
    file: ctx.file,
    dir: ctx.dir,
    unread: ctx.unread,
  };
}

/** Normalizes a task list, expanding import_tasks in place. */
function tasksOf(ctx: Ctx, list: Task[], path: (string | number)[], tags: string[]): TaskNode[] {
  if (!Array.isArray(list)) return [];
  const out: TaskNode[] = [];
  list.forEach((raw, j) => {
    if (!raw || typeof raw !== 'object') return;
    const p = [...path, j];
    if (raw.import_tasks !== undefined) out.push(...importTasks(ctx, raw, p, tags));
    else {
      const node = taskOf(ctx, raw, p, tags);
      if (node) out.push(node);
    }
  });
  return out;
}

/** Keywords an import_tasks may carry: they apply to every imported task (as a block around them). */
const IMPORT_KEYWORDS = new Set(['name', 'tags', 'when', 'vars', 'become', 'become_user', 'environment', 'ignore_errors', 'no_log', 'check_mode', 'delegate_to', 'run_once', 'timeout']);

function importTasks(ctx: Ctx, raw: Task, path: (string | number)[], tags: string[]): TaskNode[] {
  const from = locatePath(ctx.src, [...path, 'import_tasks']);
  const others = Object.keys(raw).filter((k) => k !== 'import_tasks' && !IMPORT_KEYWORDS.has(k));
  if (others.length) ctx.problems.push({ message: `import_tasks cannot be combined with ${others.map((k) => `"${k}"`).join(', ')}`, loc: from });
  const tasks = importedTasks(ctx, raw, from, tags);
  const { import_tasks: file, ...keywords } = raw;
  const wrap = Object.keys(keywords).some((k) => k !== 'name' && k !== 'tags');
  if (!wrap) return tasks;
  const loc = locatePath(ctx.src, path);
  const keyLocs = Object.fromEntries(Object.keys(raw).map((k) => [k, locatePath(ctx.src, [...path, k])]));
  return [{ kind: 'block', id: `${ctx.file}:${loc.line}:${loc.col}`, loc, keyLocs, dir: ctx.dir, keywords, tags: [...tags, ...toList(raw.tags)], title: raw.name ?? `import ${String(file)}`, block: tasks, rescue: [], always: [] }];
}

function importedTasks(ctx: Ctx, raw: Task, from: Problem['loc'], tags: string[]): TaskNode[] {
  const abs = resolve(ctx.dir, String(raw.import_tasks));
  const unreadable = (): TaskNode[] => {
    ctx.unread.push({ keys: ['import_tasks'] });
    return [];
  };
  if (ctx.chain.includes(abs)) {
    ctx.problems.push({ message: `import cycle: ${[...ctx.chain, abs].join(' -> ')}`, loc: from });
    return unreadable();
  }
  const read = readYamlFile(abs, from);
  ctx.problems.push(...read.problems);
  if (!read.source || read.problems.length) return unreadable();
  const canonical = canonicalDocument(read.source, read.data, 'tasks');
  ctx.problems.push(...canonical.problems, ...checkTaskList(read.source, canonical.data));
  if (!Array.isArray(canonical.data)) return unreadable();
  const sub: Ctx = { src: read.source, file: abs, dir: dirname(abs), problems: ctx.problems, chain: [...ctx.chain, abs], unread: ctx.unread };
  return tasksOf(sub, canonical.data as Task[], [], [...tags, ...toList(raw.tags)]);
}

function taskOf(ctx: Ctx, raw: Task, path: (string | number)[], inherited: string[]): TaskNode | undefined {
  const loc = locatePath(ctx.src, path);
  const id = `${ctx.file}:${loc.line}:${loc.col}`;
  const tags = [...inherited, ...toList(raw.tags)];
  const modules = Object.keys(raw).filter((k) => moduleSet.has(k)) as TaskModule[];
  const keywords = Object.fromEntries(Object.entries(raw).filter(([k]) => !moduleSet.has(k) && !STRUCTURE.has(k)));
  const keyLocs = Object.fromEntries(Object.keys(raw).map((k) => [k, locatePath(ctx.src, [...path, k])]));
  const base = { id, loc, dir: ctx.dir, keywords, tags, keyLocs };
  if (raw.block !== undefined || raw.rescue !== undefined || raw.always !== undefined) {
    if (raw.block === undefined) {
      const part = raw.rescue !== undefined ? 'rescue' : 'always';
      const hint = modules.length ? `move "${modules[0]}" into a task under "block:", beside "${part}:"` : `add "block:" with the tasks that "${part}" belongs to`;
      ctx.problems.push({ message: `"${part}" needs a "block" in the same task`, loc: locatePath(ctx.src, [...path, part], { key: true }), hint });
    } else if (modules.length) {
      ctx.problems.push({ message: `a block cannot also run a module ("${modules.join('", "')}")`, loc: locatePath(ctx.src, [...path, modules[0] ?? ''], { key: true }), hint: 'move the module into a task under "block:"' });
    }
    return {
      ...base,
      kind: 'block',
      title: raw.name ?? 'block',
      block: tasksOf(ctx, raw.block ?? [], [...path, 'block'], tags),
      rescue: tasksOf(ctx, raw.rescue ?? [], [...path, 'rescue'], tags),
      always: tasksOf(ctx, raw.always ?? [], [...path, 'always'], tags),
    };
  }
  const unknown = Object.keys(raw).some((k) => !moduleSet.has(k) && !KNOWN_KEYWORDS.has(k));
  const unread = { keys: Object.keys(raw), register: typeof raw.register === 'string' ? raw.register : undefined };
  if (modules.length === 0 && unknown) {
    ctx.unread.push(unread);
    return undefined; // the schema check already reported the unknown key
  }
  if (modules.length === 0) {
    ctx.problems.push({ message: `task has no module (one of: ${MODULES.join(', ')})`, loc });
    ctx.unread.push(unread);
    return undefined;
  }
  if (modules.length > 1) {
    ctx.problems.push({ message: `task has more than one module: ${modules.join(', ')}`, loc: locatePath(ctx.src, [...path, modules[1] ?? ''], { key: true }) });
  }
  const module = modules[0] as TaskModule;
  const args: unknown = raw[module];
  if (args && typeof args === 'object' && !Array.isArray(args)) for (const k of Object.keys(args)) keyLocs[`${module}.${k}`] = locatePath(ctx.src, [...path, module, k]);
  return { ...base, kind: 'module', module, args, title: raw.name ?? module };
}

/** A keyword that may be a string or a list, as a list. */
export function toList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
