import type { VarLayer } from '../playbook/effective-keywords.js';
import type { Play } from '../playbook/model.js';
import { isActive, type HostState } from './host-state.js';
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
  /** any_errors_fatal of the play, resolved for this batch. */
  anyErrorsFatal?: boolean;
  /** Set by `meta: end_play`: no further task of the play runs (not a failure). */
  ended?: boolean;
  /** While the tasks of an include with a run-time loop run: the include's vars layer, with the pass's loop item. */
  loopItems?: ReadonlyMap<VarLayer, Record<string, unknown>>;
}

/**
 * any_errors_fatal and max_fail_percentage (and "every host of the batch failed") stop the play. FATAL is the
 * any_errors_fatal of the task just run when a block around it (or the task) sets it: it wins over the play's.
 */
export function checkThresholds(ctl: PlayControl, fatal?: boolean): void {
  const k = ctl.play.keywords;
  const failed = ctl.batch.filter((h) => (h.failed || h.unreachable) && !ctl.excused?.has(h));
  if (failed.length === 0 || ctl.aborted) return;
  if (fatal ?? ctl.anyErrorsFatal ?? k.any_errors_fatal === true) {
    const culprits = failed
      .filter((h) => h.stoppedBy === undefined)
      .map((h) => `${h.name} ${h.unreachable ? 'unreachable' : 'failed'}`)
      .join(', ');
    ctl.aborted = `any_errors_fatal: ${culprits}`;
    // As in Ansible, every other host of the batch fails too, so an enclosing block's rescue runs on all of them;
    // they are not counted as failed themselves (the recap and the exit code name the host that was).
    for (const h of ctl.batch.filter(isActive)) {
      h.failed = true;
      h.stoppedBy = culprits;
    }
  } else if (k.max_fail_percentage !== undefined && (failed.length / ctl.batch.length) * 100 > k.max_fail_percentage)
    ctl.aborted = `max_fail_percentage ${k.max_fail_percentage}% exceeded: ${failed.length} of ${ctl.batch.length} hosts failed`;
  else if (failed.length === ctl.batch.length) ctl.aborted = 'every host of the batch failed';
}
