import { UsageError } from '../errors/usage-error.js';
import type { EngineEvent, RunInputs } from '../engine/events.js';
import type { ResumePoint } from '../engine/options.js';
import { MASK } from '../engine/redact.js';
import { readInput } from '../util/read-input.js';

/** A journal read back: the run's inputs and where it can continue. */
export interface JournalState {
  inputs: RunInputs;
  resume: ResumePoint;
  /** Why the run ended early, or undefined when it ended normally (nothing to resume) or was killed. */
  stopped?: string | undefined;
  /** The last process ended without being stopped early (it may still have failed). */
  finished: boolean;
  /** Every play ran to its end: the work is done, nothing is left to resume. */
  complete: boolean;
  /** The exit code of the last process that ended, if one did. */
  exitCode?: number | undefined;
  /** What is left includes destructive steps: a resume needs --yes. */
  needsConfirmation: boolean;
  /** Extra vars whose values were masked in the journal and must be given again with -e. */
  maskedVars: string[];
}

/** Reads a journal and works out the resume point: after the last task that completed. */
export function readJournal(path: string): JournalState {
  const events = journalEvents(path);
  // A journal may hold a run and its resumptions, one after the other: inputs come from the first,
  // learned state from all of them, the position from the last task that completed.
  const start = events.find((e) => e.type === 'run-start');
  if (start?.type !== 'run-start') throw new UsageError(`${path}: no run-start event: not a tsplay journal`);
  const run = events;
  const end = [...run].reverse().find((e): e is Extract<EngineEvent, { type: 'run-end' }> => e.type === 'run-end');
  // (a process that was killed has no run-end: it continues after the last task that completed)
  const lastEnd = [...run].reverse().find((e): e is Extract<EngineEvent, { type: 'task-end' }> => e.type === 'task-end' && !e.interrupted);
  const play = end?.stopped?.play ?? lastEnd?.play ?? 0;
  // a stop before the first task of a play resumes at that play's start (not after a task of an earlier play)
  const afterTaskId = end?.stopped ? end.stopped.afterTaskId : lastEnd?.taskId;
  return {
    inputs: start.inputs,
    resume: { play, afterTaskId, hosts: hostStates(completedPart(run)) },
    stopped: end?.stopped?.reason,
    finished: end !== undefined && end.stopped === undefined,
    // journals written before run-end said so: a clean exit 0 was a complete run
    complete: end !== undefined && end.stopped === undefined && (end.complete ?? end.exitCode === 0),
    exitCode: end?.exitCode,
    needsConfirmation: end?.stopped?.needsConfirmation ?? false,
    maskedVars: Object.entries(start.inputs.extraVars)
      .filter(([, v]) => v === MASK || (typeof v === 'object' && JSON.stringify(v).includes(MASK)))
      .map(([k]) => k),
  };
}

/** The events without the results of tasks whose commands were killed (those tasks run again on resume). */
function completedPart(run: EngineEvent[]): EngineEvent[] {
  const killed = new Set(run.flatMap((e) => (e.type === 'task-end' && e.interrupted ? [e.taskId] : [])));
  if (killed.size === 0) return run;
  // a later, completed run of the same task (a resume) counts again
  const out: EngineEvent[] = [];
  for (let i = 0; i < run.length; i++) {
    const e = run[i] as EngineEvent;
    if (e.type === 'host-result' && killed.has(e.taskId) && !completedLater(run, i, e.taskId)) continue;
    out.push(e);
  }
  return out;
}

function completedLater(run: EngineEvent[], from: number, taskId: string): boolean {
  for (let i = from; i < run.length; i++) {
    const e = run[i];
    if (e?.type === 'task-end' && e.taskId === taskId) return !e.interrupted;
  }
  return false;
}

function hostStates(run: EngineEvent[]): ResumePoint['hosts'] {
  const hosts: ResumePoint['hosts'] = {};
  for (const e of run) {
    if (e.type !== 'host-result') continue;
    const h = (hosts[e.host] ??= { registered: {}, facts: {} });
    const facts = e.result['ansible_facts'];
    // a run_once result was also the result of every other host of the batch (as the engine shared it)
    for (const name of [e.host, ...(e.sharedWith ?? [])]) {
      const to = (hosts[name] ??= { registered: {}, facts: {} });
      if (e.register) to.registered[e.register] = e.result;
      if (facts && typeof facts === 'object' && e.status !== 'failed') Object.assign(to.facts, facts);
    }
    // The host's last decisive status wins (a rescued host goes on with ok/changed results).
    if (e.status !== 'skipped') h.status = e.status === 'failed' || e.status === 'unreachable' ? e.status : undefined;
  }
  return hosts;
}

/** The events of a journal, each with the time it was written; an unreadable file or a line that is not JSON throws a UsageError saying where. */
export function journalEvents(path: string): Array<EngineEvent & { ts?: string }> {
  // a journal grows with the run (every output line): no size limit beyond what a string can hold
  const read = readInput(path, 'journal', undefined, Number.POSITIVE_INFINITY);
  if (read.problem) throw new UsageError(read.problem.message);
  return read.text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as EngineEvent & { ts?: string };
      } catch {
        throw new UsageError(`${path}:${i + 1}: not a journal line (invalid JSON)`);
      }
    });
}
