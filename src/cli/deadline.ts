import { parseDuration } from '../util/duration.js';

/**
 * The run's deadline from --deadline (ISO 8601, or HH:MM: the next time the clock shows it, so 01:30 at 23:00 is
 * tomorrow) or --max-duration (a number with a unit: 90s, 45m, 2h); a string is a usage error.
 */
export function deadlineFrom(deadline: string | undefined, maxDuration: string | undefined, now = new Date()): Date | undefined | string {
  const limits: Date[] = [];
  if (deadline !== undefined) {
    const hm = /^(\d{1,2}):(\d{2})$/.exec(deadline);
    if (hm && (Number(hm[1]) > 23 || Number(hm[2]) > 59)) return `--deadline: "${deadline}" is not a time of day (00:00 to 23:59)`;
    let d = hm ? new Date(now.getFullYear(), now.getMonth(), now.getDate(), Number(hm[1]), Number(hm[2])) : new Date(deadline);
    if (Number.isNaN(d.getTime())) return `--deadline: "${deadline}" is not a time (use ISO 8601 or HH:MM)`;
    // a time of day already past today means tomorrow (a maintenance window that crosses midnight)
    if (hm && d.getTime() <= now.getTime())
      d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, Number(hm[1]), Number(hm[2]));
    if (d.getTime() <= now.getTime()) return `--deadline: ${d.toISOString()} has already passed`;
    limits.push(d);
  }
  if (maxDuration !== undefined) {
    if (/^\s*\d+(\.\d+)?\s*$/.test(maxDuration))
      return `--max-duration: "${maxDuration}" has no unit: write ${maxDuration.trim()}s, ${maxDuration.trim()}m or ${maxDuration.trim()}h`;
    const ms = parseDuration(maxDuration);
    if (ms === undefined || ms <= 0) return `--max-duration: "${maxDuration}" is not a duration (e.g. 45m, 2h, 90s)`;
    limits.push(new Date(now.getTime() + ms));
  }
  return limits.length ? new Date(Math.min(...limits.map((d) => d.getTime()))) : undefined;
}

/** How a deadline is announced at the start of a run: the local time, and how far away it is. */
export function deadlineNote(deadline: Date, now = new Date()): string {
  const tomorrow = deadline.getDate() !== now.getDate() ? ' tomorrow' : '';
  const hh = String(deadline.getHours()).padStart(2, '0');
  const mm = String(deadline.getMinutes()).padStart(2, '0');
  const ss = String(deadline.getSeconds()).padStart(2, '0');
  const mins = Math.round((deadline.getTime() - now.getTime()) / 60_000);
  const away =
    mins < 2
      ? `${Math.round((deadline.getTime() - now.getTime()) / 1000)}s`
      : mins < 120
        ? `${mins}m`
        : `${Math.floor(mins / 60)}h${String(mins % 60).padStart(2, '0')}m`;
  return `tsplay: deadline ${hh}:${mm}:${ss}${tomorrow} local time (${deadline.toISOString()}), ${away} from now: no task starts after it, and a critical section that cannot finish before it does not start\n`;
}
