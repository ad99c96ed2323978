// Checks that need the whole playbook (and inventory, -e, CLI options) but no host: handler names, until without
// register, variables no source defines, tags and --start-at-task that name nothing, delegate_to hosts, key and
// known_hosts files. Each problem is located at the keyword it is about.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Problem, SourceLocation } from '../errors/problem.js';
import { BUILTIN_NAMES, expressionNames, parseExpression } from '../expr/index.js';
import type { Inventory } from '../inventory/types.js';
import type { ModuleTask, Play, TaskKeywords, TaskNode } from '../playbook/model.js';
import { MODULE_REGISTRY } from '../tasks/registry.js';
import { templateVariables } from '../template/index.js';
import { firstVar, expandHome } from '../transports/var-values.js';
import { resolveBecome } from '../transports/connection-spec.js';
import { sshArgOptions } from '../transports/ssh-args.js';
import { didYouMean } from '../util/did-you-mean.js';
import { notAFile } from '../util/file-check.js';
import { MAGIC_VARIABLES } from './scope.js';
import { DEFAULTED_VARIABLES, IMPLICIT_LOCALHOSTS, RESCUE_VARIABLES } from './special-vars.js';
import { keyLoc } from './template-checks.js';

type Visit = (t: TaskNode, frames: TaskKeywords[], inRescue: boolean) => void;

