import type { ModuleResult } from '../tasks/module.js';
import type { AttemptOutcome } from './attempt.js';
import { checkSummary } from './check-summary.js';
import type { HostStatus } from './events.js';
import type { HostTaskInput } from './host-task-input.js';
import { toList } from '../playbook/normalize.js';

/** A task's no_log, ignore_errors and ignore_unreachable on one host, resolved. */
export interface TaskFlags {
  noLog: boolean;
  ignoreErrors: boolean;
  /** An unreachable host stays in the play; the task counts as ok and ignored in the recap (as in ansible-core 2.14). */
  ignoreUnreachable: boolean;
}

const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

/** Decides the status, updates the host's state and recap, queues handlers, and emits the host-result event. */
export function publishResult(i: HostTaskInput, outcome: AttemptOutcome, durationMs: number, flags: TaskFlags): HostStatus {
  const { result } = outcome;
  const k = i.task.keywords;
  const status = statusOf(outcome, flags.ignoreErrors);
  const recap = i.host.recap;
  if (status === 'unreachable' && flags.ignoreUnreachable) {
    recap.ok++;
    recap.ignored++;
  } else if (status === 'unreachable') {
    i.host.unreachable = true;
    recap.unreachable++;
  } else if (status === 'failed') {
    i.host.failed = true;
    recap.failed++;
    const shownResult = flags.noLog ? { censored: CENSORED, changed: result.changed, failed: true } : { ...result };
    i.host.lastFailure = {
      task: { name: k.name ?? '', action: i.task.module, args: flags.noLog ? {} : (i.task.args ?? {}) },
      result: shownResult,
    };
  } else if (status === 'skipped') recap.skipped++;
  else {
    recap.ok++;
    if (status === 'changed') recap.changed++;
    if (status === 'ignored') recap.ignored++;
  }
  if (result.changed && !result.failed) for (const h of toList(k.notify)) i.host.notified.add(h);
  const noLog = flags.noLog;
  i.rc.emit({
    type: 'host-result',
    taskId: i.taskId,
    task: i.task.title,
    host: i.host.name,
    status,
    msg: noLog ? censoredSummary(result) : summary(i.task.module, result, status),
    result: noLog
      ? {
          censored: CENSORED,
          changed: result.changed,
          failed: result.failed,
          ...(typeof result['rc'] === 'number' ? { rc: result['rc'] } : {}),
        }
      : result,
    durationMs,
    ...(k.register ? { register: k.register } : {}),
    ...(i.sharedWith?.length ? { sharedWith: i.sharedWith } : {}),
  });
  return status;
}

function statusOf({ result, unreachable }: AttemptOutcome, ignoreErrors: boolean): HostStatus {
  if (unreachable) return 'unreachable';
  if (result.failed) return ignoreErrors ? 'ignored' : 'failed';
  if (result.skipped) return 'skipped';
  return result.changed ? 'changed' : 'ok';
}

/** A one-line summary: the failure reason with the stderr tail, a check-mode plan, or debug output. */
function summary(module: string, r: ModuleResult, status: HostStatus): string {
  if (status === 'failed' || status === 'ignored' || status === 'unreachable') {
    const tail = typeof r['stderr'] === 'string' && r['stderr'] ? ` | stderr: ${tailLines(r['stderr'], 3)}` : '';
    return `${stringify(r.msg ?? 'failed')}${tail}`;
  }
  const plan = checkSummary(r);
  if (plan !== undefined && (status === 'changed' || status === 'skipped' || status === 'ok')) return plan;
  if (status === 'skipped')
    return typeof r.msg === 'string' ? r.msg : typeof r['false_condition'] === 'string' ? `condition false: ${r['false_condition']}` : '';
  if (module === 'debug') {
    const { changed: _c, failed: _f, ...shown } = r;
    return 'msg' in shown ? stringify(shown.msg) : stringify(shown);
  }
  if (r.msg !== undefined && (module === 'assert' || module === 'pause' || module === 'wait_for')) return stringify(r.msg);
  return '';
}

function censoredSummary(r: ModuleResult): string {
  const rc = typeof r['rc'] === 'number' ? ` (rc=${r['rc']})` : '';
  return r.failed ? `failed${rc}; output hidden by no_log` : 'output hidden by no_log';
}

function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  return v !== null && typeof v === 'object' ? JSON.stringify(v, null, 2) : JSON.stringify(v);
}

function tailLines(s: string, n: number): string {
  return s.trimEnd().split('\n').slice(-n).join(' / ');
}
