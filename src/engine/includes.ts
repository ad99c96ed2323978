import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BlockTask, IncludeChoice } from '../playbook/model.js';
import { findRole } from '../playbook/roles/search.js';
import { renderValue } from '../template/index.js';
import { firstFalse } from './conditions.js';
import type { RunContext } from './context.js';
import { isActive, type HostState } from './host-state.js';
import { authoredVars, hostScope } from './scope.js';
import { tagsAllow } from './selection.js';
import { checkThresholds, type PlayControl } from './play-control.js';
import { keywordBool } from './keyword-values.js';
import { loopItems } from '../playbook/loop-items.js';
import { conditionsToJudge, type LoopNames, type VarLayer } from '../playbook/effective-keywords.js';

/**
 * An include_tasks/include_role with `when`: judged once per host as it is reached, as Ansible does (the hosts
 * where it does not hold get one skipped result under the include's name); the others run its tasks, which do not
 * judge it again (normalisation marked it as the include's). Returns the hosts that enter.
 */
export function includeGate(rc: RunContext, ctl: PlayControl, block: BlockTask, hosts: HostState[]): HostState[] {
  if (block.include === undefined || block.keywords.when === undefined || hosts.length === 0) return hosts;
  const entered: HostState[] = [];
  const skipped: Array<{ host: HostState; cond: string | boolean }> = [];
  for (const h of hosts) {
    try {
      const cond = firstFalse(conditionsToJudge(block.effective), scopeOf(rc, ctl, block, h, ctl.loopItems));
      if (cond === undefined) entered.push(h);
      else skipped.push({ host: h, cond });
    } catch {
      entered.push(h); // the tasks inside report the condition's error
    }
  }
  reportSkipped(rc, ctl, block, skipped);
  return entered;
}

/**
 * An include whose loop is known only at run time: each host's list is rendered when the include is reached,
 * then for each position the included tasks run with the item (hosts with the same item together, as Ansible
 * shares an included file), its `when` judged per host and item. A host that ran none gets one skipped result.
 */
export async function runIncludeLoop(
  rc: RunContext,
  ctl: PlayControl,
  block: BlockTask,
  hosts: HostState[],
  run: (block: BlockTask, hosts: HostState[]) => Promise<void>,
): Promise<void> {
  const title = block.include ?? block.title;
  const { loop, loop_control: _names, loop_with: shape, when, ...rest } = block.keywords;
  const { layer, names } = loopLayer(block);
  const withItem = (item: unknown, k: number) =>
    new Map(ctl.loopItems ?? []).set(layer, { [names.item]: item, ...(names.index ? { [names.index]: k } : {}) });
  const lists = new Map<HostState, unknown[]>();
  const failures: Array<{ host: HostState; msg: string }> = [];
  for (const h of hosts) {
    try {
      const rendered = renderValue(loop, scopeOf(rc, ctl, block, h, ctl.loopItems), {
        loc: block.loc,
        task: title,
        host: h.name,
        field: 'loop',
      });
      const items = shape ? loopItems(shape, rendered) : rendered;
      if (!Array.isArray(items)) throw new Error(`"loop" must give a list, got ${typeof items}`);
      lists.set(h, items);
    } catch (err) {
      failures.push({ host: h, msg: err instanceof Error ? err.message : String(err) });
    }
  }
  failAtInclude(rc, ctl, block, failures);
  const ran = new Set<HostState>();
  const skipped = new Map<HostState, string | boolean>();
  const longest = Math.max(0, ...[...lists.values()].map((l) => l.length));
  for (let k = 0; k < longest && !ctl.aborted; k++) {
    const groups = new Map<string, { item: unknown; hosts: HostState[] }>();
    for (const [h, items] of lists) {
      if (k >= items.length || !isActive(h)) continue;
      const item = items[k];
      if (when !== undefined) {
        const cond = firstFalse(Array.isArray(when) ? when : [when], scopeOf(rc, ctl, block, h, withItem(item, k)));
        if (cond !== undefined) {
          skipped.set(h, cond);
          continue;
        }
      }
      ran.add(h);
      const key = JSON.stringify(item) ?? 'undefined';
      const g = groups.get(key) ?? { item, hosts: [] };
      g.hosts.push(h);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const { idSuffix: suffix, loopItems: before } = ctl;
      ctl.idSuffix = `${suffix}#${k + 1}`; // each pass of the included tasks has its own task ids
      ctl.loopItems = withItem(g.item, k); // and sees the pass's item in the include's vars
      try {
        const { include: _include, ...plain } = block;
        await run({ ...plain, keywords: rest }, g.hosts);
      } finally {
        ctl.idSuffix = suffix;
        ctl.loopItems = before;
      }
    }
  }
  reportSkipped(
    rc,
    ctl,
    block,
    [...lists.keys()].filter((h) => !ran.has(h)).map((host) => ({ host, cond: skipped.get(host) ?? 'no items' })),
  );
}