/** Calls `fn` on every task and block of a list (blocks before their children), with the enclosing blocks' keywords. */
function eachTask(nodes: TaskNode[], fn: Visit, frames: TaskKeywords[] = [], inRescue = false): void {
  for (const t of nodes) {
    fn(t, frames, inRescue);
    if (t.kind === 'block') [t.block, t.rescue, t.always].forEach((n) => eachTask(n, fn, [...frames, t.keywords], inRescue || n === t.rescue));
  }
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Handler names must be unique in a play; every notify must name a handler (or a listen topic). */
export function checkHandlers(play: Play): Problem[] {
  const problems: Problem[] = [];
  const first = new Map<string, ModuleTask>();
  for (const h of play.handlers) {
    // handlers of roles are told apart by `role : name` (two roles may both have a "restart"; the last one answers)
    const name = h.role && h.keywords.name !== undefined ? h.title : h.keywords.name;
    if (name === undefined) continue;
    const earlier = first.get(name);
    if (!earlier) first.set(name, h);
    else {
      problems.push({
        message: `two handlers are named "${name}" (the other is at line ${earlier.loc.line}): a notify would run both`,
        loc: keyLoc(h, 'name'),
        hint: 'give each handler its own name; to run several handlers on one notify, give them the same "listen:" topic',
      });
    }
  }
  const known = [...first.keys(), ...play.handlers.flatMap((h) => [...(h.role && h.keywords.name !== undefined ? [h.keywords.name] : []), ...list(h.keywords.listen)])];
  eachTask([...play.tasks, ...play.handlers], (t) => {
    for (const n of list(t.keywords.notify)) {
      if (!known.includes(n)) {
        const hint = didYouMean(n, known) ?? (known.length ? `the handlers of this play are: ${known.map((k) => `"${k}"`).join(', ')}` : 'this play has no handlers');
        problems.push({ message: `notify: no handler named "${n}" in play "${play.name}"`, loc: keyLoc(t, 'notify'), task: t.title, hint });
      }
    }
  });
  return problems;
}

/** `ignore_errors` written as a string must be a boolean spelling: anything else (even a template) would silently be false. */
export function checkBooleanStrings(play: Play): Problem[] {
  const problems: Problem[] = [];
  eachTask([...play.tasks, ...play.handlers], (t) => {
    const v = t.keywords.ignore_errors;
    // booleans written as yes/no/on/off are booleans by now (ansible-forms); a {{ template }} is resolved per host
    if (typeof v !== 'string' || /^\s*\{\{.*\}\}\s*$/s.test(v)) return;
    problems.push({ message: `"ignore_errors" must be true or false, got ${JSON.stringify(v)}`, loc: keyLoc(t, 'ignore_errors'), task: t.title, hint: 'write true or false, or a {{ template }} giving one' });
  });
  return problems;
}

/** `until` is evaluated against this task's result, which it can only see through the task's `register`. */
export function checkUntil(play: Play): Problem[] {
  const problems: Problem[] = [];
  eachTask([...play.tasks, ...play.handlers], (t) => {
    const until = t.keywords.until;
    if (typeof until !== 'string' || t.keywords.register !== undefined) return;
    const { expr } = parseExpression(until);
    const root = expr ? [...expressionNames(expr.ast).used][0] : undefined;
    problems.push({
      message: '"until" needs "register" on the same task: the condition sees this task\'s result only through its registered name',
      loc: keyLoc(t, 'until'),
      task: t.title,
      hint: root ? `add "register: ${root}"` : 'add "register: NAME" and test NAME in the condition',
    });
  });
  return problems;
}

/** What the undefined-variable check knows about the run. */
export interface VariableSources {
  inventory: Inventory;
  extraVars: Record<string, unknown>;
  varsFiles: Map<string, Record<string, unknown>>;
  /** vars_files / defaults_files that could not be read (their variables are unknown). */
  unreadableFiles?: ReadonlySet<string>;
}

/** Keys of an unread task that may define variables nobody can list (set_fact, include_vars, roles, imports...). */
const DEFINES_VARIABLES = /(^|\.)(set_fact|include_vars|import_tasks|include_tasks|import_role|include_role|include|setup|gather_facts|add_host|group_by|set_stats)$/;

/**
 * Whether every variable a play can see is known: its vars files were read, and no task that could not be read
 * might define variables (an unknown module only hides its `register`, which is still counted).
 */
function variablesKnown(play: Play, unreadable: ReadonlySet<string>): boolean {
  if ([...play.varsFiles, ...play.defaultsFiles].some((f) => unreadable.has(f))) return false;
  return !(play.unread ?? []).some((u) => u.keys.some((k) => DEFINES_VARIABLES.test(k)));
}


/** Play keywords whose {{ templates }} are rendered when the play runs. */
const PLAY_RENDERED_KEYWORDS = ['serial', 'any_errors_fatal', 'become', 'gather_facts', 'check_mode', 'no_log'] as const;

/** Task keywords whose strings are rendered when the task runs (module arguments are checked separately). */
const RENDERED_KEYWORDS = ['loop', 'environment', 'timeout', 'delegate_to', 'become_user', 'retries', 'delay', 'run_once', 'no_log', 'become', 'check_mode', 'ignore_errors', 'delegate_facts', 'throttle'] as const;

/**
 * Variables that nothing can define: not the inventory (any host), -e, the play's vars / vars_files / defaults_files,
 * an enclosing block's or the task's vars, a loop, a `register` or `set_fact` anywhere in the playbook, a module's
 * facts, nor the engine. Only names a template or condition reads on every evaluation count (`default x`,
 * `x is defined` and names in the task's `when` guard them), so what is reported fails whenever the task runs.
 */
export function checkUndefinedVariables(plays: Play[], src: VariableSources): Problem[] {
  const global = new Set<string>([...MAGIC_VARIABLES, ...DEFAULTED_VARIABLES, ...BUILTIN_NAMES]);
  for (const h of src.inventory.hosts.values()) for (const k of Object.keys(h.vars)) global.add(k);
  for (const g of src.inventory.groups.values()) for (const k of Object.keys(g.vars)) global.add(k);
  for (const k of Object.keys(src.extraVars)) global.add(k);
  for (const k of dynamicNames(plays)) global.add(k);
  const problems: Problem[] = [];
  for (const play of plays) {
    if (!variablesKnown(play, src.unreadableFiles ?? new Set())) continue;
    const playKnown = new Set(global);
    for (const k of Object.keys(play.keywords.vars ?? {})) playKnown.add(k);
    for (const f of [...play.defaultsFiles, ...play.varsFiles, ...(play.roleDefaults ?? []), ...(play.roleVars ?? [])]) for (const k of Object.keys(src.varsFiles.get(f) ?? {})) playKnown.add(k);
    // play keywords given as {{ templates }} (resolved with the first host of the play or batch)
    for (const key of PLAY_RENDERED_KEYWORDS) {
      const v = play.keywords[key];
      if (typeof v !== 'string') continue;
      for (const name of templateVariables(v)) {
        if (playKnown.has(name)) continue;
        problems.push({ message: `undefined variable "${name}" in template ${JSON.stringify(v)} in play keyword ${key}: nothing defines it (inventory, -e, play vars, vars files)`, loc: play.loc, hint: didYouMean(name, playKnown) ?? `define it in the play's vars or with -e` });
      }
    }
    eachTask([...play.tasks, ...play.handlers], (t, frames, inRescue) => {
      const known = new Set(playKnown);
      if (inRescue) for (const v of RESCUE_VARIABLES) known.add(v);
      // Names a `when` of the task or its blocks mentions guard the task's templates (they only render when it holds).
      const whenNames = new Set<string>();
      for (const k of [...frames, t.keywords]) {
        for (const v of Object.keys(k.vars ?? {})) known.add(v);
        // an include looping at run time gives its tasks the loop variable
        if (k !== t.keywords && k.loop !== undefined) for (const v of [k.loop_control?.loop_var ?? 'item', k.loop_control?.index_var]) if (v) known.add(v);
        for (const c of list(k.when)) if (typeof c === 'string') for (const id of c.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) whenNames.add(id);
      }
      if (t.keywords.loop !== undefined) {
        const lc = t.keywords.loop_control;
        for (const v of [lc?.loop_var ?? 'item', lc?.index_var, 'ansible_loop', 'ansible_loop_var']) if (v) known.add(v);
      }
      const report = (name: string, what: string, field: string, shown: string): void => {
        problems.push({
          message: `undefined variable "${name}" in ${what} ${shown} in ${field}: nothing defines it (inventory, -e, play vars, vars files, block or task vars, register, set_fact)`,
          loc: keyLoc(t, field),
          task: t.title,
          hint: didYouMean(name, known) ?? `define it, or write {{ ${name} | default('...') }} if it is optional`,
        });
      };
      // Conditions: a name tested with "is defined" or given a default anywhere in them is guarded in all of them.
      // (Conditions of enclosing blocks only guard here: they are reported at the block itself.)
      const conds: Array<{ c: string; field: string; own: boolean }> = [];
      for (const k of frames) for (const c of list(k.when)) if (typeof c === 'string') conds.push({ c, field: 'when', own: false });
      for (const key of ['when', 'failed_when', 'changed_when'] as const) for (const c of list(t.keywords[key])) if (typeof c === 'string') conds.push({ c, field: key, own: true });
      if (typeof t.keywords.until === 'string' && t.keywords.register !== undefined) conds.push({ c: t.keywords.until, field: 'until', own: true });
      if (t.kind === 'module' && t.module === 'assert' && t.args && typeof t.args === 'object') {
        for (const c of list((t.args as { that?: unknown }).that)) if (typeof c === 'string') conds.push({ c, field: 'assert', own: true });
      }
      const parsed = conds.map((x) => {
        const { expr } = parseExpression(x.c);
        return { ...x, names: expr ? expressionNames(expr.ast) : undefined };
      });
      const guarded = new Set(parsed.flatMap((p) => [...(p.names?.guarded ?? [])]));
      for (const p of parsed) {
        if (!p.own) continue;
        for (const name of p.names?.used ?? []) if (!known.has(name) && !guarded.has(name)) report(name, 'condition', p.field, JSON.stringify(p.c));
      }
      const template = (s: string, field: string): void => {
        for (const name of templateVariables(s)) if (!known.has(name) && !guarded.has(name) && !whenNames.has(name)) report(name, 'template', field, JSON.stringify(s));
      };
      for (const key of RENDERED_KEYWORDS) strings(t.keywords[key], (s) => template(s, key));
      if (t.kind !== 'module') return;
      const raw = t.module === 'meta' ? [] : (MODULE_REGISTRY[t.module].rawArgs ?? []);
      const args = t.args && typeof t.args === 'object' && !Array.isArray(t.args) ? (t.args as Record<string, unknown>) : { _: t.args };
      for (const [key, v] of Object.entries(args)) if (!raw.includes(key)) strings(v, (s) => template(s, t.module));
    });
  }
  return problems;
}

/** Variables a task sets while the playbook runs, anywhere in it: register names, set_fact keys, module facts. */
export function dynamicNames(plays: Play[]): Set<string> {
  const out = new Set<string>();
  for (const play of plays) {
    for (const u of play.unread ?? []) if (u.register) out.add(u.register);
    eachTask([...play.tasks, ...play.handlers], (t) => {
      if (t.keywords.register) out.add(t.keywords.register);
      if (t.kind !== 'module') return;
      if (t.module === 'set_fact' && t.args && typeof t.args === 'object') for (const k of Object.keys(t.args)) out.add(k);
      if (t.module !== 'meta') for (const k of MODULE_REGISTRY[t.module].facts ?? []) out.add(k);
    });
  }
  return out;
}

function strings(v: unknown, fn: (s: string) => void): void {
  if (typeof v === 'string') fn(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, fn));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, fn));
}

