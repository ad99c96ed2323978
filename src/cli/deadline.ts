import { parseDuration } from '../util/duration.js';

/** The run's deadline from --deadline (ISO 8601 or HH:MM today, local time) or --max-duration; a string is a usage error. */
export function deadlineFrom(deadline: string | undefined, maxDuration: string | undefined, now = new Date()): Date | undefined | string {
  const limits: Date[] = [];
  if (deadline !== undefined) {
    const hm = /^(\d{1,2}):(\d{2})$/.exec(deadline);
    const d = hm ? new Date(now.getFullYear(), now.getMonth(), now.getDate(), Number(hm[1]), Number(hm[2])) : new Date(deadline);
    if (Number.isNaN(d.getTime())) return `--deadline: "${deadline}" is not a time (use ISO 8601 or HH:MM)`;
    if (d.getTime() <= now.getTime()) return `--deadline: ${d.toISOString()} has already passed`;
    limits.push(d);
  }
  if (maxDuration !== undefined) {
    const ms = parseDuration(maxDuration);
    if (ms === undefined || ms <= 0) return `--max-duration: "${maxDuration}" is not a duration (e.g. 45m, 2h, 90s)`;
    limits.push(new Date(now.getTime() + ms));
  }
  return limits.length ? new Date(Math.min(...limits.map((d) => d.getTime()))) : undefined;
}
