import type { BlockTask, ModuleTask, TaskNode } from '../playbook/model.js';
import type { RunContext } from './context.js';
import { isActive, type HostState } from './host-state.js';
import { runHostTask } from './host-task.js';
import { conditionsToJudge } from '../playbook/effective-keywords.js';
import { firstFalse } from './conditions.js';
import { keywordBool, keywordInt } from './keyword-values.js';
import { type AuthoredVars, authoredVars, hostScope } from './scope.js';
import { toList } from '../playbook/normalize.js';
import { containsTask } from './remaining.js';
import { includeGate, includeHosts, runChosen, runIncludeLoop } from './includes.js';
import { checkThresholds, type PlayControl } from './play-control.js';

export { checkThresholds, type PlayControl } from './play-control.js';

/** Runs task nodes in order on the given hosts, each task on all of them before the next (linear). */
export async function walk(rc: RunContext, ctl: PlayControl, nodes: TaskNode[], hosts: HostState[]): Promise<void> {
  for (const node of nodes) {
    if (ctl.aborted || ctl.ended || stopRequested(rc, ctl)) return;
    if (rc.critical.rollbackRequested()) return failForRollback(rc, ctl, hosts);
    if (node.kind === 'block' && node.duplicate) continue; // a role already run with the same parameters (Ansible runs it once)
    if (node.kind === 'block') await runBlock(rc, ctl, node, hosts);
    else await runTask(rc, ctl, node, hosts.filter(isActive), false);
  }
  if (rc.critical.rollbackRequested()) failForRollback(rc, ctl, hosts);
}

/** Runs one module task on hosts in parallel (bounded by --forks); run_once runs on the first and shares the result. */
export async function runTask(rc: RunContext, ctl: PlayControl, task: ModuleTask, hosts: HostState[], handler: boolean): Promise<void> {
  if (hosts.length === 0 || !ctl.selection.selects(task, handler)) return;
  const authored = authoredVars(task.effective, ctl.loopItems);
  if (task.module === 'meta') return runMeta(rc, ctl, task, hosts, authored);
  const taskId = `${task.id}${ctl.idSuffix}`;
  if (!handler) rc.critical.beforeTask(task.title);
  const started = Date.now();
  let runOnce = false;
  let throttle: number | undefined;
  let fatal: boolean | undefined;
  let keywordError: string | undefined;
  try {
    ({ runOnce, throttle, fatal } = taskKeywords(rc, ctl, task, hosts, authored));
    // add_host bypasses the host loop: it runs once, for the first host (once per item with a loop), as in Ansible
    if (task.module === 'add_host') runOnce = true;
  } catch (err) {
    keywordError = err instanceof Error ? err.message : String(err);
  }
  const targets = runOnce ? hosts.slice(0, 1) : hosts;
  rc.emit({
    type: 'task-start',
    taskId,
    task: task.title,
    module: task.module,
    hosts: targets.map((h) => h.name),
    handler,
    loc: `${task.loc.file}:${task.loc.line}:${task.loc.col}`,
    play: ctl.index,
  });
  if (keywordError !== undefined) {
    for (const h of targets) failHost(rc, taskId, task, h, keywordError);
    rc.emit({ type: 'task-end', taskId, task: task.title, durationMs: Date.now() - started, play: ctl.index });
    checkThresholds(ctl, fatal);
    return;
  }
  const batch = ctl.batch.map((h) => h.name);
  const sharedWith = (host: HostState) => (runOnce ? hosts.filter((h) => h !== host).map((h) => h.name) : undefined);
  // inside a critical section's rescuable block, a rollback request (second Ctrl-C) also ends these tasks' commands
  const trc: RunContext = { ...rc, signal: rc.critical.taskSignal() };
  const run = (host: HostState) =>
    rc.forks.run(() => runHostTask({ rc: trc, play: ctl.play, task, authored, host, taskId, batch, sharedWith: sharedWith(host) }));
  if (runOnce) {
    // run_once runs on the first host whose `when` holds (Ansible only tries the first host).
    for (const host of hosts) {
      const status = await run(host);
      if (status === 'skipped' && host !== hosts[hosts.length - 1]) continue;
      shareRunOnce(task, host, hosts);
      if (status === 'failed' || status === 'unreachable') failOthers(rc, taskId, task, host, hosts);
      break;
    }
  } else await throttled(targets, throttle, run);
  rc.emit({
    type: 'task-end',
    taskId,
    task: task.title,
    durationMs: Date.now() - started,
    play: ctl.index,
    ...(trc.signal.aborted ? { interrupted: true } : {}),
  });
  // a task whose commands were killed did not complete: a resume runs it again
  if (!handler && !trc.signal.aborted) Object.assign(rc.progress, { play: ctl.index, afterTaskId: task.id, afterTask: task.title });
  checkThresholds(ctl, fatal);
}

