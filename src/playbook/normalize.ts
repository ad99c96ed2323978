import { gatherFacts, gatheringFactsTask } from './gather-facts.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Problem, SourceLocation } from '../errors/problem.js';
import type { PlaybookEntry, Task } from '../generated/playbook.js';
import { locatePath, type YamlSource } from '../util/yaml-source.js';
import {
  MODULES,
  type BlockTask,
  type IncludeChoice,
  type ModuleTask,
  type Play,
  type RoleContext,
  type TaskKeywords,
  type TaskModule,
  type TaskNode,
  type UnreadTask,
} from './model.js';
import { canonicalDocument } from './ansible-forms.js';
import {
  applyKeywords,
  includedKeywords,
  insideBlock,
  playKeywords,
  type EffectiveKeywords,
  type Enclosing,
} from './effective-keywords.js';
import { loopItems } from './loop-items.js';
import { readYamlFile } from './read-yaml-file.js';
import { expandRole, playRoles, type PlayRoles, type TaskReader } from './roles/expand.js';
import { candidateFiles, candidateRoles, fillKnown, staticName, templatePattern, unboundedName } from './roles/include-candidates.js';
import { readIncludeVars, type IncludeVarsSpec } from './roles/include-vars.js';
import { renderValue } from '../template/index.js';
import { isTemplated, roleEntry, type RoleRequest } from './roles/role-entry.js';
import { canonicalStructureKeys, writtenName, type StructureKeyword } from './roles/structure-keys.js';
import { checkSchema, playbookSchema } from './schema-check.js';
import { checkTaskList } from './task-list-schema.js';

export { MODULES } from './model.js';
const moduleSet = new Set<string>([...MODULES, 'meta']);
const STRUCTURE = new Set(['block', 'rescue', 'always', 'import_tasks', 'include_tasks', 'import_role', 'include_role', 'include_vars']);
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
  /** The role the file belongs to. */
  role?: RoleContext | undefined;
  /** The roles of the current play (set while a play is normalized). */
  pr?: PlayRoles;
  /** What the current play's tasks inherit from the play itself (all that its handlers inherit); set per play. */
  play: EffectiveKeywords;
  /** Task ids given so far in this playbook: a file expanded twice (a role run twice) gets `#2`... ids. */
  ids: Map<string, number>;
  /** What is worth saying about the current play's tasks but does not stop it (the legacy include). */
  warnings: Problem[];
}

/**
 * Every task as written, before the schema check: the one place where Ansible's spellings become tsplay's (the
 * playbook's own tasks and every file of tasks a role or include reads go through it). Recurses into blocks.
 */
export function canonicalTasks(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((raw: unknown) => {
    const t = canonicalStructureKeys(raw);
    if (!t || typeof t !== 'object' || Array.isArray(t)) return t;
    const out = t as Record<string, unknown>;
    for (const part of ['block', 'rescue', 'always']) if (Array.isArray(out[part])) out[part] = canonicalTasks(out[part]);
    return out;
  });
}

/** A playbook's data with every task list of every play through canonicalTasks. */
function canonicalPlaybook(data: unknown): unknown {
  if (!Array.isArray(data)) return data;
  return data.map((play: unknown) => {
    if (!play || typeof play !== 'object' || Array.isArray(play)) return play;
    const out = { ...(play as Record<string, unknown>) };
    for (const s of ['pre_tasks', 'tasks', 'post_tasks', 'handlers']) if (s in out) out[s] = canonicalTasks(out[s]);
    return out;
  });
}

/** Loads a playbook file (recursing into import_playbook) into plays; problems are appended, never thrown. */
export function loadPlays(
  file: string,
  problems: Problem[],
  chain: string[] = [],
  from?: Problem['loc'],
  ids: Map<string, number> = new Map(),
): Play[] {
  const abs = resolve(file);
  if (chain.includes(abs)) {
    problems.push({ message: `import cycle: ${[...chain, abs].join(' -> ')}`, loc: from });
    return [];
  }
  const read = readYamlFile(abs, from);
  problems.push(...read.problems);
  if (!read.source || read.problems.length) return [];
  const ctx: Ctx = {
    src: read.source,
    file: abs,
    dir: dirname(abs),
    problems,
    chain: [...chain, abs],
    unread: [],
    play: playKeywords({}),
    ids,
    warnings: [],
  };
  const canonical = canonicalDocument(read.source, read.data, 'playbook');
  problems.push(...canonical.problems);
  const data = canonicalPlaybook(canonical.data);
  const schemaProblems = checkSchema(read.source, data);
  problems.push(...schemaProblems);
  if (!Array.isArray(data)) return [];
  const plays: Play[] = [];
  data.forEach((entry: PlaybookEntry, i) => {
    if (!entry || typeof entry !== 'object') return;
    if (entry.import_playbook !== undefined) {
      plays.push(
        ...loadPlays(resolve(ctx.dir, entry.import_playbook), problems, ctx.chain, locatePath(ctx.src, [i, 'import_playbook']), ids),
      );
      return;
    }
    plays.push(normalizePlay({ ...ctx, unread: [], pr: playRoles(ctx.dir, problems) }, entry, i));
  });
  return plays;
}

