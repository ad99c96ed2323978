import { RULES, runRules, type CheckContext, type ConnectionHost } from '../check/index.js';
import type { Problem } from '../errors/problem.js';
import { loadInventory, matchHosts } from '../inventory/index.js';
import type { Inventory } from '../inventory/types.js';
import type { Play } from '../playbook/model.js';
import { loadPlays } from '../playbook/normalize.js';
import { readYamlFile } from '../playbook/read-yaml-file.js';
import { playTasks, walkTasks } from '../playbook/task-walk.js';
import { makeScope } from '../template/index.js';
import { resolveConnectionSpec } from '../connection/connection-spec.js';
import type { ConnectionSpec } from '../connection/types.js';
import type { RunOptions } from './options.js';
import { playTitle } from './play-title.js';
import { runPreflights } from './preflight.js';
import { isSecretName, leaves, secretLeaves } from './redact.js';
import { allRuntimeNames, runtimeNamesByPlay } from './runtime-names.js';
import { MAGIC_VARIABLES } from './scope.js';
import { DEFAULTED_VARIABLES, IMPLICIT_LOCALHOSTS, RESCUE_VARIABLES } from './special-vars.js';

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

/** Loads inventory and playbook, resolves hosts and connections, and runs every check rule; reports all problems at once. */
export async function prepare(opts: RunOptions): Promise<Prepared> {
  const { inventory, problems: invProblems } = await loadInventory(opts.inventory);
  const playbookProblems: Problem[] = [];
  const plays = loadPlays(opts.playbook, playbookProblems);
  const unreadableFiles = new Set<string>();
  const varsFiles = loadVarsFiles(plays, playbookProblems, unreadableFiles);
  const limited = opts.limit ? matchHosts(inventory, opts.limit) : undefined;
  const runtime = runtimeNamesByPlay(plays);
  const matches = plays.map((play, i) =>
    play.hosts.length === 0 ? undefined : matchHosts(inventory, play.hosts, { emptyIsWarning: true, runtime: runtime[i] }),
  );
  // a pattern naming what add_host/group_by create is matched again when the play starts
  const rematch = matches.map((m) => m?.later === true);
  const playHosts = matches.map((m) => (m === undefined ? [] : limited ? m.hosts.filter((h) => limited.hosts.includes(h)) : m.hosts));
  const specs = new Map<string, ConnectionSpec>();
  const secrets: string[] = [];
  const connections: ConnectionHost[] = [];
  for (const name of [...new Set(playHosts.flat()), ...delegates(plays, inventory)]) {
    const vars = resolvedHostVars(inventory, name, opts.extraVars);
    for (const [k, v] of Object.entries(vars)) if (isSecretName(k)) secrets.push(...leaves(v));
    const r = resolveConnectionSpec(name, vars, opts.connection);
    if (r.spec) specs.set(name, r.spec);
    connections.push({ name, vars, problems: r.problems });
  }
  const warnings: Problem[] = [];
  const ctx: CheckContext = {
    opts,
    inventory,
    plays,
    varsFiles,
    unreadableFiles,
    read: { input: opts.inputProblems ?? [], inventory: invProblems, playbook: playbookProblems },
    limited,
    matches,
    playHosts,
    rematch,
    connections,
    engine: {
      variables: [...MAGIC_VARIABLES, ...DEFAULTED_VARIABLES],
      rescueVariables: RESCUE_VARIABLES,
      localhosts: IMPLICIT_LOCALHOSTS,
      runtimeHosts: allRuntimeNames(plays).names,
    },
    playTitle: (play) => playTitle(play, varsFiles, opts.extraVars),
    // Preflights read the object store: only for input that is otherwise valid (a broken run never reaches out).
    preflight: opts.preflight === false ? undefined : () => runPreflights({ plays, playHosts, inventory, varsFiles, opts }),
    warnings,
  };
  const problems = await runRules(RULES, ctx);
  // -e values are in the run-start event (and so the journal): secret-named keys at any depth, known before it.
  secrets.push(...secretLeaves(opts.extraVars));
  return { inventory, plays, playHosts, rematch, specs, varsFiles, secrets, problems, warnings };
}

/** A host's inventory vars (plus extra vars) with templates rendered, for its connection settings. */
export function resolvedHostVars(inv: Inventory, name: string, extra: Record<string, unknown>): Record<string, unknown> {
  const base = inv.hosts.get(name)?.vars ?? (IMPLICIT_LOCALHOSTS.includes(name) ? { ansible_connection: 'local' } : {});
  const scope = makeScope(
    [
      { kind: 'authored', vars: base },
      { kind: 'authored', vars: extra },
      { kind: 'data', vars: { inventory_hostname: name } },
    ],
    { host: name },
  );
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
  for (const p of plays) {
    walkTasks(playTasks(p), (t) => {
      const d = t.keywords.delegate_to;
      if (typeof d === 'string' && !d.includes('{{') && (inv.hosts.has(d) || IMPLICIT_LOCALHOSTS.includes(d))) out.add(d);
    });
  }
  return [...out];
}

function loadVarsFiles(plays: Play[], problems: Problem[], unreadable: Set<string>): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const play of plays) {
    for (const [key, vars] of play.inlineVars ?? []) out.set(key, vars);
    const roleFiles = new Set([...(play.roleDefaults ?? []), ...(play.roleVars ?? []), ...(play.privateRoleFiles ?? [])]);
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
