import type { ConnectionCliOptions } from '../connection/connection-spec.js';
import type { Transport } from '../transports/transport.js';
import type { ConnectionSpec } from '../connection/types.js';
import type { HostStatus } from './events.js';

/** Where an interrupted run stopped and what it had learned, rebuilt from its journal. */
export interface ResumePoint {
  /** Index of the play to continue in (earlier plays are skipped). */
  play: number;
  /** Id of the last task that completed in that play (undefined: start the play from its beginning). */
  afterTaskId?: string | undefined;
  /** Registered results and facts per host, and hosts that had failed or were unreachable. */
  hosts: Record<string, { registered: Record<string, unknown>; facts: Record<string, unknown>; status?: HostStatus | undefined }>;
}

/** Everything a run needs; the CLI builds it, tests build it directly. */
export interface RunOptions {
  playbook: string;
  inventory: string[];
  limit?: string | undefined;
  /** Already parsed `-e` values in order (later wins). */
  extraVars: Record<string, unknown>;
  check: boolean;
  /** -D/--diff: file modules report before/after diffs. */
  diff?: boolean | undefined;
  forks: number;
  tags: string[];
  skipTags: string[];
  startAtTask?: string | undefined;
  verbosity: number;
  /** --yes: confirmations are answered yes. */
  yes: boolean;
  /** A terminal is attached, so the UI can ask. */
  interactive: boolean;
  /** Asks the operator (provided by the UI when interactive). */
  ask?: ((message: string) => Promise<boolean>) | undefined;
  /** Connection settings from the CLI that apply to every host unless its inventory vars say otherwise. */
  connection: ConnectionCliOptions;
  /** Default per-task timeout in seconds (0: none). */
  taskTimeoutS?: number | undefined;
  /** Injected transport factory (tests use the fake); default: SSH/local transports. */
  transportFactory?: ((spec: ConnectionSpec) => Transport) | undefined;
  /** Graceful stop: no new task starts; tasks in flight finish (first Ctrl-C). */
  signal?: AbortSignal | undefined;
  /** Second Ctrl-C: commands in flight are killed; inside a critical section it rolls back (rescue) or waits. */
  abort?: AbortSignal | undefined;
  /** Third Ctrl-C: commands in flight are killed, inside critical sections too. */
  kill?: AbortSignal | undefined;
  /**
   * Measured duration (ms) of critical sections by name, from earlier runs' journals (judged with `duration:`); a
   * function is called once, when a critical section is first met (a run without one never reads the journals).
   */
  sectionHistory?: Record<string, number> | (() => Record<string, number>) | undefined;
  /** Where the run's journal is written (put into run-start). */
  journal?: string | undefined;
  /** No task starts after this time; a play whose `duration` would end after it does not start. */
  deadline?: Date | undefined;
  /** Continue an interrupted run (from its journal). */
  resume?: ResumePoint | undefined;
  /** Lock each host (a lock file on the host) for this run's owner; undefined: no host locks. */
  hostLock?: import('../lock/controller-lock.js').LockOwner | undefined;
  /** Problems already found in the command line (bad -e values): reported with everything prepare finds. */
  inputProblems?: import('../errors/problem.js').Problem[] | undefined;
  /** Run module preflights during validation (default true; e.g. a named snapshot is looked up in the store). */
  preflight?: boolean | undefined;
  /** Only validate: never connect. */
  validateOnly?: boolean | undefined;
}
