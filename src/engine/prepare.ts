import type { Problem } from '../errors/problem.js';
import { loadInventory, matchHosts } from '../inventory/index.js';
import type { Inventory } from '../inventory/types.js';
import type { Play, TaskNode } from '../playbook/model.js';
import { loadPlays } from '../playbook/normalize.js';
import { readYamlFile } from '../playbook/read-yaml-file.js';
import { makeScope } from '../template/index.js';
import { resolveConnectionSpec } from '../transports/connection-spec.js';
import type { ConnectionSpec } from '../transports/transport.js';
import { checkCriticalKeywords } from './critical-checks.js';
import type { RunOptions } from './options.js';
import { playTitle } from './play-title.js';
import { isSecretName, leaves, secretLeaves } from './redact.js';
import { runPreflights } from './preflight.js';
import { checkBecome, checkBooleanStrings, checkConnectionFiles, checkDelegates, checkHandlers, checkStartAt, checkTags, checkUndefinedVariables, checkUntil, varLocation } from './static-checks.js';
import { checkPlayTemplates } from './template-checks.js';
import { allRuntimeNames, runtimeNamesByPlay } from './runtime-names.js';
import { IMPLICIT_LOCALHOSTS } from './special-vars.js';

/** A validated run: everything loaded and resolved, or every problem found (nothing contacted either way). */
export interface Prepared {
  inventory: Inventory;
  plays: Play[];
  /** Hosts each play targets (after --limit), in inventory order. */
  playHosts: string[][];
  specs: Map<string, ConnectionSpec>;
  varsFiles: Map<string, Record<string, unknown>>;
  /** Values that must never be shown (passwords, secret-named vars). */
  secrets: string[];
  problems: Problem[];
  /** Plays whose pattern names groups or hosts that add_host/group_by create: matched again when they start. */
  rematch: boolean[];
  /** Plays skipped because their pattern names only known groups/hosts yet matches none (as ansible-playbook skips them). */
  warnings: Problem[];
}