function normalizePlay(outerCtx: Ctx, entry: PlaybookEntry, i: number): Play {
  const { tasks, pre_tasks, post_tasks, handlers, hosts, import_playbook: _ip, roles, ...keywords } = entry;
  const ctx: Ctx = { ...outerCtx, play: playKeywords(keywords), warnings: [] };
  const loc = locatePath(ctx.src, [i]);
  if (hosts === undefined) ctx.problems.push({ message: `play ${i + 1} needs "hosts"`, loc });
  const outer: Enclosing = { tags: toList(keywords.tags), keywords: playKeywords(keywords) };
  const section = (name: string, list: Task[] | undefined) => tasksOf(ctx, list ?? [], [i, name], outer);
  const pr = ctx.pr ?? playRoles(ctx.dir, ctx.problems);
  const handlerNodes = section('handlers', handlers);
  const preNodes = section('pre_tasks', pre_tasks);
  const roleNodes: TaskNode[] = [];
  (Array.isArray(roles) ? roles : []).forEach((r, j) => {
    const req = roleEntry(ctx.src, [i, 'roles', j], r, ctx.problems);
    const block = req && expandRole(pr, taskReader(ctx), req, outer, (f, from, role) => handlersOf(ctx, f, from, role));
    if (block) roleNodes.push(block);
  });
  const roleHandlers = pr.handlers.length;
  const taskNodes = [...section('tasks', tasks), ...section('post_tasks', post_tasks)];
  const fileLocs = new Map<string, Problem['loc'] & object>();
  for (const key of ['vars_files', 'defaults_files'] as const) {
    (keywords[key] ?? []).forEach(
      (f, j) => fileLocs.has(resolve(ctx.dir, f)) || fileLocs.set(resolve(ctx.dir, f), locatePath(ctx.src, [i, key, j])),
    );
  }
  return {
    name:
      keywords.name ??
      toList(hosts)
        .filter((h) => typeof h === 'string')
        .join(':'),
    // A hosts value of the wrong type was reported by the schema check; the play then targets nothing.
    hosts: toList(hosts).filter((h): h is string => typeof h === 'string'),
    keywords,
    tasks: [
      ...(gatherFacts(keywords.gather_facts)
        ? [gatheringFactsTask(ctx.file, ctx.dir, locatePath(ctx.src, [i, 'gather_facts']), outer.keywords)]
        : []),
      ...preNodes,
      ...roleNodes,
      ...taskNodes,
    ],
    handlers: [
      ...pr.handlers.slice(0, roleHandlers),
      ...handlerNodes.filter((t): t is ModuleTask => {
        if (t.kind === 'module') return true;
        ctx.problems.push({ message: 'a handler cannot be a block', loc: t.loc });
        return false;
      }),
      ...pr.handlers.slice(roleHandlers),
    ],
    roleDefaults: pr.defaults,
    roleVars: pr.vars,
    privateRoleFiles: pr.privateFiles,
    inlineVars: pr.inlineVars,
    varsFiles: (keywords.vars_files ?? []).map((f) => resolve(ctx.dir, f)),
    defaultsFiles: (keywords.defaults_files ?? []).map((f) => resolve(ctx.dir, f)),
    fileLocs,
    loc,
    ...(hosts === undefined ? {} : { hostsLoc: locatePath(ctx.src, [i, 'hosts']) }),
    file: ctx.file,
    dir: ctx.dir,
    unread: ctx.unread,
    ...(ctx.warnings.length ? { warnings: ctx.warnings } : {}),
  };
}

/** Normalizes a task list, expanding imports, includes and roles in place. */
function tasksOf(ctx: Ctx, list: Task[], path: (string | number)[], outer: Enclosing): TaskNode[] {
  if (!Array.isArray(list)) return [];
  const out: TaskNode[] = [];
  list.forEach((raw, j) => {
    if (!raw || typeof raw !== 'object') return;
    const p = [...path, j];
    if (raw.import_tasks !== undefined) out.push(...includeTasks(ctx, raw, p, outer, 'import_tasks'));
    else if (raw.include_tasks !== undefined) out.push(...includeTasks(ctx, raw, p, outer, 'include_tasks'));
    else if (raw.import_role !== undefined) out.push(...roleTask(ctx, raw, p, outer, 'import_role'));
    else if (raw.include_role !== undefined) out.push(...roleTask(ctx, raw, p, outer, 'include_role'));
    else {
      const node = raw.include_vars !== undefined ? includeVars(ctx, raw, p, outer) : taskOf(ctx, raw, p, outer);
      if (node) out.push(node);
    }
  });
  return out;
}