const SPECIAL_TAGS = ['all', 'always', 'never', 'tagged', 'untagged'];

/** A tag given to --tags / --skip-tags that no task has is a typo that would run (or skip) the wrong tasks. */
export function checkTags(plays: Play[], tags: string[], skipTags: string[]): Problem[] {
  const have = new Set<string>();
  for (const p of plays) eachTask([...p.tasks, ...p.handlers], (t) => t.tags.forEach((g) => have.add(g)));
  const problems: Problem[] = [];
  for (const [option, given] of [['--tags', tags], ['--skip-tags', skipTags]] as const) {
    for (const tag of given) {
      if (have.has(tag) || SPECIAL_TAGS.includes(tag)) continue;
      const hint = didYouMean(tag, have) ?? (have.size ? `the playbook's tags are: ${[...have].sort().join(', ')}` : 'no task of this playbook has tags');
      problems.push({ message: `${option}: no task has the tag "${tag}"`, hint });
    }
  }
  return problems;
}

/** --start-at-task must name a task (the run would otherwise skip every task). */
export function checkStartAt(plays: Play[], name: string | undefined): Problem[] {
  if (name === undefined) return [];
  const titles: string[] = [];
  for (const p of plays) eachTask(p.tasks, (t) => t.kind === 'module' && titles.push(t.title));
  if (titles.includes(name)) return [];
  return [{ message: `--start-at-task: no task is named "${name}"`, hint: didYouMean(name, titles) }];
}

