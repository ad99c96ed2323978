import type { EngineEventLine } from '../generated/events.js';
import type { Problem } from '../errors/problem.js';

/** How one task ended on one host. */
export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'ignored' | 'rescued';

/** Counters per host shown in the recap (as ansible-playbook's PLAY RECAP). */
export interface HostRecap {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  rescued: number;
  ignored: number;
}

/** Every event the engine emits; UIs (listr2, plain, JSON lines) only render these. */
export type EngineEvent =
  | {
      type: 'run-start';
      playbook: string;
      check: boolean;
      hosts: string[];
      time: string;
      /** The inputs of the run (secrets masked), so a journal can resume it. */
      inputs: RunInputs;
      /** Where this run's journal is written (absent when there is none). */
      journal?: string;
    }
  | { type: 'validation-failed'; problems: Problem[] }
  | { type: 'play-start'; play: string; index: number; hosts: string[]; strategy: 'linear' | 'free' }
  | { type: 'batch-start'; play: string; batch: number; batches: number; hosts: string[] }
  | { type: 'task-start'; taskId: string; task: string; module: string; hosts: string[]; handler: boolean; loc: string; play: number }
  | { type: 'host-output'; taskId: string; host: string; stream: 'stdout' | 'stderr'; text: string }
  /** Progress of a long transfer on a host (bytes, percentage, time left): shown at default verbosity, not journaled. */
  | { type: 'host-progress'; taskId: string; host: string; text: string }
  | { type: 'host-retry'; taskId: string; host: string; attempt: number; retries: number; delayS: number }
  | {
      type: 'host-result';
      taskId: string;
      task: string;
      host: string;
      status: HostStatus;
      /** A one-line summary (message, or the command that would run in check mode). */
      msg: string;
      /** The registered result (redacted; `{censored}` under no_log). */
      result: Record<string, unknown>;
      durationMs: number;
      /** The variable the result was registered as, if any. */
      register?: string;
      item?: string;
      /** run_once: the other hosts of the batch that got this result (register) and its facts too (a resume needs it). */
      sharedWith?: string[];
    }
  | {
      type: 'task-end';
      taskId: string;
      task: string;
      durationMs: number;
      play: number;
      /** Its commands were killed (Ctrl-C, rollback): it did not complete and a resume runs it again. */
      interrupted?: boolean;
    }
  | { type: 'warning'; message: string; host?: string; taskId?: string }
  | { type: 'play-end'; play: string; aborted?: string }
  | {
      type: 'section-start';
      /** The critical section's name (its `critical:` string, or the play or block name). */
      section: string;
      play: number;
      /** Declared duration (sum of the plays' `duration`, or the block's). */
      expectedMs?: number;
      /** Longest duration measured in earlier runs. */
      measuredMs?: number;
      /** Entered by `tsplay resume` in its middle. */
      resumed?: boolean;
    }
  | { type: 'section-end'; section: string; play: number; durationMs: number; outcome: 'done' | 'failed' | 'rolled-back' }
  | { type: 'recap'; hosts: Record<string, HostRecap> }
  | {
      type: 'run-end';
      exitCode: number;
      durationMs: number;
      /** Set when the run stopped early (signal, deadline): where, and the last completed task. */
      stopped?: {
        reason: string;
        play: number;
        afterTaskId?: string;
        afterTask?: string;
        /** What is left to do includes destructive plays or tasks: a resume needs --yes (or a terminal). */
        needsConfirmation?: boolean;
        /** Something was changed on a host before the stop (a rollback may be worth considering). */
        changedSomething?: boolean;
      };
      /** Every play ran to its end (whatever the hosts' results): nothing is left to resume. */
      complete?: boolean;
    };

/** The inputs a run was started with (secret values masked). */
export interface RunInputs {
  playbook: string;
  inventory: string[];
  limit?: string;
  extraVars: Record<string, unknown>;
  tags: string[];
  skipTags: string[];
  check: boolean;
  forks: number;
  cwd: string;
}

/** Receives engine events in order. */
export type EventSink = (event: EngineEvent) => void;

/** An empty recap row. */
export function emptyRecap(): HostRecap {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 };
}

/** One line of `--output json` and of a journal: an event and when it was written (schema/events.schema.json's EngineEventLine). */
export type EventLine = EngineEvent & Pick<EngineEventLine, 'ts'>;

/** The event as written on one line, stamped now. */
export function eventLine(e: EngineEvent): EventLine {
  return { ...e, ts: new Date().toISOString() };
}

type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only while the event types the engine emits are exactly those schema/events.schema.json documents. */
export const EVENT_TYPES_MATCH_SCHEMA: SameSet<EngineEvent['type'], EngineEventLine['type']> = true;
