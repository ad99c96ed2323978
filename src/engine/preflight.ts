// Module preflights: during validation, a task whose module has a `preflight` and whose arguments are fully known
// before the run (from -e, inventory, play and vars-file variables; nothing registered or set by a task) has them
// checked against controller-side resources (e.g. the object store), so a restore naming a snapshot that does not
// exist stops with exit 5 before any host is contacted.
import type { Problem } from '../errors/problem.js';
import type { Inventory } from '../inventory/types.js';
import { dynamicNames } from '../check/dynamic-names.js';
import { keyLoc } from '../check/locate.js';
import { allConditions } from '../playbook/effective-keywords.js';
import type { ModuleTask, Play } from '../playbook/model.js';
import { walkTasks } from '../playbook/task-walk.js';
import type { ModuleDef } from '../tasks/module.js';
import { MODULE_REGISTRY } from '../tasks/registry.js';
import { makeScope, renderValue } from '../template/index.js';
import { allHold } from './conditions.js';
import type { RunOptions } from './options.js';
import { tagsAllow } from './selection.js';
import { ANSIBLE_VERSION } from './special-vars.js';

/** How long validation waits for all preflights (an unreachable store must not hold up the run: the task reports it). */
const PREFLIGHT_TIMEOUT_MS = 20_000;

interface Input {
  plays: Play[];
  playHosts: string[][];
  inventory: Inventory;
  varsFiles: Map<string, Record<string, unknown>>;
  opts: Pick<RunOptions, 'extraVars' | 'tags' | 'skipTags' | 'startAtTask' | 'check' | 'verbosity' | 'signal'>;
}

/** Runs the preflight of every selected task whose arguments are static; returns the problems found. */
export async function runPreflights(input: Input): Promise<Problem[]> {
  const dynamic = dynamicNames(input.plays);
  const jobs: Array<{ task: ModuleTask; def: ModuleDef<unknown>; args: unknown }> = [];
  let started = input.opts.startAtTask === undefined;
  input.plays.forEach((play, i) => {
    const hosts = input.playHosts[i] ?? [];
    walkTasks(play.tasks, (t) => {
      if (t.kind === 'block') return;
      if (!started && t.title === input.opts.startAtTask) started = true;
      if (t.module === 'meta') return;
      const def = MODULE_REGISTRY[t.module] as ModuleDef<unknown>;
      if (!started || !def.preflight || hosts.length === 0 || !tagsAllow(t.tags, input.opts.tags, input.opts.skipTags)) return;
      // Anything a task sets at run time (register, set_fact, facts), or a loop item, makes the arguments unknowable now.
      if (t.keywords.loop !== undefined || mentions([t.args, allConditions(t.effective), t.effective.vars.map((l) => l.vars)], dynamic))
        return;
      const seen = new Set<string>();
      const targets = t.effective.run_once ? hosts.slice(0, 1) : hosts;
      for (const host of targets) {
        const args = staticArgs(input, play, t, host, def);
        if (args === undefined) continue;
        const key = JSON.stringify(args);
        if (seen.has(key)) continue;
        seen.add(key);
        jobs.push({ task: t, def, args });
      }
    });
  });
  if (jobs.length === 0) return [];
  const signal = AbortSignal.any([AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS), ...(input.opts.signal ? [input.opts.signal] : [])]);
  const found = await Promise.all(
    jobs.map(async ({ task, def, args }) => {
      const p = await def.preflight?.(args, { signal, dir: task.dir }).catch(() => undefined);
      if (!p) return undefined;
      const loc = (p.arg ? task.keyLocs?.[`${task.module}.${p.arg}`] : undefined) ?? keyLoc(task, task.module);
      return { message: p.message, loc, task: task.title, hint: p.hint } satisfies Problem;
    }),
  );
  const out: Problem[] = [];
  const shown = new Set<string>();
  for (const p of found) {
    if (!p || shown.has(`${p.loc?.line}:${p.message}`)) continue;
    shown.add(`${p.loc?.line}:${p.message}`);
    out.push(p);
  }
  return out;
}

/** The task's arguments rendered for one host without running anything, or undefined when that is not possible. */
function staticArgs(input: Input, play: Play, t: ModuleTask, host: string, def: ModuleDef<unknown>): unknown {
  const inv = input.inventory.hosts.get(host);
  const groups: Record<string, string[]> = { all: [...input.inventory.hosts.keys()] };
  for (const h of input.inventory.hosts.values()) for (const g of h.groups) (groups[g] ??= []).includes(h.name) || groups[g].push(h.name);
  const files = (list: string[]) => list.map((f) => ({ kind: 'authored' as const, vars: input.varsFiles.get(f) ?? {} }));
  const scope = makeScope(
    [
      { kind: 'data', vars: { ansible_host: host } },
      ...files(play.defaultsFiles),
      ...files(play.roleDefaults ?? []),
      ...files(t.role?.defaults ?? []),
      { kind: 'authored', vars: inv?.vars ?? {} },
      { kind: 'authored', vars: (play.keywords.vars ?? {}) as Record<string, unknown> },
      ...files(play.varsFiles),
      ...files(play.roleVars ?? []),
      ...files(t.role?.vars ?? []),
      ...t.effective.vars.map((l) => ({ kind: 'authored' as const, vars: l.vars })),
      { kind: 'authored', vars: input.opts.extraVars },
      {
        kind: 'data',
        vars: {
          inventory_hostname: host,
          inventory_hostname_short: host.split('.')[0],
          group_names: (inv?.groups ?? []).filter((g) => g !== 'all' && g !== 'ungrouped').sort(),
          groups,
          ansible_check_mode: input.opts.check,
          ansible_verbosity: input.opts.verbosity,
          ansible_version: { ...ANSIBLE_VERSION },
          playbook_dir: play.dir,
        },
      },
    ],
    { host },
  );
  try {
    // every condition around the task, those of the includes it is in too
    if (!allHold(allConditions(t.effective), scope)) return undefined;
    const raw = def.rawArgs ?? [];
    const where = { loc: t.loc, task: t.title, host, field: t.module };
    if (!t.args || typeof t.args !== 'object' || Array.isArray(t.args)) return renderValue(t.args, scope, where);
    return Object.fromEntries(Object.entries(t.args).map(([k, v]) => [k, raw.includes(k) ? v : renderValue(v, scope, where)]));
  } catch {
    return undefined;
  }
}

/** True when any string inside `v` mentions one of `names` as a word. */
function mentions(v: unknown, names: Set<string>): boolean {
  if (typeof v === 'string') return (v.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).some((w) => names.has(w));
  if (Array.isArray(v)) return v.some((x) => mentions(x, names));
  if (v && typeof v === 'object') return Object.values(v).some((x) => mentions(x, names));
  return false;
}