/** Keywords an import or include may carry: they apply to every task it brings (as a block around them). */
const IMPORT_KEYWORDS = new Set([
  'name',
  'tags',
  'when',
  'vars',
  'become',
  'become_user',
  'environment',
  'ignore_errors',
  'no_log',
  'check_mode',
  'delegate_to',
  'run_once',
  'timeout',
  'any_errors_fatal',
]);
/**
 * Keywords ansible-core accepts on include_tasks / include_role (its TaskInclude's, those tsplay runs): they are the
 * include's own (its tasks inherit only its vars and `when`); other keywords go under `apply:`.
 */
const INCLUDE_KEYWORDS = new Set(['name', 'tags', 'when', 'vars', 'ignore_errors', 'no_log', 'run_once', 'timeout']);
/** Keywords `apply:` may give the tasks of an include (a block's). */
const APPLY_KEYWORDS = new Set([...IMPORT_KEYWORDS, 'ignore_unreachable', 'throttle', 'delegate_facts'].filter((k) => k !== 'name'));
/** What an include (not an import) may carry besides: a loop. */
const LOOP_KEYWORDS = new Set(['loop', 'loop_control', 'loop_with']);

/** A task id unique in the playbook: a file expanded more than once (a role run twice) numbers its later copies. */
function uniqueId(ctx: Ctx, file: string, loc: Problem['loc'] & object): string {
  const id = `${file}:${loc.line}:${loc.col}`;
  const n = (ctx.ids.get(id) ?? 0) + 1;
  ctx.ids.set(id, n);
  return n === 1 ? id : `${id}#${n}`;
}

/** A task's name as Ansible shows it: `role : name` inside a role. */
function displayName(ctx: Ctx, name: string): string {
  return ctx.role ? `${ctx.role.name} : ${name}` : name;
}

/**
 * Checks the keywords beside an import/include and returns the items of its loop (a literal list), [undefined]
 * without one, or "run time" for a templated loop on an include (the engine renders it per host).
 */
function includeLoop(ctx: Ctx, raw: Task, path: (string | number)[], kind: StructureKeyword): unknown[] | 'run time' {
  const dynamic = kind === 'include_tasks' || kind === 'include_role';
  const key = writtenName(raw, kind);
  const valid = dynamic ? INCLUDE_KEYWORDS : IMPORT_KEYWORDS;
  const all = Object.keys(raw).filter((k) => k !== kind && !valid.has(k) && !(dynamic && LOOP_KEYWORDS.has(k)));
  // a keyword an import passes on to its tasks, on an include (ansible-core refuses it: it would be the include's own)
  const misplaced = dynamic ? all.filter((k) => IMPORT_KEYWORDS.has(k)) : [];
  for (const k of misplaced) {
    const arg = kind === 'include_tasks' ? 'file' : 'name';
    ctx.problems.push({
      message: `"${k}" is not a valid keyword on ${key} (ansible-core refuses it too: a keyword on an include is the include's own, not its tasks')`,
      loc: locatePath(ctx.src, [...path, k], { key: true }),
      hint: `to give it to the included tasks, write it under "apply:" (${key}: {${arg}: ..., apply: {${k}: ...}}), or use ${kind.replace('include_', 'import_')}`,
    });
  }
  const others = all.filter((k) => !misplaced.includes(k));
  if (others.length) {
    const loops = others.filter((k) => LOOP_KEYWORDS.has(k) || k.startsWith('with_'));
    const hint =
      loops.length && !dynamic
        ? `loops work on ${kind.replace('import_', 'include_')}, not on ${kind} (ansible-core refuses them too)`
        : undefined;
    ctx.problems.push({
      message: `${key} cannot be combined with ${others.map((k) => `"${k}"`).join(', ')}`,
      loc: locatePath(ctx.src, [...path, others[0] ?? ''], { key: true }),
      hint,
    });
  }
  if (raw.loop === undefined || !dynamic) return [undefined];
  if (!Array.isArray(raw.loop)) return 'run time';
  // with_* on an include: the item shape of its lookup (a literal list is shaped now, a template at run time)
  return raw.loop_with ? loopItems(raw.loop_with, raw.loop) : (raw.loop as unknown[]);
}

/** An include's `apply:` keywords, with where they are written. */
interface Apply {
  keywords: TaskKeywords;
  loc: SourceLocation;
}

/**
 * The `apply:` of an include_tasks / include_role (keywords given to its tasks, as a block around them), checked;
 * on an import it is refused, as ansible-core does.
 */