/**
 * run_once, throttle and any_errors_fatal (set on the task or a block around it) of a task, resolved with the first
 * host's scope (a {{ template }} may name its variables).
 */
function taskKeywords(
  rc: RunContext,
  ctl: PlayControl,
  task: ModuleTask,
  hosts: HostState[],
  authored: AuthoredVars,
): { runOnce: boolean; throttle: number | undefined; fatal: boolean | undefined } {
  const { run_once: runOnce, throttle, any_errors_fatal: fatal } = task.effective;
  const first = hosts[0];
  if ((typeof runOnce !== 'string' && typeof throttle !== 'string' && typeof fatal !== 'string') || !first)
    return {
      runOnce: runOnce === true,
      throttle: typeof throttle === 'number' ? throttle : undefined,
      fatal: typeof fatal === 'boolean' ? fatal : undefined,
    };
  const vars = hostScope(rc, ctl.play, first, { authored, batch: ctl.batch.map((h) => h.name) });
  const where = { loc: task.loc, task: task.title, host: first.name };
  return {
    runOnce: Boolean(keywordBool(runOnce, vars, 'run_once', where)),
    throttle: keywordInt(throttle, vars, 'throttle', where),
    fatal: keywordBool(fatal, vars, 'any_errors_fatal', where),
  };
}

