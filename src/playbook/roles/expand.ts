import { basename } from 'node:path';
import type { Problem, SourceLocation } from '../../errors/problem.js';
import { applyKeywords, includedKeywords, insideBlock, type Enclosing } from '../effective-keywords.js';
import type { BlockTask, ModuleTask, RoleContext, TaskKeywords, TaskNode } from '../model.js';
import { readYamlFile } from '../read-yaml-file.js';
import { roleEntry, type RoleRequest } from './role-entry.js';
import { roleFile } from './role-files.js';
import { findRole } from './search.js';

/** How role files are read: through the same pipeline as the playbook's own tasks (normalize.ts provides it). */
export interface TaskReader {
  /** The tasks of a file, inheriting the tags and keywords of OUTER, belonging to ROLE. */
  tasks(file: string, from: SourceLocation, outer: Enclosing, role: RoleContext): TaskNode[];
}

/** What expanding the roles of one play collects. */
export interface PlayRoles {
  /** Directory of the playbook (roles are searched from it). */
  playDir: string;
  problems: Problem[];
  /** Identities of the roles run so far (deduplication). */
  seen: Set<string>;
  /** Handlers of the play's roles, in the order Ansible adds them. */
  handlers: ModuleTask[];
  /** Handler files already read (a role's handlers are added once). */
  handlerFiles: Set<string>;
  /** Defaults and vars of every role of the play (keys of the run's vars files), in order. */
  defaults: string[];
  vars: string[];
  /** Defaults and vars of roles only their own tasks see (those a templated include_role may pick), by key. */
  privateFiles: string[];
  /** Inline role vars by key. */
  inlineVars: Map<string, Record<string, unknown>>;
  /** Role directories being expanded (dependency cycles). */
  chain: string[];
}

/** A fresh PlayRoles for a play written in PLAYDIR. */
export function playRoles(playDir: string, problems: Problem[]): PlayRoles {
  return {
    playDir,
    problems,
    seen: new Set(),
    handlers: [],
    handlerFiles: new Set(),
    defaults: [],
    vars: [],
    privateFiles: [],
    inlineVars: new Map(),
    chain: [],
  };
}

const addOnce = (list: string[], key: string | undefined): void => {
  if (key !== undefined && !list.includes(key)) list.push(key);
};

/**
 * Expands one role (its meta dependencies first) into a block of its tasks: the request's keywords apply to all of
 * them, its parameters are the block's vars; its defaults/vars join the play's, its handlers the play's handlers.
 * A role already run with the same parameters (play roles, dependencies) becomes a duplicate block (listed, not run).
 */