/**
 * An include whose file or role name is a template: rendered per host when the include is reached; each host runs
 * the child (read before the run) that its name picks, hosts that pick the same one together, in the order their
 * first host is in. A name that picks nothing tsplay read fails the host at the include, as a missing file does in Ansible.
 */
export async function runChosen(
  rc: RunContext,
  ctl: PlayControl,
  block: BlockTask,
  hosts: HostState[],
  run: (block: BlockTask, hosts: HostState[]) => Promise<void>,
): Promise<void> {
  const choice = block.choose;
  if (!choice) return;
  const groups = new Map<BlockTask, HostState[]>();
  const failures: Array<{ host: HostState; msg: string }> = [];
  for (const h of hosts) {
    try {
      const name = renderValue(choice.template, scopeOf(rc, ctl, block, h, ctl.loopItems), {
        loc: block.loc,
        task: block.title,
        host: h.name,
        field: choice.key,
      });
      if (typeof name !== 'string' || name === '')
        throw new Error(`${choice.key} "${choice.template}" gave ${JSON.stringify(name)}, not a name`);
      const picked = pick(block, choice, name);
      groups.set(picked, [...(groups.get(picked) ?? []), h]);
    } catch (err) {
      failures.push({ host: h, msg: err instanceof Error ? err.message : String(err) });
    }
  }
  failAtInclude(rc, ctl, block, failures);
  for (const [child, hs] of groups) {
    if (ctl.aborted) return;
    await run(child, hs.filter(isActive));
  }
}

/** The child of a choice block that NAME picks (looked for as Ansible does); throws, saying what was looked for, when none. */
function pick(block: BlockTask, choice: IncludeChoice, name: string): BlockTask {
  const children = block.block.filter((c): c is BlockTask => c.kind === 'block' && c.candidate !== undefined);
  const read = children.map((c) => c.candidate);
  if (choice.kind === 'role') {
    const found = findRole(name, choice.bases[0] ?? '.');
    const child = children.find((c) => c.candidate === found.dir);
    if (child) return child;
    if (found.dir === undefined) throw new Error(`the role '${name}' was not found (looked in ${found.searched.join(', ')})`);
    throw new Error(`role '${name}' (${found.dir}) is not one tsplay read before the run: "${choice.pattern}" matched ${read.join(', ')}`);
  }
  const paths = choice.bases.map((b) => resolve(b, name));
  const there = paths.find((p) => existsSync(p));
  const child = children.find((c) => c.candidate === there);
  if (child) return child;
  if (there === undefined) throw new Error(`Could not find or access '${paths.join("' nor '")}' on the controller`);
  throw new Error(`'${there}' is not a task file tsplay read before the run: "${choice.pattern}" matched ${read.join(', ')}`);
}

/**
 * The hosts that reach an include_tasks / include_role: none when --tags / --skip-tags leave out the include's own
 * tags (its tasks do not inherit them; a selected include runs the tasks the tags select), the first with `run_once`
 * (only it includes the tasks, as in ansible-core).
 */