function applyOf(ctx: Ctx, value: unknown, path: (string | number)[], key: string, kind: StructureKeyword): Apply | undefined {
  if (value === undefined) return undefined;
  const loc = locatePath(ctx.src, [...path, key, 'apply']);
  if (kind === 'import_tasks' || kind === 'import_role') {
    ctx.problems.push({
      message: `"apply" is not an option of ${key} (ansible-core refuses it too)`,
      loc,
      hint: `put the keywords on ${key} itself: an import gives them to every task it brings`,
    });
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    ctx.problems.push({ message: `"apply" on ${key} must be a mapping of keywords`, loc });
    return undefined;
  }
  const bad = Object.keys(value).filter((k) => !APPLY_KEYWORDS.has(k));
  for (const k of bad)
    ctx.problems.push({
      message: `"${k}" cannot be applied to the tasks of ${key}`,
      loc: locatePath(ctx.src, [...path, key, 'apply', k], { key: true }),
      hint: `"apply" takes block keywords: ${[...APPLY_KEYWORDS].join(', ')}`,
    });
  const keywords = Object.fromEntries(Object.entries(value).filter(([k]) => APPLY_KEYWORDS.has(k))) as TaskKeywords;
  return { keywords, loc };
}

/** What the tasks of an include_tasks / include_role inherit (includedKeywords): the enclosing tags, the apply's, and keywords. */
function includeInner(outer: Enclosing, k: EffectiveKeywords, apply: Apply | undefined): Enclosing {
  return {
    tags: [...outer.tags, ...toList(apply?.keywords.tags)],
    keywords: includedKeywords(k, outer.keywords, apply),
  };
}

/**
 * The outer block of an include whose loop is rendered at run time: the loop and the include's keywords on it;
 * READ gives the included tasks, with what they inherit from it.
 */
function runTimeLoop(
  ctx: Ctx,
  raw: Task,
  path: (string | number)[],
  title: string,
  outer: Enclosing,
  apply: Apply | undefined,
  read: (inner: Enclosing) => TaskNode[],
): TaskNode {
  const loc = locatePath(ctx.src, path);
  const keyLocs = Object.fromEntries(Object.keys(raw).map((k) => [k, locatePath(ctx.src, [...path, k])]));
  const keywords = {
    ...includeKeywords(raw, undefined, false),
    loop: raw.loop,
    ...(raw.loop_with ? { loop_with: raw.loop_with } : {}),
    ...(raw.loop_control ? { loop_control: raw.loop_control } : {}),
  } as TaskKeywords;
  const tags = [...outer.tags, ...toList(raw.tags)];
  const effective = applyKeywords(outer.keywords, keywords, { loc, whenLocs: whenLocs(ctx, raw, path), runTimeLoop: true, params: true });
  const inner = read(includeInner(outer, insideBlock(effective, keywords, true), apply));
  return includeBlock(ctx, { loc, keyLocs, title, keywords, effective, tags, block: inner, include: title });
}

/** The parts of a block that stands for an include (one pass of its loop, its loop as a whole, a file or role it may choose). */
interface IncludeParts {
  loc: SourceLocation;
  keyLocs?: Record<string, SourceLocation>;
  title: string;
  keywords: TaskKeywords;
  effective: EffectiveKeywords;
  tags: string[];
  block: TaskNode[];
  include?: string;
  choose?: IncludeChoice;
  candidate?: string;
}

/** The block of an include (the one place such a block is built): P with a unique id, no rescue or always, in ctx's role. */
function includeBlock(ctx: Ctx, p: IncludeParts): BlockTask {
  const { loc, keyLocs, block, include, choose, candidate, ...rest } = p;
  return {
    kind: 'block',
    id: uniqueId(ctx, ctx.file, loc),
    loc,
    ...(keyLocs ? { keyLocs } : {}),
    dir: ctx.dir,
    ...rest,
    block,
    rescue: [],
    always: [],
    ...(include !== undefined ? { include } : {}),
    ...(choose ? { choose } : {}),
    ...(candidate !== undefined ? { candidate } : {}),
    ...(ctx.role ? { role: ctx.role } : {}),
  };
}

/** What a name of an include may read before the run: the literal loop's item (ITEMVARS), role_path, role_name, playbook_dir. */
function nameVars(ctx: Ctx, itemVars: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(ctx.role ? { role_path: ctx.role.dir, role_name: ctx.role.name } : {}),
    ...(ctx.pr ? { playbook_dir: ctx.pr.playDir } : {}),
    ...itemVars,
  };
}

/** NAME rendered before the run when it is literal or reads only what nameVars gives; undefined when known only at run time. */
function nameBeforeRun(
  ctx: Ctx,
  name: string,
  itemVars: Record<string, unknown>,
  where: { loc: SourceLocation; field: string },
): string | undefined {
  if (!isTemplated(name)) return name;
  const vars = nameVars(ctx, itemVars);
  return staticName(name, vars, (s, scope) => renderValue(s, scope, where));
}

/**
 * The block of an include whose name is known only at run time: one child per file or role it can name (FOUND),
 * each read now; the engine renders the name per host and runs the child it names. Undefined (with a problem)
 * when nothing can match.
 */