/** A literal delegate_to must be an inventory host, a name add_host creates, or the implicit localhost (localhost, 127.0.0.1 or ::1). */
export function checkDelegates(plays: Play[], inventory: Inventory, added: Iterable<string> = []): Problem[] {
  const problems: Problem[] = [];
  // hosts of the inventory, the implicit localhost, and the names add_host creates while the run goes
  const hosts = [...inventory.hosts.keys(), ...IMPLICIT_LOCALHOSTS, ...added];
  for (const p of plays) {
    eachTask([...p.tasks, ...p.handlers], (t) => {
      const d = t.keywords.delegate_to;
      if (typeof d !== 'string' || d.includes('{{') || hosts.includes(d)) return;
      problems.push({ message: `delegate_to: "${d}" is not a host of the inventory`, loc: keyLoc(t, 'delegate_to'), task: t.title, hint: didYouMean(d, hosts) ?? 'add it to the inventory, or use localhost for the controller' });
    });
  }
  return problems;
}

/** Connection settings the files checks need (from the command line). */
export interface FileCheckOptions {
  privateKeyFile?: string | undefined;
  knownHostsFiles?: string[] | undefined;
  acceptNewHostKeys?: boolean | undefined;
}

/**
 * Private key files and explicitly given known_hosts files must be files, checked once per file for every host
 * that uses it (over SSH): a missing one would otherwise only show when the host is reached.
 */