export function expandRole(
  pr: PlayRoles,
  reader: TaskReader,
  req: RoleRequest,
  outer: Enclosing,
  handlerReader: (file: string, from: SourceLocation, role: RoleContext) => ModuleTask[],
): BlockTask | undefined {
  const found = findRole(req.name, pr.playDir);
  if (found.dir === undefined) {
    pr.problems.push({
      message: `role "${req.name}" not found (looked in ${found.searched.join(', ')})`,
      loc: req.loc,
      hint: 'put the role in roles/ next to the playbook, or set roles_path in an ansible.cfg there',
    });
    return undefined;
  }
  const dir = found.dir;
  if (pr.chain.includes(dir)) {
    pr.problems.push({ message: `role dependency cycle: ${[...pr.chain, dir].join(' -> ')}`, loc: req.loc });
    return undefined;
  }
  const meta = readMeta(dir, pr.problems);
  const identity = JSON.stringify([dir, req.params, req.keywords, req.roleVars ?? {}, req.from]);
  const duplicate = req.dedup && !meta.allowDuplicates && pr.seen.has(identity);
  // a role a templated include_role may pick may never run: it does not count as run for the play's later roles
  if (!req.private) pr.seen.add(identity);
  const ownTags = [...outer.tags, ...listOf(req.keywords['tags'])];
  const vars = { ...((req.keywords['vars'] as Record<string, unknown> | undefined) ?? {}), ...req.params };
  const keywords = { ...req.keywords, ...(Object.keys(vars).length ? { vars } : {}) } as TaskKeywords;
  // role parameters and an include_role's vars rank above set_fact (ansible-core's role and include params)
  const params = req.includeParams === true || Object.keys(req.params).length > 0;
  const effective = applyKeywords(outer.keywords, keywords, { loc: req.loc, params });
  // an include_role's `when` is judged where it is reached, not again for each task of the role; its other keywords
  // are its own (its tasks inherit its vars, and its `apply:`), as in ansible-core
  const judged = insideBlock(effective, keywords, req.include !== undefined);
  const applied = req.apply && { keywords: req.apply.keywords as TaskKeywords, loc: req.apply.loc };
  const inner: Enclosing = req.includeParams
    ? { tags: [...outer.tags, ...listOf(applied?.keywords.tags)], keywords: includedKeywords(judged, outer.keywords, applied) }
    : { tags: ownTags, keywords: judged };
  pr.chain.push(dir);
  const deps: BlockTask[] = [];
  for (const d of meta.dependencies) {
    const block = expandRole(pr, reader, req.private ? { ...d, private: true } : d, inner, handlerReader);
    if (block) deps.push(block);
  }
  pr.chain.pop();
  const part = (name: string, from: string | undefined): string | undefined => {
    const f = roleFile(dir, name, from);
    if (f === undefined && from !== undefined)
      pr.problems.push({ message: `role "${req.name}" has no ${name}/${from} (nor ${from}.yml, ${from}.yaml)`, loc: req.loc });
    return f;
  };
  const defaultsFile = part('defaults', req.from.defaults);
  const varsFile = part('vars', req.from.vars);
  const inlineKey = req.roleVars ? `${req.loc.file}:${req.loc.line}:${req.loc.col}:vars` : undefined;
  if (inlineKey && req.roleVars) pr.inlineVars.set(inlineKey, req.roleVars);
  const depRoles = deps.map((b) => b.role).filter((r): r is RoleContext => r !== undefined);
  const role: RoleContext = {
    // a role written as a path is named by its directory, as in Ansible
    name: basename(req.name),
    dir,
    defaults: [...new Set([...depRoles.flatMap((r) => r.defaults), ...(defaultsFile ? [defaultsFile] : [])])],
    vars: [...new Set([...depRoles.flatMap((r) => r.vars), ...(inlineKey ? [inlineKey] : []), ...(varsFile ? [varsFile] : [])])],
  };
  // a role a templated include_role may pick: its defaults and vars are its own tasks' only (it may never run)
  addOnce(req.private ? pr.privateFiles : pr.defaults, defaultsFile);
  addOnce(req.private ? pr.privateFiles : pr.vars, inlineKey);
  addOnce(req.private ? pr.privateFiles : pr.vars, varsFile);
  const handlersFile = part('handlers', req.from.handlers);
  if (handlersFile !== undefined && !pr.handlerFiles.has(handlersFile)) {
    pr.handlerFiles.add(handlersFile);
    pr.handlers.push(...handlerReader(handlersFile, req.loc, role));
  }
  const tasksFile = part('tasks', req.from.tasks);
  const tasks = tasksFile === undefined ? [] : reader.tasks(tasksFile, req.loc, inner, role);
  return {
    kind: 'block',
    id: `${req.loc.file}:${req.loc.line}:${req.loc.col}`,
    loc: req.loc,
    dir,
    keywords,
    effective,
    tags: ownTags,
    title: `role ${basename(req.name)}`,
    role,
    block: [...deps, ...tasks],
    rescue: [],
    always: [],
    ...(req.include !== undefined ? { include: req.include } : {}),
    ...(duplicate ? { duplicate: true } : {}),
  };
}

/** A role's meta/main.yml: its dependencies and allow_duplicates. */
function readMeta(dir: string, problems: Problem[]): { dependencies: RoleRequest[]; allowDuplicates: boolean } {
  const file = roleFile(dir, 'meta');
  if (file === undefined) return { dependencies: [], allowDuplicates: false };
  const r = readYamlFile(file);
  problems.push(...r.problems);
  if (!r.source || !r.data || typeof r.data !== 'object' || Array.isArray(r.data)) return { dependencies: [], allowDuplicates: false };
  const data = r.data as { dependencies?: unknown; allow_duplicates?: unknown };
  const deps = Array.isArray(data.dependencies) ? data.dependencies : [];
  const src = r.source;
  const dependencies = deps.flatMap((d: unknown, j) => roleEntry(src, ['dependencies', j], d, problems) ?? []);
  return {
    dependencies,
    allowDuplicates: data.allow_duplicates === true || data.allow_duplicates === 'yes' || data.allow_duplicates === 'true',
  };
}

function listOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