/** Runs `fn` on every host, at most `limit` at once (throttle; 0 or none: no limit beyond --forks). */
async function throttled(hosts: HostState[], limit: number | undefined, fn: (h: HostState) => Promise<unknown>): Promise<void> {
  if (!limit || limit >= hosts.length) {
    await Promise.all(hosts.map(fn));
    return;
  }
  const queue = [...hosts];
  const worker = async (): Promise<void> => {
    for (let h = queue.shift(); h; h = queue.shift()) await fn(h);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** The host fails this task without running it (a keyword that could not be resolved), with the reason (in its result too, unless RESULT says otherwise). */
function failHost(
  rc: RunContext,
  taskId: string,
  task: ModuleTask,
  h: HostState,
  msg: string,
  result: Record<string, unknown> = { failed: true, changed: false, msg },
): void {
  h.failed = true;
  h.recap.failed++;
  rc.emit({ type: 'host-result', taskId, task: task.title, host: h.name, status: 'failed', msg, result, durationMs: 0 });
}

/**
 * `meta:` acts on the run itself, as in Ansible (no per-host result): flush_handlers runs the notified handlers now;
 * end_play ends the play (every batch), end_host this host's part of it (where `when` holds); clear_facts forgets
 * gathered facts (tsplay gathers none; set_fact values stay, as in Ansible); clear_host_errors brings unreachable hosts
 * back; noop and refresh_inventory do nothing.
 */
async function runMeta(rc: RunContext, ctl: PlayControl, task: ModuleTask, hosts: HostState[], authored: AuthoredVars): Promise<void> {
  const action = String(task.args);
  if (action === 'flush_handlers') return runHandlers(rc, ctl);
  if (action === 'clear_host_errors') return clearHostErrors(rc, ctl);
  if (action !== 'end_play' && action !== 'end_host') return;
  const batch = ctl.batch.map((h) => h.name);
  for (const h of hosts) {
    const vars = hostScope(rc, ctl.play, h, { authored, batch });
    let holds: boolean;
    try {
      holds = firstFalse(conditionsToJudge(task.effective), vars) === undefined;
    } catch (err) {
      failHost(rc, `${task.id}${ctl.idSuffix}`, task, h, err instanceof Error ? err.message : String(err));
      continue;
    }
    if (!holds) continue;
    if (action === 'end_play') {
      ctl.ended = true;
      return;
    }
    h.ended = true;
  }
}

/**
 * `meta: clear_host_errors`, as ansible-core 2.14: the batch's hosts that were unreachable take part in the play again
 * (their next task connects anew; the recap keeps the unreachable count); hosts whose task failed stay out.
 */
async function clearHostErrors(rc: RunContext, ctl: PlayControl): Promise<void> {
  for (const h of ctl.batch) {
    if (!h.unreachable || h.failed) continue;
    h.unreachable = false;
    await rc.connections.forgetFailed(h.name);
  }
}

/** Runs each handler (in definition order) on the batch hosts that notified it by name or listen topic. */
export async function runHandlers(rc: RunContext, ctl: PlayControl): Promise<void> {
  for (const handler of ctl.play.handlers) {
    // a role's handler answers to `role : name` too; of handlers with the same name the last one answers, as in Ansible
    const name = handler.keywords.name;
    const last = name !== undefined && ctl.play.handlers.findLast((h) => h.keywords.name === name) === handler;
    const names = [last ? (name ?? '') : '', handler.role ? handler.title : '', ...toList(handler.keywords.listen)].filter(Boolean);
    const hosts = ctl.batch.filter((h) => isActive(h) && names.some((n) => h.notified.has(n)));
    await runTask(rc, ctl, handler, hosts, true);
  }
  for (const h of ctl.batch) h.notified.clear();
}

/** A graceful stop (signal) or the deadline ends the play before the next task (never inside a critical section); records why. */
function stopRequested(rc: RunContext, ctl: PlayControl): boolean {
  if (rc.signal.aborted) {
    rc.progress.stopped ??= rc.critical.inSection ? `killed inside critical section "${rc.critical.section ?? ''}"` : 'interrupted';
    return true;
  }
  if (!rc.critical.mayStop()) return false;
  if (rc.stop.aborted) {
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
    if (h !== ran && isActive(h)) failHost(rc, taskId, task, h, `run_once task failed on ${ran.name}`, { failed: true, changed: false });
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

/** A second Ctrl-C inside a critical section: the hosts still active fail here, so the rescue (the rollback) runs on every one. */
function failForRollback(rc: RunContext, ctl: PlayControl, hosts: HostState[]): void {
  for (const h of hosts.filter(isActive)) {
    h.failed = true;
    h.recap.failed++;
    rc.emit({ type: 'warning', host: h.name, message: `interrupted inside critical section "${rc.critical.section ?? ''}": rolling back` });
  }
  checkThresholds(ctl);
}

async function runBlock(rc: RunContext, ctl: PlayControl, block: BlockTask, hosts: HostState[]): Promise<void> {
  const reaching = includeHosts(rc, ctl, block, hosts.filter(isActive));
  if (block.include !== undefined && block.keywords.loop !== undefined) {
    return runIncludeLoop(rc, ctl, block, reaching, (b, hs) => runBlock(rc, ctl, b, hs));
  }
  const entered = includeGate(rc, ctl, block, reaching);
  if (entered.length === 0) return;
  if (block.choose) return runChosen(rc, ctl, block, entered, (b, hs) => runBlock(rc, ctl, b, hs));
  // a resume that starts after this block skips it whole: no section, no deadline judgement for it
  const waiting = ctl.selection.waitingFor();
  if (waiting !== undefined && !containsTask([block], waiting)) return blockParts(rc, ctl, block, entered);
  const refusal = await rc.critical.block(
    block,
    ctl.index,
    async () => {
      await blockParts(rc, ctl, block, entered);
      return { failed: entered.some((h) => h.failed || h.unreachable) };
    },
    waiting !== undefined,
  );
  if (refusal) {
    rc.progress.stopped ??= refusal;
    ctl.aborted ??= refusal;
    rc.emit({ type: 'warning', message: refusal });
  }
}

async function blockParts(rc: RunContext, ctl: PlayControl, block: BlockTask, entered: HostState[]): Promise<void> {
  let rolledBack = false;
  if (block.rescue.length > 0) {
    await rc.critical.inRescuableBody(() => walk(rc, ctl, block.block, entered));
    rolledBack = rc.critical.lastBodyRolledBack;
  } else await walk(rc, ctl, block.block, entered);
  // after a rollback (second Ctrl-C) the section ends with this block's rescue and always; then the run stops
  await rc.critical.afterBody(rolledBack, () => rescueAndAlways(rc, ctl, block, entered));
}

async function rescueAndAlways(rc: RunContext, ctl: PlayControl, block: BlockTask, entered: HostState[]): Promise<void> {
  const failedInBlock = entered.filter((h) => h.failed && !h.unreachable);
  if (block.rescue.length > 0 && failedInBlock.length > 0) {
    for (const h of failedInBlock) {
      h.failed = false;
      if (h.stoppedBy === undefined) h.recap.failed--;
      h.stoppedBy = undefined;
      h.recap.rescued++;
      // as in Ansible, the rescue (and the rest of the play) sees the failure as facts of the host
      if (h.lastFailure) Object.assign(h.facts, { ansible_failed_task: h.lastFailure.task, ansible_failed_result: h.lastFailure.result });
    }
    ctl.aborted = undefined;
    await excusing(ctl, () => walk(rc, ctl, block.rescue, failedInBlock));
    checkThresholds(ctl);
  }
  if (block.always.length === 0) return;
  const stillFailed = entered.filter((h) => h.failed && !h.unreachable);
  for (const h of stillFailed) h.failed = false;
  const abortedBefore = ctl.aborted;
  ctl.aborted = undefined;
  await excusing(ctl, () =>
    walk(
      rc,
      ctl,
      block.always,
      entered.filter((h) => !h.unreachable),
    ),
  );
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