function choiceBlock(
  ctx: Ctx,
  title: string,
  choice: IncludeChoice,
  from: SourceLocation,
  inner: Enclosing,
  found: string[],
  expand: (candidate: string) => TaskNode[],
): BlockTask | undefined {
  const what = choice.kind === 'file' ? 'task file' : 'role';
  if (found.length === 0) {
    ctx.problems.push({
      message: `no ${what} matches "${choice.pattern}", the names ${choice.key} "${choice.template}" can give (looked in ${choice.bases.join(', ')}): it would fail on every host that reaches it`,
      loc: from,
      hint: `check the name; tsplay reads every ${what} an include can name before the run`,
    });
    ctx.unread.push({ keys: [choice.key] });
    return undefined;
  }
  const candidates = found.map((c) =>
    includeBlock(ctx, {
      loc: from,
      title: `${title} (${c})`,
      keywords: {},
      effective: inner.keywords,
      tags: inner.tags,
      block: expand(c),
      candidate: c,
    }),
  );
  return includeBlock(ctx, {
    loc: from,
    keyLocs: { [choice.key]: from },
    title,
    keywords: {},
    effective: inner.keywords,
    tags: inner.tags,
    block: candidates,
    choose: choice,
  });
}

/** A templated name whose last part is nothing but a template could name any file: refused, with what to write. */
function unboundedProblem(ctx: Ctx, key: string, name: string, from: SourceLocation): void {
  ctx.problems.push({
    message: `${key} "${name}": the last part of the name is only a template, so tsplay cannot tell before the run which files it may name`,
    loc: from,
    hint: 'give the files a common part ("{{ x }}.yml", "install_{{ x }}.yml") or write one include per file with "when:"',
  });
  ctx.unread.push({ keys: [key] });
}

/**
 * The tasks an include_tasks brings: its file's when the name is known before the run (literal, or reading only a
 * literal loop's item, role_path, playbook_dir), else one block choosing at run time among the files it can name.
 */
function includedTasks(
  ctx: Ctx,
  key: string,
  title: string,
  file: string,
  from: SourceLocation,
  inner: Enclosing,
  itemVars: Record<string, unknown>,
): TaskNode[] {
  const name = nameBeforeRun(ctx, file, itemVars, { loc: from, field: key });
  if (name !== undefined) return fileTasks(ctx, includeFile(ctx, name), from, inner, ctx.role);
  const filled = fillKnown(file, nameVars(ctx, itemVars), (s, scope) => renderValue(s, scope, { loc: from, field: key }));
  if (unboundedName(filled)) {
    unboundedProblem(ctx, key, file, from);
    return [];
  }
  const bases = [ctx.dir, ...(ctx.role ? [resolve(ctx.role.dir, 'tasks')] : [])].filter((d, i, all) => all.indexOf(d) === i);
  const choice: IncludeChoice = { key, template: file, bases, kind: 'file', pattern: templatePattern(filled) };
  const found = candidateFiles(filled, bases, ctx.chain);
  const block = choiceBlock(ctx, title, choice, from, inner, found, (abs) => fileTasks(ctx, abs, from, inner, ctx.role));
  return block ? [block] : [];
}

/** Where each `when` condition of a task is written (each item of a list, or the one value). */
function whenLocs(ctx: Ctx, raw: Task, path: (string | number)[]): Array<Problem['loc'] & object> {
  if (raw.when === undefined) return [];
  if (!Array.isArray(raw.when)) return [locatePath(ctx.src, [...path, 'when'])];
  return raw.when.map((_, i) => locatePath(ctx.src, [...path, 'when', i]));
}

/** The block keywords of an import/include (its vars with the loop item, when, tags...). */
function includeKeywords(raw: Task, item: unknown, withItem: boolean, index = 0): TaskKeywords {
  const keywords = Object.fromEntries(Object.entries(raw).filter(([k]) => IMPORT_KEYWORDS.has(k) && k !== 'name')) as TaskKeywords;
  if (!withItem) return keywords;
  return { ...keywords, vars: { ...(keywords.vars ?? {}), ...loopVars(raw, item, index) } };
}

/** The variables one pass of an include's literal loop gives: its loop variable, and its index variable if named. */
function loopVars(raw: Task, item: unknown, index: number): Record<string, unknown> {
  const lc = raw.loop_control;
  return { [lc?.loop_var ?? 'item']: item, ...(lc?.index_var ? { [lc.index_var]: index } : {}) };
}

