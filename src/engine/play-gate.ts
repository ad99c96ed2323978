import type { Play } from '../playbook/model.js';
import { parseDuration } from '../util/duration.js';
import type { RunContext } from './context.js';
import { playTitle } from './play-title.js';

/** Decides whether a play may start: its expected duration must fit before --deadline, and a destructive play needs confirmation. */
export async function playMayStart(
  rc: RunContext,
  p: Play,
  confirm: (rc: RunContext, message: string) => Promise<boolean>,
): Promise<boolean> {
  const deadline = rc.opts.deadline;
  const name = playTitle(p, rc.varsFiles, rc.opts.extraVars);
  const need = p.keywords.duration ? parseDuration(p.keywords.duration) : undefined;
  // inside a critical section, the section's own duration was judged when it started
  if (deadline && need !== undefined && !rc.critical.inSection && Date.now() + need > deadline.getTime()) {
    const left = Math.max(0, Math.round((deadline.getTime() - Date.now()) / 1000));
    rc.progress.stopped = `play "${name}" needs about ${p.keywords.duration} but the deadline ${deadline.toISOString()} is ${left}s away: not started`;
    rc.emit({ type: 'warning', message: rc.progress.stopped });
    return false;
  }
  if (!p.keywords.destructive || rc.opts.check) return true;
  const ok = await confirm(rc, `Play "${name}" is destructive. Continue?`);
  if (!ok) {
    rc.progress.stopped = `play "${name}" was not confirmed`;
    rc.emit({ type: 'warning', message: `${rc.progress.stopped}: stopping before it` });
  }
  return ok;
}
