import type { BlockTask, ModuleTask, Play, TaskNode } from '../playbook/model.js';
import type { RunContext } from './context.js';
import type { Frames } from './frames.js';
import { isActive, type HostState } from './host-state.js';
import { runHostTask } from './host-task.js';
import { inherited } from './frames.js';
import type { TaskSelection } from './selection.js';

/** Per-batch control shared by the walk: failure thresholds and abort. */
export interface PlayControl {
  play: Play;
  /** Index of the play in the playbook. */
  index: number;
  batch: HostState[];
  selection: TaskSelection;
  /** Set when the play must stop (any_errors_fatal, max_fail_percentage); says why. */
  aborted?: string;
  /**
   * Hosts whose failure was already acted on: while a rescue or always section runs in answer to it, a host that had
   * failed or become unreachable before must not abort that section again after its first task.
   */
  excused?: ReadonlySet<HostState> | undefined;
  /** Suffix for task ids (free strategy runs each host separately). */
  idSuffix: string;
}

/** Runs task nodes in order on the given hosts, each task on all of them before the next (linear). */
export async function walk(rc: RunContext, ctl: PlayControl, nodes: TaskNode[], hosts: HostState[], frames: Frames): Promise<void> {
  for (const node of nodes) {
    if (ctl.aborted || stopRequested(rc, ctl)) return;
    if (node.kind === 'block') await runBlock(rc, ctl, node, hosts, frames);
    else await runTask(rc, ctl, node, hosts.filter(isActive), frames, false);
  }
}

/** Runs one module task on hosts in parallel (bounded by --forks); run_once runs on the first and shares the result. */
export async function runTask(rc: RunContext, ctl: PlayControl, task: ModuleTask, hosts: HostState[], frames: Frames, handler: boolean): Promise<void> {
  if (hosts.length === 0 || !ctl.selection.selects(task, handler)) return;
  const taskId = `${task.id}${ctl.idSuffix}`;
  const started = Date.now();
  const runOnce = Boolean(inherited(frames, task.keywords, 'run_once'));
  const targets = runOnce ? hosts.slice(0, 1) : hosts;
  rc.emit({ type: 'task-start', taskId, task: task.title, module: task.module, hosts: targets.map((h) => h.name), handler, loc: `${task.loc.file}:${task.loc.line}:${task.loc.col}`, play: ctl.index });
  const batch = ctl.batch.map((h) => h.name);
  const sharedWith = (host: HostState) => (runOnce ? hosts.filter((h) => h !== host).map((h) => h.name) : undefined);
  const run = (host: HostState) => rc.forks.run(() => runHostTask({ rc, play: ctl.play, task, frames, host, taskId, batch, sharedWith: sharedWith(host) }));
  if (runOnce) {
    // run_once runs on the first host whose `when` holds (Ansible only tries the first host).
    for (const host of hosts) {
      const status = await run(host);
      if (status === 'skipped' && host !== hosts[hosts.length - 1]) continue;
      shareRunOnce(task, host, hosts);
      if (status === 'failed' || status === 'unreachable') failOthers(rc, taskId, task, host, hosts);
      break;
    }
  } else await Promise.all(targets.map(run));
  rc.emit({ type: 'task-end', taskId, task: task.title, durationMs: Date.now() - started, play: ctl.index });
  if (!handler) Object.assign(rc.progress, { play: ctl.index, afterTaskId: task.id, afterTask: task.title });
  checkThresholds(ctl);
}

/** A graceful stop (signal) or the deadline ends the play before the next task; records why. */
function stopRequested(rc: RunContext, ctl: PlayControl): boolean {
  if (rc.stop.aborted || rc.signal.aborted) {
    rc.progress.stopped ??= 'interrupted';
    return true;
  }
  const deadline = rc.opts.deadline;
  if (deadline && Date.now() >= deadline.getTime()) {
    rc.progress.stopped ??= `deadline ${deadline.toISOString()} reached`;
    ctl.aborted = rc.progress.stopped;
    return true;
  }
  return false;
}