export function includeHosts(rc: RunContext, ctl: PlayControl, block: BlockTask, hosts: HostState[]): HostState[] {
  if (block.include === undefined || hosts.length === 0) return hosts;
  if (ctl.selection.waitingFor() === undefined && !tagsAllow(block.tags, rc.opts.tags, rc.opts.skipTags)) return [];
  const first = hosts[0];
  if (block.keywords.run_once === undefined || !first) return hosts;
  const where = { loc: block.loc, task: block.include, host: first.name };
  try {
    return keywordBool(block.keywords.run_once, scopeOf(rc, ctl, block, first, ctl.loopItems), 'run_once', where) ? [first] : hosts;
  } catch (err) {
    failAtInclude(rc, ctl, block, [{ host: first, msg: err instanceof Error ? err.message : String(err) }]);
    return hosts.filter((h) => h !== first);
  }
}

/**
 * The hosts for which an include could not start (its loop or name did not render, its file is not there) fail there,
 * under its name; with the include's own `ignore_errors: true` the failure is ignored, as in ansible-core.
 */
function failAtInclude(rc: RunContext, ctl: PlayControl, block: BlockTask, failures: Array<{ host: HostState; msg: string }>): void {
  if (failures.length === 0) return;
  const ignored = block.keywords.ignore_errors === true;
  for (const { host } of failures) {
    if (ignored) host.recap.ignored++;
    else {
      host.failed = true;
      host.recap.failed++;
    }
  }
  reportInclude(
    rc,
    ctl,
    block,
    failures.map(({ host, msg }) => ({ host, status: ignored ? 'ignored' : 'failed', msg, result: { failed: true, changed: false, msg } })),
  );
  checkThresholds(ctl);
}

/** One skipped result under the include's name for the hosts that did not include it. */
function reportSkipped(
  rc: RunContext,
  ctl: PlayControl,
  block: BlockTask,
  skipped: Array<{ host: HostState; cond: string | boolean }>,
): void {
  // reported only where its tasks would be (tag filters and a resume select them)
  if (skipped.length === 0 || ctl.selection.waitingFor() !== undefined || !tagsAllow(block.tags, rc.opts.tags, rc.opts.skipTags)) return;
  for (const { host } of skipped) host.recap.skipped++;
  reportInclude(
    rc,
    ctl,
    block,
    skipped.map(({ host, cond }) => ({
      host,
      status: 'skipped',
      msg: `skipped: ${String(cond)}`,
      result: { changed: false, skipped: true, false_condition: cond },
    })),
  );
}

/** One host's outcome of an include that ran none of its tasks there. */
interface IncludeOutcome {
  host: HostState;
  status: 'failed' | 'ignored' | 'skipped';
  msg: string;
  result: Record<string, unknown>;
}

/** Reports the include itself as a task, with the hosts that ran none of its tasks (its loop failed, or its `when` was false). */
function reportInclude(rc: RunContext, ctl: PlayControl, block: BlockTask, outcomes: IncludeOutcome[]): void {
  const title = block.include ?? block.title;
  const taskId = `${block.id}${ctl.idSuffix}`;
  rc.emit({
    type: 'task-start',
    taskId,
    task: title,
    module: 'include',
    hosts: outcomes.map((o) => o.host.name),
    handler: false,
    loc: `${block.loc.file}:${block.loc.line}:${block.loc.col}`,
    play: ctl.index,
  });
  for (const { host, ...o } of outcomes) rc.emit({ type: 'host-result', taskId, task: title, host: host.name, ...o, durationMs: 0 });
  rc.emit({ type: 'task-end', taskId, task: title, durationMs: 0, play: ctl.index });
}

/** A host's scope at the include, with ITEMS as the include loops' current items. */
function scopeOf(
  rc: RunContext,
  ctl: PlayControl,
  block: BlockTask,
  h: HostState,
  items: PlayControl['loopItems'],
): Record<string, unknown> {
  return hostScope(rc, ctl.play, h, {
    authored: authoredVars(block.effective, items),
    batch: ctl.batch.map((x) => x.name),
    role: block.role,
  });
}

/** The vars layer of an include with a run-time loop, which each pass's item joins (normalisation gives it one, last). */
function loopLayer(block: BlockTask): { layer: VarLayer; names: LoopNames } {
  const layer = block.effective.vars[block.effective.vars.length - 1];
  if (!layer?.loop) throw new Error(`internal: the include at ${block.loc.file}:${block.loc.line} has no loop vars layer`);
  return { layer, names: layer.loop };
}