/** import_tasks / include_tasks: the file's tasks in place (once per item of a literal loop), inside a block carrying the keywords. */
function includeTasks(
  ctx: Ctx,
  raw: Task,
  path: (string | number)[],
  outer: Enclosing,
  kind: 'import_tasks' | 'include_tasks',
): TaskNode[] {
  const key = writtenName(raw, kind);
  const from = locatePath(ctx.src, [...path, key]);
  const value = raw[kind];
  const spec = typeof value === 'object' && value !== null ? value : { file: value };
  if (/(^|\.)include$/.test(key))
    ctx.warnings.push({
      message: `"${key}" is deprecated in ansible-core 2.14 (removed in 2.16): tsplay reads it as ${kind}, as ansible-core does`,
      loc: from,
      hint: `write ${kind}: (a file read before the run) or ${kind === 'import_tasks' ? 'include_tasks' : 'import_tasks'}: instead`,
    });
  const apply = applyOf(ctx, 'apply' in spec ? spec.apply : undefined, path, key, kind);
  const file = spec.file;
  const items = includeLoop(ctx, raw, path, kind);
  const dynamic = kind === 'include_tasks';
  if (typeof file !== 'string' || (!dynamic && isTemplated(file))) {
    ctx.problems.push({
      message:
        typeof file !== 'string'
          ? `${key} needs a file name`
          : `a templated file name on ${key} ("${file}") is not supported: an import is read before the run`,
      loc: from,
      hint: 'name the file literally, or use include_tasks, whose templated name is rendered per host when it is reached',
    });
    ctx.unread.push({ keys: [kind] });
    return [];
  }
  const loc = locatePath(ctx.src, path);
  const keyLocs = Object.fromEntries(Object.keys(raw).map((k) => [k, locatePath(ctx.src, [...path, k])]));
  const title = raw.name !== undefined ? displayName(ctx, raw.name) : key;
  const ownTags = [...outer.tags, ...toList(raw.tags)];
  const read = (inner: Enclosing, itemVars: Record<string, unknown>) => includedTasks(ctx, key, title, file, from, inner, itemVars);
  if (items === 'run time') return [runTimeLoop(ctx, raw, path, title, outer, apply, (inner) => read(inner, {}))];
  const looped = raw.loop !== undefined && dynamic;
  const whenAt = whenLocs(ctx, raw, path);
  const blocks = items.map((item, index) => {
    const keywords = includeKeywords(raw, item, looped, index);
    // an include_tasks's vars are include parameters (above set_fact); an import's are block vars
    const effective = applyKeywords(outer.keywords, keywords, { loc, whenLocs: whenAt, params: dynamic });
    // an include_tasks's `when` is judged where it is reached; an import's (and a literal loop item's) by each task
    const judged = insideBlock(effective, keywords, dynamic && !looped);
    // an include's tags, ignore_errors... are its own; an import passes every keyword on
    const inner = dynamic ? includeInner(outer, judged, apply) : { tags: ownTags, keywords: judged };
    const tasks = read(inner, looped ? loopVars(raw, item, index) : {});
    return includeBlock(ctx, { loc, keyLocs, title, keywords, effective, tags: ownTags, block: tasks });
  });
  if (!dynamic) {
    const only = blocks[0];
    if (only && !Object.keys(only.keywords).some((k) => k !== 'tags')) return only.block;
    return blocks;
  }
  if (!looped) return blocks.map((b) => ({ ...b, include: title }));
  return [
    includeBlock(ctx, { loc, keyLocs, title, keywords: {}, effective: outer.keywords, tags: ownTags, block: blocks, include: title }),
  ];
}

/** Where an included file is: relative to the including file, or (in a role) to the role's tasks/. */
function includeFile(ctx: Ctx, file: string): string {
  const here = resolve(ctx.dir, file);
  if (!ctx.role || existsSync(here)) return here;
  const inRole = resolve(ctx.role.dir, 'tasks', file);
  return existsSync(inRole) ? inRole : here;
}

/** The tasks of a file (import/include or a role's), read through the same pipeline as the playbook's own. */
function fileTasks(ctx: Ctx, abs: string, from: Problem['loc'], outer: Enclosing, role: RoleContext | undefined): TaskNode[] {
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
  if (read.data === null || read.data === undefined) return [];
  const canonical = canonicalDocument(read.source, read.data, 'tasks');
  const data = canonicalTasks(canonical.data);
  ctx.problems.push(...canonical.problems, ...checkTaskList(read.source, data));
  if (!Array.isArray(data)) return unreadable();
  const sub: Ctx = { ...ctx, src: read.source, file: abs, dir: dirname(abs), chain: [...ctx.chain, abs], role };
  return tasksOf(sub, data as Task[], [], outer);
}

/** Reads role task files for expandRole. */
function taskReader(ctx: Ctx): TaskReader {
  return { tasks: (file, from, outer, role) => fileTasks(ctx, file, from, outer, role) };
}