/** Loads and validates inventory, playbook, patterns, templates, conditions and connection settings; reports all problems at once. */
export async function prepare(opts: RunOptions): Promise<Prepared> {
  const problems: Problem[] = [...(opts.inputProblems ?? [])];
  const { inventory, problems: invProblems } = await loadInventory(opts.inventory);
  problems.push(...invProblems);
  // An inventory that could not be read has no hosts: "pattern matches no host" would only repeat that.
  const patternsMeaningful = invProblems.length === 0 || inventory.hosts.size > 0;
  const playbookProblems: Problem[] = [];
  const warnings: Problem[] = [];
  const plays = loadPlays(opts.playbook, playbookProblems);
  const unreadableFiles = new Set<string>();
  const varsFiles = loadVarsFiles(plays, playbookProblems, unreadableFiles);
  // Undefined variables are reported with every other problem, where what could define them was read: the
  // inventory and -e (else none), each play's vars files and tasks (else not for that play: see checkUndefinedVariables).
  const varsComplete = invProblems.length === 0 && !opts.inputProblems?.length;
  const limited = opts.limit ? matchHosts(inventory, opts.limit) : undefined;
  if (patternsMeaningful) problems.push(...(limited?.problems ?? []).map((p) => ({ ...p, message: `--limit: ${p.message}` })));
  const runtime = runtimeNamesByPlay(plays);
  const rematch: boolean[] = [];
  const playHosts = plays.map((play, i) => {
    if (play.hosts.length === 0) return [];
    const m = matchHosts(inventory, play.hosts, { emptyIsWarning: true, runtime: runtime[i] });
    // a pattern naming what add_host/group_by create is matched again when the play starts
    rematch[i] = m.later === true;
    if (patternsMeaningful) problems.push(...m.problems.map((p) => ({ ...p, loc: p.loc ?? play.hostsLoc ?? play.loc })));
    if (patternsMeaningful) warnings.push(...(m.warnings ?? []).map((p) => ({ ...p, message: `play "${play.name}" skipped: ${p.message}`, loc: p.loc ?? play.hostsLoc ?? play.loc })));
    if (patternsMeaningful) warnings.push(...(m.deferred ?? []).map((p) => ({ ...p, message: `play "${play.name}": ${p.message}`, loc: p.loc ?? play.hostsLoc ?? play.loc })));
    return limited ? m.hosts.filter((h) => limited.hosts.includes(h)) : m.hosts;
  });
  plays.forEach((play, i) => {
    playbookProblems.push(...checkPlayTemplates(play, warnings), ...checkHandlers(play), ...checkUntil(play), ...checkBooleanStrings(play), ...checkCriticalKeywords(play));
    if (patternsMeaningful && limited && playHosts[i]?.length === 0 && !limited.problems.length && play.hosts.length > 0 && !rematch[i]) {
      problems.push({ message: `no host of play "${play.name}" is in --limit ${opts.limit ?? ''}`, loc: play.hostsLoc ?? play.loc });
    }
  });
  playbookProblems.push(...checkDelegates(plays, inventory, allRuntimeNames(plays).names));
  if (varsComplete) {
    playbookProblems.push(...checkUndefinedVariables(plays, { inventory, extraVars: opts.extraVars, varsFiles, unreadableFiles }));
  }
  problems.push(...playbookProblems);
  problems.push(...checkStartAt(plays, opts.startAtTask));
  if (plays.length) problems.push(...checkTags(plays, opts.tags, opts.skipTags));
  problems.push(...checkDestructive(plays, opts, varsFiles));
  const targeted = new Set(playHosts.flat());
  const specs = new Map<string, ConnectionSpec>();
  const secrets: string[] = [];
  const connectionVars: Array<{ name: string; vars: Record<string, unknown> }> = [];
  const inVariables = new Map<string, { p: Problem; hosts: string[] }>();
  for (const name of [...targeted, ...delegates(plays, inventory)]) {
    const vars = resolvedHostVars(inventory, name, opts.extraVars);
    for (const [k, v] of Object.entries(vars)) if (isSecretName(k)) secrets.push(...leaves(v));
    const r = resolveConnectionSpec(name, vars, opts.connection);
    for (const { variable, ...p } of r.problems) {
      if (variable === undefined) {
        problems.push({ ...p, host: p.host ?? name });
        continue;
      }
      // one problem per bad variable (usually a group's), located in the inventory, naming the hosts it affects
      const loc = opts.extraVars[variable] === undefined ? varLocation(inventory, name, variable) : undefined;
      const key = `${p.message}\0${loc ? `${loc.file}:${loc.line}` : ''}`;
      const seen = inVariables.get(key) ?? { p: { ...p, loc }, hosts: [] };
      seen.hosts.push(name);
      inVariables.set(key, seen);
    }
    if (r.spec) specs.set(name, r.spec);
    connectionVars.push({ name, vars });
  }
  for (const { p, hosts } of inVariables.values()) {
    problems.push(hosts.length === 1 ? { ...p, host: hosts[0] } : { ...p, host: undefined, message: `${p.message} (hosts ${hosts.length > 3 ? `${hosts.slice(0, 3).join(', ')} and ${hosts.length - 3} more` : hosts.join(', ')})` });
  }
  problems.push(...checkConnectionFiles(connectionVars, inventory, opts.connection), ...checkBecome(connectionVars, inventory));
  // Preflights read the object store: only for input that is otherwise valid (a broken run never reaches out).
  if (opts.preflight !== false && problems.length === 0) problems.push(...(await runPreflights({ plays, playHosts, inventory, varsFiles, opts })));
  // -e values are in the run-start event (and so the journal): secret-named keys at any depth, known before it.
  secrets.push(...secretLeaves(opts.extraVars));
  return { inventory, plays, playHosts, rematch, specs, varsFiles, secrets, problems: byPosition(problems), warnings };
}

