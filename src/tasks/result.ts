// The shapes of a module's result, in one place (issue 13 item 3): a failure (Ansible's fail_json), a run that changed
// nothing or something, and the one check-mode report of a step that was planned but not run.
import type { ModuleResult } from './module.js';

/** A failed result: `{failed: true, changed: false, msg}` plus the module's own fields. */
export function fail(msg: string, extra: ModuleResult = {}): ModuleResult & { failed: true; changed: false; msg: string } {
  return { ...extra, failed: true, changed: false, msg };
}

/** A failure after some step ran: keeps the result's `changed` (a manifest moved, then the wait timed out). */
export function failAfter(msg: string, result: ModuleResult): ModuleResult {
  return { ...result, failed: true, msg };
}

/** A finished run's result: `{changed, ...fields}` (`changed` first, as Ansible prints it; `fields` cannot override it). */
export function done(changed: boolean, fields: ModuleResult = {}): ModuleResult {
  const r: ModuleResult = { changed, ...fields };
  r.changed = changed;
  return r;
}

/** A result that changed nothing: `{changed: false, ...fields}`. */
export function ok(fields: ModuleResult = {}): ModuleResult {
  return done(false, fields);
}

/** A result that changed something: `{changed: true, ...fields}`. */
export function changed(fields: ModuleResult = {}): ModuleResult {
  return done(true, fields);
}

/**
 * The check-mode report of a change that was planned and not run: `check mode: would WHAT`, with the exact commands
 * (shown one a line at default verbosity, see engine/check-summary.ts) when there are any.
 */
export function wouldChange(what: string, extra: ModuleResult = {}, commands?: string | string[], changes = true): ModuleResult {
  return { ...extra, changed: changes, msg: `check mode: would ${what}`, ...(commands === undefined ? {} : { would_run: commands }) };
}

/**
 * The check-mode report of one command line that was planned and not run: `check mode: would run: LINE`; `changes`
 * false for a step check mode skips rather than plans as a change (command and shell, as Ansible reports them).
 */
export function wouldRun(line: string, extra: ModuleResult = {}, changes = true): ModuleResult {
  return wouldChange(`run: ${line}`, extra, line, changes);
}

/** The message of an exception, for a result. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