export function checkConnectionFiles(hosts: Array<{ name: string; vars: Record<string, unknown> }>, inventory: Inventory, cli: FileCheckOptions): Problem[] {
  const keys = new Map<string, { from: string; hosts: string[]; loc?: SourceLocation | undefined }>();
  const knownHosts = new Map<string, { from: string; hosts: string[]; first: boolean }>();
  for (const h of hosts) {
    const conn = h.vars['ansible_connection'];
    if (conn === 'local' || (conn === undefined && h.name === 'localhost' && !inventory.hosts.has('localhost'))) continue;
    const keyVar = firstVar(h.vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file']);
    const key = keyVar ? String(keyVar.value) : cli.privateKeyFile;
    if (key !== undefined) {
      const file = expandHome(key);
      const entry = keys.get(file) ?? { from: keyVar ? keyVar.name : '--private-key', hosts: [], loc: keyVar ? varLocation(inventory, h.name, keyVar.name) : undefined };
      entry.hosts.push(h.name);
      keys.set(file, entry);
    }
    const fromArgs = sshArgOptions(h.vars).knownHostsFiles;
    const explicit = cli.knownHostsFiles?.map(expandHome) ?? fromArgs;
    explicit?.forEach((f, i) => {
      const entry = knownHosts.get(f) ?? { from: cli.knownHostsFiles ? '--known-hosts' : 'UserKnownHostsFile in ansible_ssh_common_args', hosts: [], first: i === 0 };
      entry.hosts.push(h.name);
      knownHosts.set(f, entry);
    });
  }
  const problems: Problem[] = [];
  const who = (hs: string[]) => (hs.length > 3 ? `${hs.slice(0, 3).join(', ')} and ${hs.length - 3} more` : hs.join(', '));
  for (const [file, k] of keys) {
    const why = notAFile(isAbsolute(file) ? file : resolve(file));
    if (why) problems.push({ message: `${k.from}: private key file ${file} ${why} (used by ${who(k.hosts)})`, loc: k.loc, hint: why === 'does not exist' ? 'paths are relative to the directory tsplay runs in' : undefined });
  }
  for (const [file, k] of knownHosts) {
    const why = notAFile(file);
    if (!why || (why === 'does not exist' && cli.acceptNewHostKeys && k.first)) continue;
    const hint = why === 'does not exist' ? 'create it with ssh-keyscan -p PORT HOST >> FILE, or add --accept-new-host-keys to record keys on first contact' : undefined;
    problems.push({ message: `${k.from}: known_hosts file ${file} ${why} (used by ${who(k.hosts)})`, hint });
  }
  return problems;
}

/**
 * The become settings of every targeted host (ansible_become must be a boolean, only sudo is supported): the
 * engine resolves them for every task, so a bad one would fail each task on the host. One problem per setting.
 */
export function checkBecome(hosts: Array<{ name: string; vars: Record<string, unknown> }>, inventory: Inventory): Problem[] {
  const found = new Map<string, { p: Problem; hosts: string[] }>();
  for (const h of hosts) {
    for (const p of resolveBecome(h.vars).problems) {
      const entry = found.get(p.message) ?? { p, hosts: [] };
      entry.hosts.push(h.name);
      if (!found.has(p.message)) {
        const key = /^ansible_become /.test(p.message) ? 'ansible_become' : 'ansible_become_method';
        entry.p = { ...p, loc: h.vars[key] !== undefined ? varLocation(inventory, h.name, key) : undefined };
        found.set(p.message, entry);
      }
    }
  }
  const who = (hs: string[]) => (hs.length > 3 ? `${hs.slice(0, 3).join(', ')} and ${hs.length - 3} more` : hs.join(', '));
  return [...found.values()].map(({ p, hosts: hs }) => ({ ...p, message: `${p.message} (hosts ${who(hs)})` }));
}

/**
 * Where a host's variable is set in the inventory files: the host's own line, else the first line that sets it and
 * is not another host's line (`m3 ... key=v` or `m3: { key: v }` sets it for m3 only).
 */
export function varLocation(inv: Inventory, host: string, key: string): SourceLocation | undefined {
  const h = inv.hosts.get(host);
  const files = [h?.source?.file, ...(h?.groups ?? []).map((g) => inv.groups.get(g)?.source?.file)].filter((f): f is string => f !== undefined);
  const pattern = new RegExp(`(^|\\s)${key}\\s*[=:]`);
  for (const file of [...new Set(files)]) {
    let lines: string[];
    try {
      lines = readFileSync(file, 'utf8').split(/\r?\n/);
    } catch {
      continue;
    }
    if (file === h?.source?.file) {
      const own = lines[(h.source?.line ?? 0) - 1] ?? '';
      const m = pattern.exec(own);
      if (m) return { file, line: h.source?.line ?? 1, col: m.index + (m[1] ?? '').length + 1 };
    }
    for (const [i, line] of lines.entries()) {
      const m = pattern.exec(line);
      const first = line.trim().split(/[\s:]/)[0] ?? '';
      if (m && (first === host || !inv.hosts.has(first))) return { file, line: i + 1, col: m.index + (m[1] ?? '').length + 1 };
    }
  }
  return h?.source;
}