/** A role's handlers file: its handlers (named `role : name` like Ansible; notify may use either name). */
function handlersOf(ctx: Ctx, file: string, from: Problem['loc'], role: RoleContext): ModuleTask[] {
  // handlers run on their own, outside the blocks their role is in: they inherit only the play's keywords
  return fileTasks(ctx, file, from, { tags: [], keywords: ctx.play }, role).filter((t): t is ModuleTask => {
    if (t.kind === 'module') return true;
    ctx.problems.push({ message: 'a handler cannot be a block', loc: t.loc });
    return false;
  });
}

/** import_role / include_role: the role's tasks in place (include_role once per item of a literal loop). */
function roleTask(ctx: Ctx, raw: Task, path: (string | number)[], outer: Enclosing, kind: 'import_role' | 'include_role'): TaskNode[] {
  const key = writtenName(raw, kind);
  const ref = raw[kind];
  const items = includeLoop(ctx, raw, path, kind);
  if (!ref || typeof ref !== 'object') return [];
  const apply = applyOf(ctx, ref.apply, path, key, kind);
  const nameLoc = locatePath(ctx.src, [...path, key, 'name']);
  // an include_role's name may be a template (chosen per host at run time); the other options are read before the run
  const templated = Object.entries(ref).filter(([k, v]) => k !== 'apply' && (k !== 'name' || kind === 'import_role') && isTemplated(v));
  if (templated.length) {
    for (const [k, v] of templated)
      ctx.problems.push({
        message: `a templated "${k}" on ${key} ("${String(v)}") is not supported: tsplay reads roles before the run`,
        loc: locatePath(ctx.src, [...path, key, k]),
        hint:
          k === 'name'
            ? 'use include_role, whose templated name is rendered per host when it is reached, or name the role literally'
            : 'write it literally; to choose between files, write one task per choice with "when:"',
      });
    ctx.unread.push({ keys: [kind] });
    return [];
  }
  if (!ctx.pr) return [];
  const pr = ctx.pr;
  const title = raw.name !== undefined ? displayName(ctx, raw.name) : key;
  const runTime = items === 'run time';
  const looped = raw.loop !== undefined && kind === 'include_role' && !runTime;
  // an include_role's `when` is judged where it is reached (with a loop: per pass, by the loop's block)
  const atInclude = kind === 'include_role' && !looped && !runTime;
  const ownTags = [...outer.tags, ...toList(raw.tags)];
  const loc = locatePath(ctx.src, path);
  const request = (name: string, keywords: Record<string, unknown>, include: boolean, choice = false): RoleRequest => ({
    name,
    loc: nameLoc,
    params: {},
    keywords,
    from: { tasks: ref.tasks_from, vars: ref.vars_from, defaults: ref.defaults_from, handlers: ref.handlers_from },
    dedup: ref.allow_duplicates === false,
    includeParams: kind === 'include_role',
    // a run-time loop's block, or a choice's, already gives the role's tasks the apply
    ...(apply && !runTime && !choice ? { apply } : {}),
    ...(include ? { include: title } : {}),
  });
  const role = (req: RoleRequest, enclosing: Enclosing): TaskNode[] => {
    const block = expandRole(pr, taskReader(ctx), req, enclosing, (f, from, r) => handlersOf(ctx, f, from, r));
    return block ? [{ ...block, id: uniqueId(ctx, ctx.file, loc) }] : [];
  };
  const expand = (enclosing: Enclosing): TaskNode[] =>
    (runTime ? [undefined] : items).flatMap((item, index) => {
      const keywords = runTime ? {} : includeKeywords(raw, item, looped, index);
      const itemVars = looped ? loopVars(raw, item, index) : {};
      const name = nameBeforeRun(ctx, ref.name, itemVars, { loc: nameLoc, field: key });
      if (name !== undefined) return role(request(name, keywords, atInclude), enclosing);
      // the name is known only at run time: a block with the include's keywords around the choice among the roles it can name
      const effective = applyKeywords(enclosing.keywords, keywords, {
        loc,
        whenLocs: whenLocs(ctx, raw, path),
        params: kind === 'include_role',
      });
      const tags = [...enclosing.tags, ...toList(keywords.tags)];
      const inner = includeInner(enclosing, insideBlock(effective, keywords, atInclude), apply);
      const filled = fillKnown(ref.name, nameVars(ctx, itemVars), (s, scope) => renderValue(s, scope, { loc: nameLoc, field: key }));
      const choice: IncludeChoice = { key, template: ref.name, bases: [pr.playDir], kind: 'role', pattern: templatePattern(filled) };
      const found = candidateRoles(filled, pr.playDir);
      const chooser = choiceBlock(ctx, title, choice, nameLoc, inner, found, (dir) =>
        role({ ...request(dir, {}, false, true), private: true }, inner),
      );
      if (!chooser) return [];
      const keyLocs = Object.fromEntries(Object.keys(raw).map((k) => [k, locatePath(ctx.src, [...path, k])]));
      return [
        includeBlock(ctx, { loc, keyLocs, title, keywords, effective, tags, block: [chooser], ...(atInclude ? { include: title } : {}) }),
      ];
    });
  // with a run-time loop the role is inside the loop's block; otherwise the role's block carries the keywords itself
  if (runTime) return [runTimeLoop(ctx, raw, path, title, outer, apply, expand)];
  // an include_role's tags are its own (its role's tasks do not inherit them); an import_role's reach every task
  const blocks = expand({ tags: kind === 'include_role' ? outer.tags : ownTags, keywords: outer.keywords });
  if (!looped) return blocks;
  return [includeBlock(ctx, { loc, title, keywords: {}, effective: outer.keywords, tags: ownTags, block: blocks, include: title })];
}