/** Problems of one file together (files in the order first seen) by line and column; problems without a place (CLI options) last, in order. */
function byPosition(problems: Problem[]): Problem[] {
  const files = [...new Set(problems.flatMap((p) => (p.loc ? [p.loc.file] : [])))];
  const key = (p: Problem): [number, number, number, number] => (p.loc ? [0, files.indexOf(p.loc.file), p.loc.line, p.loc.col] : [1, 0, 0, 0]);
  return problems
    .map((p, i) => ({ p, i, k: key(p) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.k[3] - b.k[3] || a.i - b.i)
    .map((x) => x.p);
}

/** A host's inventory vars (plus extra vars) with templates rendered, for its connection settings. */
export function resolvedHostVars(inv: Inventory, name: string, extra: Record<string, unknown>): Record<string, unknown> {
  const base = inv.hosts.get(name)?.vars ?? (IMPLICIT_LOCALHOSTS.includes(name) ? { ansible_connection: 'local' } : {});
  const scope = makeScope([{ kind: 'authored', vars: base }, { kind: 'authored', vars: extra }, { kind: 'data', vars: { inventory_hostname: name } }], { host: name });
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(base), ...Object.keys(extra)])) {
    if (!k.startsWith('ansible_') && !isSecretName(k)) continue;
    try {
      out[k] = scope[k];
    } catch {
      out[k] = base[k];
    }
  }
  return out;
}

/** delegate_to targets that are literal host names (the implicit localhost's names included). */
function delegates(plays: Play[], inv: Inventory): string[] {
  const out = new Set<string>();
  const visit = (nodes: TaskNode[]) => {
    for (const t of nodes) {
      const d = t.keywords.delegate_to;
      if (typeof d === 'string' && !d.includes('{{') && (inv.hosts.has(d) || IMPLICIT_LOCALHOSTS.includes(d))) out.add(d);
      if (t.kind === 'block') [t.block, t.rescue, t.always].forEach(visit);
    }
  };
  plays.forEach((p) => visit([...p.tasks, ...p.handlers]));
  return [...out];
}

function loadVarsFiles(plays: Play[], problems: Problem[], unreadable: Set<string>): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const play of plays) {
    for (const [key, vars] of play.inlineVars ?? []) out.set(key, vars);
    const roleFiles = new Set([...(play.roleDefaults ?? []), ...(play.roleVars ?? [])]);
    for (const file of [...play.defaultsFiles, ...play.varsFiles, ...roleFiles]) {
      if (out.has(file)) continue;
      const r = readYamlFile(file, play.fileLocs?.get(file) ?? play.loc);
      if (r.data === null && roleFiles.has(file)) r.data = {}; // a role's empty defaults/vars file, as ansible-core takes it
      problems.push(...r.problems);
      if (r.problems.length) unreadable.add(file);
      if (r.data !== undefined && (typeof r.data !== 'object' || r.data === null || Array.isArray(r.data))) {
        problems.push({ message: `vars file ${file} must be a mapping of variables`, loc: { file, line: 1, col: 1 } });
        unreadable.add(file);
      }
      out.set(file, (r.data ?? {}) as Record<string, unknown>);
    }
  }
  return out;
}

function checkDestructive(plays: Play[], opts: RunOptions, varsFiles: Map<string, Record<string, unknown>>): Problem[] {
  if (opts.yes || opts.interactive || opts.check || opts.validateOnly) return [];
  const found: Problem[] = [];
  const visit = (nodes: TaskNode[]) => {
    for (const t of nodes) {
      if (t.keywords.destructive) found.push({ message: `task "${t.title}" is destructive: run with --yes to confirm, or from a terminal`, loc: t.loc });
      if (t.kind === 'block') [t.block, t.rescue, t.always].forEach(visit);
    }
  };
  // a resume only runs the plays from where it stopped
  for (const p of plays.slice(opts.resume?.play ?? 0)) {
    if (p.keywords.destructive) found.push({ message: `play "${playTitle(p, varsFiles, opts.extraVars)}" is destructive: run with --yes to confirm, or from a terminal`, loc: p.loc });
    visit(p.tasks);
  }
  return found;
}
