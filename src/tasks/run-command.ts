import type { ExecResult } from '../transports/transport.js';
import { shellQuote } from '../util/shell-quote.js';
import { execOn, lines, type ModuleContext, type ModuleResult } from './module.js';
import { changed, ok, wouldRun } from './result.js';

/** A command line to run plus the options shared by `command` and `shell`. */
export interface CommandPlan {
  commandLine: string;
  /** What to show as `cmd` (argv for command, the string for shell). */
  display: string | string[];
  chdir?: string | undefined;
  creates?: string | undefined;
  removes?: string | undefined;
  stdin?: string | undefined;
}

/** Runs a planned command (honouring creates/removes/chdir and check mode) and shapes Ansible's result. */
export async function runCommand(plan: CommandPlan, ctx: ModuleContext): Promise<ModuleResult> {
  const skip = await skipReason(plan, ctx);
  if (skip)
    return ok({
      skipped: false,
      msg: skip,
      cmd: plan.display,
      rc: 0,
      stdout: skip,
      stdout_lines: [skip],
      stderr: '',
      stderr_lines: [],
    });
  const line = plan.chdir ? `cd ${shellQuote(plan.chdir)} && ${plan.commandLine}` : plan.commandLine;
  if (ctx.check) {
    if (Array.isArray(plan.display)) ctx.dryRun?.noteCommand(ctx.host, plan.display);
    // Ansible's shape for a command skipped in check mode (rc 0, empty output), so `until` can judge it as Ansible does
    return {
      ...wouldRun(line, {
        skipped: true,
        check_mode: true,
        cmd: plan.display,
        rc: 0,
        stdout: '',
        stderr: '',
        stdout_lines: [],
        stderr_lines: [],
        start: null,
        end: null,
        delta: null,
      }),
      changed: false,
    };
  }
  const start = new Date();
  const r = await execOn(ctx, line, { stdin: plan.stdin });
  return commandResult(plan.display, r, start);
}

async function skipReason(plan: CommandPlan, ctx: ModuleContext): Promise<string | undefined> {
  const probe = async (path: string) => (await execOn(ctx, `test -e ${shellQuote(path)}`, { onOutput: undefined })).code === 0;
  if (plan.creates && (await probe(plan.creates))) return `skipped, since ${plan.creates} exists`;
  if (plan.removes && !(await probe(plan.removes))) return `skipped, since ${plan.removes} does not exist`;
  return undefined;
}

/** Ansible's result for a finished command: rc, stdout(_lines), stderr(_lines), start/end/delta, failed when rc != 0. */
export function commandResult(display: string | string[], r: ExecResult, start: Date): ModuleResult {
  const end = new Date();
  const failed = r.code !== 0;
  const why = r.timedOut
    ? `command timed out after ${Math.round(r.durationMs / 1000)} s`
    : r.code === null
      ? `command was killed by signal ${r.signal ?? 'unknown'}`
      : `non-zero return code ${r.code}`;
  return changed({
    failed,
    ...(failed ? { msg: why } : {}),
    cmd: display,
    rc: r.code ?? -1,
    stdout: r.stdout.replace(/\n$/, ''),
    stderr: r.stderr.replace(/\n$/, ''),
    stdout_lines: lines(r.stdout),
    stderr_lines: lines(r.stderr),
    start: start.toISOString(),
    end: end.toISOString(),
    delta: `${((end.getTime() - start.getTime()) / 1000).toFixed(3)}s`,
    ...(r.timedOut ? { timed_out: true } : {}),
  });
}