/** include_vars: read before the run and set on the host when the task runs (as set_fact does). */
function includeVars(ctx: Ctx, raw: Task, path: (string | number)[], outer: Enclosing): TaskNode | undefined {
  const key = writtenName(raw, 'include_vars');
  const value = raw.include_vars;
  const spec: IncludeVarsSpec = typeof value === 'string' ? { file: value } : (value ?? {});
  const loc = locatePath(ctx.src, [...path, key]);
  const templated = [spec.file, spec.dir].find((v) => isTemplated(v));
  if (templated !== undefined) {
    ctx.problems.push({
      message: `a templated file name on ${key} ("${String(templated)}") is not supported: tsplay reads vars files before the run`,
      loc,
      hint: 'name the file literally; to choose between files, write one include_vars per file with "when:"',
    });
    ctx.unread.push({ keys: ['include_vars'] });
    return undefined;
  }
  const { vars, problems } = readIncludeVars(spec, ctx.dir, ctx.role?.dir, loc);
  ctx.problems.push(...problems);
  const { include_vars: _iv, ...rest } = raw;
  const node = taskOf(ctx, { ...rest, set_fact: vars }, path, outer);
  return node && { ...node, title: raw.name !== undefined ? displayName(ctx, raw.name) : key };
}

function taskOf(ctx: Ctx, raw: Task, path: (string | number)[], outer: Enclosing): TaskNode | undefined {
  const loc = locatePath(ctx.src, path);
  const id = uniqueId(ctx, ctx.file, loc);
  const tags = [...outer.tags, ...toList(raw.tags)];
  const modules = Object.keys(raw).filter((k) => moduleSet.has(k)) as TaskModule[];
  const keywords: TaskKeywords = Object.fromEntries(Object.entries(raw).filter(([k]) => !moduleSet.has(k) && !STRUCTURE.has(k)));
  const keyLocs = Object.fromEntries(Object.keys(raw).map((k) => [k, locatePath(ctx.src, [...path, k])]));
  const effective = applyKeywords(outer.keywords, keywords, { loc, whenLocs: whenLocs(ctx, raw, path) });
  const base = { id, loc, dir: ctx.dir, keywords, effective, tags, keyLocs, ...(ctx.role ? { role: ctx.role } : {}) };
  const inner: Enclosing = { tags, keywords: effective };
  if (raw.block !== undefined || raw.rescue !== undefined || raw.always !== undefined) {
    if (raw.block === undefined) {
      const part = raw.rescue !== undefined ? 'rescue' : 'always';
      const hint = modules.length
        ? `move "${modules[0]}" into a task under "block:", beside "${part}:"`
        : `add "block:" with the tasks that "${part}" belongs to`;
      ctx.problems.push({
        message: `"${part}" needs a "block" in the same task`,
        loc: locatePath(ctx.src, [...path, part], { key: true }),
        hint,
      });
    } else if (modules.length) {
      ctx.problems.push({
        message: `a block cannot also run a module ("${modules.join('", "')}")`,
        loc: locatePath(ctx.src, [...path, modules[0] ?? ''], { key: true }),
        hint: 'move the module into a task under "block:"',
      });
    }
    return {
      ...base,
      kind: 'block',
      title: raw.name ?? 'block',
      block: tasksOf(ctx, raw.block ?? [], [...path, 'block'], inner),
      rescue: tasksOf(ctx, raw.rescue ?? [], [...path, 'rescue'], inner),
      always: tasksOf(ctx, raw.always ?? [], [...path, 'always'], inner),
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
    ctx.problems.push({
      message: `task has more than one module: ${modules.join(', ')}`,
      loc: locatePath(ctx.src, [...path, modules[1] ?? ''], { key: true }),
    });
  }
  const module = modules[0] as TaskModule;
  const args: unknown = raw[module];
  if (args && typeof args === 'object' && !Array.isArray(args))
    for (const k of Object.keys(args)) keyLocs[`${module}.${k}`] = locatePath(ctx.src, [...path, module, k]);
  return { ...base, kind: 'module', module, args, title: raw.name !== undefined ? displayName(ctx, raw.name) : module };
}

/** A keyword that may be a string or a list, as a list. */
export function toList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