/** A failed run_once task fails every host of the batch: they all depend on its result (as in Ansible). */
function failOthers(rc: RunContext, taskId: string, task: ModuleTask, ran: HostState, hosts: HostState[]): void {
  for (const h of hosts) {
    if (h === ran || !isActive(h)) continue;
    h.failed = true;
    h.recap.failed++;
    rc.emit({ type: 'host-result', taskId, task: task.title, host: h.name, status: 'failed', msg: `run_once task failed on ${ran.name}`, result: { failed: true, changed: false }, durationMs: 0 });
  }
}

/** run_once: the other hosts get the registered result and facts of the host it ran on. */
function shareRunOnce(task: ModuleTask, first: HostState, hosts: HostState[]): void {
  const reg = task.keywords.register;
  for (const h of hosts) {
    if (h === first) continue;
    if (reg && reg in first.registered) h.registered[reg] = first.registered[reg];
    Object.assign(h.facts, first.lastFacts);
  }
}

async function runBlock(rc: RunContext, ctl: PlayControl, block: BlockTask, hosts: HostState[], frames: Frames): Promise<void> {
  const inner = [...frames, block.keywords];
  const entered = hosts.filter(isActive);
  if (entered.length === 0) return;
  await walk(rc, ctl, block.block, entered, inner);
  const failedInBlock = entered.filter((h) => h.failed && !h.unreachable);
  if (block.rescue.length > 0 && failedInBlock.length > 0) {
    for (const h of failedInBlock) {
      h.failed = false;
      if (h.stoppedBy === undefined) h.recap.failed--;
      h.stoppedBy = undefined;
      h.recap.rescued++;
    }
    ctl.aborted = undefined;
    await excusing(ctl, () => walk(rc, ctl, block.rescue, failedInBlock, inner));
    checkThresholds(ctl);
  }
  if (block.always.length === 0) return;
  const stillFailed = entered.filter((h) => h.failed && !h.unreachable);
  for (const h of stillFailed) h.failed = false;
  const abortedBefore = ctl.aborted;
  ctl.aborted = undefined;
  await excusing(ctl, () => walk(rc, ctl, block.always, entered.filter((h) => !h.unreachable), inner));
  for (const h of stillFailed) h.failed = true;
  ctl.aborted ??= abortedBefore;
  checkThresholds(ctl);
}

/** Runs a rescue/always section with the batch's earlier failures excused (they are what the section answers). */
async function excusing(ctl: PlayControl, fn: () => Promise<void>): Promise<void> {
  const before = ctl.excused;
  ctl.excused = new Set(ctl.batch.filter((h) => h.failed || h.unreachable));
  try {
    await fn();
  } finally {
    ctl.excused = before;
  }
}

/** any_errors_fatal and max_fail_percentage (and "every host of the batch failed") stop the play. */
export function checkThresholds(ctl: PlayControl): void {
  const k = ctl.play.keywords;
  const failed = ctl.batch.filter((h) => (h.failed || h.unreachable) && !ctl.excused?.has(h));
  if (failed.length === 0 || ctl.aborted) return;
  if (k.any_errors_fatal) {
    const culprits = failed.filter((h) => h.stoppedBy === undefined).map((h) => `${h.name} ${h.unreachable ? 'unreachable' : 'failed'}`).join(', ');
    ctl.aborted = `any_errors_fatal: ${culprits}`;
    // As in Ansible, every other host of the batch fails too, so an enclosing block's rescue runs on all of them;
    // they are not counted as failed themselves (the recap and the exit code name the host that was).
    for (const h of ctl.batch.filter(isActive)) {
      h.failed = true;
      h.stoppedBy = culprits;
    }
  }
  else if (k.max_fail_percentage !== undefined && (failed.length / ctl.batch.length) * 100 > k.max_fail_percentage)
    ctl.aborted = `max_fail_percentage ${k.max_fail_percentage}% exceeded: ${failed.length} of ${ctl.batch.length} hosts failed`;
  else if (failed.length === ctl.batch.length) ctl.aborted = 'every host of the batch failed';
}
