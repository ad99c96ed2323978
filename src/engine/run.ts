import { formatLocation } from '../errors/problem.js';
import { DryRunState } from '../tasks/dry-run-state.js';
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTransport, JumpHosts } from '../transports/index.js';
import { Semaphore } from '../transports/semaphore.js';
import { ConnectionPool } from './connections.js';
import type { RunContext } from './context.js';
import type { EngineEvent, EventSink, HostRecap, RunInputs } from './events.js';
import { newHostState, type HostState } from './host-state.js';
import { confirm } from './module-context.js';
import type { RunOptions } from './options.js';
import { playMayStart } from './play-gate.js';
import { playTargets } from './play-hosts.js';
import { runPlay } from './play.js';
import { prepare } from './prepare.js';
import { CriticalSections } from './critical.js';
import { playTitle } from './play-title.js';
import { remainingIsDestructive, resumedInsideSection } from './remaining.js';
import { Redactor } from './redact.js';
import { restoreHosts } from './resume.js';
import { TaskSelection } from './selection.js';

/** ansible-playbook's exit codes (99: stopped early by the operator or the deadline). */
export const EXIT = { ok: 0, failed: 2, unreachable: 4, invalid: 5, stopped: 99, internal: 250 } as const;

/** Validates everything, then runs the playbook, emitting events; resolves to ansible-playbook's exit code. Never prints, never exits. */
export async function runPlaybook(opts: RunOptions, sink: EventSink): Promise<number> {
  const started = Date.now();
  const redactor = new Redactor();
  const emit: EventSink = (e: EngineEvent) => sink(redactor.value(e));
  const prepared = await prepare(opts);
  redactor.add(...prepared.secrets, ...secretEnv());
  if (prepared.problems.length > 0) {
    emit({ type: 'validation-failed', problems: prepared.problems });
    emit({ type: 'run-end', exitCode: EXIT.invalid, durationMs: Date.now() - started });
    return EXIT.invalid;
  }
  for (const w of prepared.warnings) emit({ type: 'warning', message: w.loc ? `${formatLocation(w.loc)}: ${w.message}` : w.message });
  if (opts.validateOnly) return EXIT.ok;
  const critical = new CriticalSections(opts, emit);
  const hard = critical.hard.signal;
  // every host's connection and running command listens on the run's signals: hundreds of hosts are normal
  setMaxListeners(0, hard, ...[opts.signal, opts.abort, opts.kill].filter((s): s is AbortSignal => s !== undefined));
  const hosts = new Map<string, HostState>();
  for (const name of new Set(prepared.playHosts.flat()))
    hosts.set(name, newHostState(name, prepared.inventory.hosts.get(name)?.vars ?? {}));
  if (opts.resume) restoreHosts(hosts, opts.resume);
  const jumps = new JumpHosts();
  const rc: RunContext = {
    opts,
    inventory: prepared.inventory,
    hosts,
    emit,
    redactor,
    connections: new ConnectionPool(
      prepared.specs,
      opts.transportFactory ?? ((spec) => createTransport(spec, jumps)),
      opts.forks,
      hard,
      opts.hostLock,
    ),
    forks: new Semaphore(Math.max(1, opts.forks)),
    signal: hard,
    // a second Ctrl-C also means "stop": inside a critical section it does not kill (hard), but nothing new starts after it
    stop: AbortSignal.any([hard, ...[opts.signal, opts.abort].filter((s): s is AbortSignal => s !== undefined)]),
    critical,
    varsFiles: prepared.varsFiles,
    dryRun: new DryRunState(),
    progress: { play: opts.resume?.play ?? 0, afterTaskId: opts.resume?.afterTaskId },
  };
  emit({
    type: 'run-start',
    playbook: opts.playbook,
    check: opts.check,
    hosts: [...hosts.keys()],
    time: new Date().toISOString(),
    inputs: inputsOf(opts),
    ...(opts.journal ? { journal: resolve(opts.journal) } : {}),
  });
  let last = opts.resume?.play ?? 0;
  let complete = false;
  try {
    for (const [i, play] of prepared.plays.entries()) {
      if (opts.resume && i < opts.resume.play) continue;
      last = i;
      const targets = playTargets(rc, play, prepared.playHosts[i] ?? [], prepared.rematch[i] === true);
      if (targets.length === 0) {
        // a pattern that matches no host (an empty group): skipped with a warning, as ansible-playbook does
        if (i === prepared.plays.length - 1) complete = rc.progress.stopped === undefined;
        continue;
      }
      const title = playTitle(play, rc.varsFiles, opts.extraVars);
      const refusal = critical.beforePlay(prepared.plays, i, title, resumedInsideSection(prepared.plays, i, opts));
      if (refusal) {
        rc.progress.stopped = refusal;
        emit({ type: 'warning', message: refusal });
        break;
      }
      if (!(await playMayStart(rc, play, confirm))) break;
      const resumeAfter = opts.resume && i === opts.resume.play ? opts.resume.afterTaskId : undefined;
      if (rc.progress.play !== i) Object.assign(rc.progress, { play: i, afterTaskId: undefined, afterTask: undefined });
      const aborted = await runPlay(rc, play, i, targets, new TaskSelection(opts, resumeAfter));
      critical.afterPlay(i, true, Boolean(aborted));
      const stopNow = (rc.stop.aborted && critical.mayStop()) || critical.rollbackEnded;
      if (stopNow && (i < prepared.plays.length - 1 || aborted))
        rc.progress.stopped ??= critical.rollbackEnded ? 'interrupted; rolled back' : critical.stopReason();
      if (aborted || stopNow) {
        if (!aborted && i === prepared.plays.length - 1) complete = rc.progress.stopped === undefined;
        break;
      }
      if (i === prepared.plays.length - 1) complete = rc.progress.stopped === undefined;
    }
  } finally {
    critical.close(last, false);
    await rc.connections.closeAll();
    await jumps.closeAll();
  }
  const recap: Record<string, HostRecap> = Object.fromEntries([...hosts].map(([n, h]) => [n, h.recap]));
  emit({ type: 'recap', hosts: recap });
  const code = exitCode([...hosts.values()], rc.progress.stopped !== undefined);
  const { stopped, play, afterTaskId, afterTask } = rc.progress;
  const changedSomething = [...hosts.values()].some((h) => h.recap.changed > 0);
  const needsConfirmation = stopped !== undefined && remainingIsDestructive(prepared.plays, play);
  emit({
    type: 'run-end',
    exitCode: code,
    durationMs: Date.now() - started,
    ...(stopped
      ? {
          stopped: {
            reason: stopped,
            play,
            ...(afterTaskId ? { afterTaskId } : {}),
            ...(afterTask ? { afterTask } : {}),
            needsConfirmation,
            changedSomething,
          },
        }
      : {}),
    complete: complete && stopped === undefined,
  });
  return code;
}

function exitCode(hosts: HostState[], stopped: boolean): number {
  // A host stopped only by any_errors_fatal (stoppedBy) did not fail itself: the host that did decides the code.
  if (hosts.some((h) => h.recap.failed > 0 || (h.failed && h.stoppedBy === undefined))) return EXIT.failed;
  if (hosts.some((h) => h.unreachable)) return EXIT.unreachable;
  return stopped ? EXIT.stopped : EXIT.ok;
}

function inputsOf(opts: RunOptions): RunInputs {
  return {
    playbook: resolve(opts.playbook),
    inventory: opts.inventory.map((s) => (existsSync(s) ? resolve(s) : s)),
    ...(opts.limit ? { limit: opts.limit } : {}),
    extraVars: opts.extraVars,
    tags: opts.tags,
    skipTags: opts.skipTags,
    check: opts.check,
    forks: opts.forks,
    cwd: process.cwd(),
  };
}

/** Object-store credentials from the environment (the seed's ECS_* names and AWS_*) are never shown, key ids included. */
function secretEnv(): string[] {
  return ['ECS_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'ECS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID']
    .map((k) => process.env[k])
    .filter((v): v is string => Boolean(v));
}
