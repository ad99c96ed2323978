// The module contract of issue 13: a module probes the host with one read-only command, then plans purely
// (arguments + probed facts in, commands + the expected result out), and one executor runs the plan. Check mode
// falls out of it: the plan's commands are reported, not run.
import type { Readable } from 'node:stream';
import type { ModuleName } from '../playbook/model.js';
import { shellQuote } from '../util/shell-quote.js';
import type { ExecResult } from '../transports/transport.js';
import { execOn, type ModuleContext, type ModuleDef, type ModuleResult } from './module.js';
import { fail } from './result.js';
import { CONTROLLER } from './dry-run-state.js';
import { fetchFile } from './fetch-file.js';

/** One step of a plan: a command, a file streamed to the host, a host file streamed to the controller, or a controller action. */
export type Step = CommandStep | PutStep | GetStep | ActStep;

/**
 * A change made from the controller, not on the host (objects deleted from the store, a transfer between the store
 * and the host): the plan says what, the executor does it (or, in check mode, reports `show`). Its result fields are
 * merged into the result; a whole result (one that says `failed` or `changed`) ends the plan as it is.
 */
export interface ActStep {
  command?: undefined;
  put?: undefined;
  get?: undefined;
  act: (signal: AbortSignal) => Promise<ModuleResult | undefined>;
  show: string;
}

/** A file written on the host through the transport's `put` (streamed, so a snapshot is never held in memory). */
export interface PutStep {
  command?: undefined;
  get?: undefined;
  act?: undefined;
  put: { path: string; mode: number; content(): string | Buffer | Readable };
  /** What check mode reports for it. */
  show: string;
}

/**
 * A host file streamed to the controller through the transport's `get`: into `dest.tsplay-partial` (0600, its
 * directories 0755), renamed to `dest` only when its sha256 is `sha256`. The result gets `checksum`.
 */
export interface GetStep {
  command?: undefined;
  put?: undefined;
  act?: undefined;
  get: { path: string; dest: string; sha256: string | undefined };
  /** What check mode reports for it. */
  show: string;
}

/** One command of a plan; a non-zero exit fails the task (the rest is not run). */
export interface CommandStep {
  command: string;
  put?: undefined;
  get?: undefined;
  act?: undefined;
  /** Bytes fed to the command (file contents for a write). */
  stdin?: string | undefined;
  /** What to show instead of the command line (a write's content is not worth showing). */
  show?: string | undefined;
  /** The result key that receives the command's trimmed stdout (e.g. tempfile's `path`). */
  capture?: string | undefined;
  /** Result fields read from the command's stdout (pure; `result`: the result so far), merged into the result. */
  parse?: ((stdout: string, result: ModuleResult) => ModuleResult) | undefined;
  /** The result that ends the plan when the command's output is not what the next steps need (undefined: go on). */
  rejects?: ((stdout: string) => ModuleResult | undefined) | undefined;
  /** Runs it again, after `delayMs`, up to `times` more, while it fails with stderr matching `stderr` (a transient refusal). */
  retry?: { stderr: RegExp; times: number; delayMs: number } | undefined;
  /** Exit codes that end the plan early: `unchanged` (nothing to do after all, e.g. the same download) or `failed`. */
  ends?: Readonly<Record<number, 'unchanged' | 'failed'>> | undefined;
  /** The result when the command fails (default: `MODULE: stderr` with `cmd` and `rc`); `result`: the result so far. */
  fails?: ((r: ExecResult, result: ModuleResult) => ModuleResult) | undefined;
  /** The command's result fields, whatever its exit code (command/shell: rc, stdout, start/end); it ends the plan when they say failed. */
  reports?: ((r: ExecResult, started: Date) => ModuleResult) | undefined;
  /** Its output is shown live (a command the user wrote), not only parsed. */
  live?: boolean | undefined;
  /** How long it may run, when that is not the task's (a step that waits on the host for up to its own timeout). */
  timeoutMs?: number | undefined;
}

/** Ansible's `diff` entry: what a file (or a state) was and will be. */
export interface Diff {
  before?: string | Record<string, string>;
  after?: string | Record<string, string>;
  before_header?: string;
  after_header?: string;
}

/** What a module will do and what it reports when it is done. */
export interface Plan {
  /** The result once every step ran (changed defaults to "some step is planned"). */
  result: ModuleResult;
  steps: Step[];
  /** Before/after for `--diff` (kept in the result only when the run asked for diffs). */
  diff?: Diff | Diff[] | undefined;
  /** Paths the steps create (true), remove (false) or move here (`from`): in check mode, what the later steps of the run plan on. */
  paths?: Readonly<Record<string, boolean | { from: string }>> | undefined;
  /** Controller paths the steps create (fetch's dest), likewise. */
  controllerPaths?: readonly string[] | undefined;
  /**
   * What check mode reports instead of `result` with the steps as `would_run` (a module whose check-mode report has
   * its own shape); also when there is no step (a plan that changes nothing still says so in check mode's words).
   */
  check?: ModuleResult | undefined;
  /** Objects the steps upload to the store: in check mode, what the later steps plan on. */
  objects?: ReadonlyArray<{ bucket: string; key: string }> | undefined;
  /** etcd members the steps add (by name) or remove (by ID): in check mode, what the later steps plan on. */
  members?: { added?: string | undefined; removed?: string | undefined } | undefined;
}

/** What the probe command printed. */
export interface Probe {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** What a plan may know about the run besides its arguments and the probe. */
export interface PlanEnv {
  check: boolean;
  diff: boolean;
  host: string;
  /** The task's timeout (for messages about a command that ran out of it). */
  timeoutMs?: number | undefined;
  /** Directory of the playbook file the task came from (controller-side relative paths). */
  dir: string;
  /** In a check-mode run: whether the steps planned before this one would have created (true) or removed (false) a path. */
  planned?: ((path: string) => boolean | undefined) | undefined;
}

/** A module written as probe + pure plan, turned into a ModuleDef by `plannedModule`. */
export interface PlannedModule<A> {
  name: ModuleName;
  readOnly: boolean;
  facts?: readonly string[];
  /** A read-only shell command that prints what the plan needs (undefined: nothing to ask the host). */
  probe(args: A): string | undefined;
  /** Pure: the steps and the result, from the arguments and the probe's output. */
  plan(args: A, probe: Probe, env: PlanEnv): Plan;
}

/** A failed plan: nothing to run, the result says why (Ansible's fail_json). */
export function failed(msg: string, extra: ModuleResult = {}): Plan {
  return { result: fail(msg, extra), steps: [] };
}

/** A plan that changes nothing. */
export function unchanged(result: ModuleResult = {}, diff?: Diff | Diff[]): Plan {
  return { result: { ...result, changed: false }, steps: [], diff };
}

/** Turns a probe+plan module into a ModuleDef run by the one executor. */
export function plannedModule<A>(m: PlannedModule<A>): ModuleDef<A> {
  return {
    name: m.name,
    remote: true,
    readOnly: m.readOnly,
    ...(m.facts ? { facts: m.facts } : {}),
    run: (args, ctx) => execute(m, args, ctx),
  };
}

/** The executor: probe, plan, then run the steps (or, in check mode, report them). */
export async function execute<A>(m: PlannedModule<A>, args: A, ctx: ModuleContext): Promise<ModuleResult> {
  const probeCmd = m.probe(args);
  const probe: Probe = probeCmd === undefined ? { stdout: '', stderr: '', code: 0 } : await execOn(ctx, probeCmd, { onOutput: undefined });
  return runPlan(m.name, m.plan(args, probe, planEnv(ctx)), ctx);
}

/** What a plan may know about the run, from the module context. */
export function planEnv(ctx: ModuleContext): PlanEnv {
  const planned = ctx.dryRun ? (path: string) => ctx.dryRun?.pathState(ctx.host, path) : undefined;
  return { check: ctx.check, diff: ctx.diff ?? false, host: ctx.host, timeoutMs: ctx.timeoutMs, dir: ctx.dir, planned };
}

/**
 * Runs a plan's steps in order; in check mode reports them instead (the plan's `check` result, or its result with
 * the steps as `would_run`) and records what they would have done.
 */
export async function runPlan(name: string, p: Plan, ctx: ModuleContext): Promise<ModuleResult> {
  const result: ModuleResult = { ...p.result, changed: p.result.changed ?? p.steps.length > 0 };
  if (ctx.diff && p.diff !== undefined && !result.failed) result['diff'] = p.diff;
  if (result.failed || (p.steps.length === 0 && !(ctx.check && p.check))) return result;
  if (ctx.check) {
    recordPlanned(p, ctx);
    return p.check ?? { ...result, would_run: p.steps.map(shown) };
  }
  for (const step of p.steps) {
    if (step.put) {
      if (!ctx.transport) throw new Error(`no connection to ${ctx.host}`);
      const { path, mode, content } = step.put;
      await ctx.transport.put({ path, content: content(), mode, become: ctx.become, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
      continue;
    }
    if (step.act) {
      const acted = await step.act(ctx.signal);
      if (acted && (acted.failed !== undefined || acted.changed !== undefined)) return acted;
      Object.assign(result, acted);
      continue;
    }
    if (step.get) {
      const got = await fetchFile(step.get, ctx);
      if (got !== step.get.sha256)
        return fail(`checksum mismatch fetching ${step.get.path}: remote ${String(step.get.sha256)}, received ${got}`, {
          dest: step.get.dest,
        });
      result['checksum'] = got;
      continue;
    }
    const started = new Date();
    const r = await execStep(step, ctx);
    if (step.reports) {
      Object.assign(result, step.reports(r, started));
      if (result.failed) return result;
      continue;
    }
    const end = r.code === null ? undefined : step.ends?.[r.code];
    if (end) return { ...result, changed: false, ...step.parse?.(r.stdout, result), ...(end === 'failed' ? { failed: true } : {}) };
    if (r.code !== 0 && step.fails) return step.fails(r, result);
    if (r.code !== 0) {
      const why = r.stderr.trim() || r.stdout.trim() || (r.timedOut ? 'timed out' : `exit code ${String(r.code)}`);
      return fail(`${name}: ${why}`, { ...result, cmd: shown(step), rc: r.code ?? -1 });
    }
    const rejected = step.rejects?.(r.stdout);
    if (rejected) return rejected;
    if (step.capture) result[step.capture] = r.stdout.trim();
    if (step.parse) Object.assign(result, step.parse(r.stdout, result));
  }
  return result;
}

/** Check mode: what the plan's steps would have done, for the later steps of the run to plan on. */
function recordPlanned(p: Plan, ctx: ModuleContext): void {
  for (const [path, to] of Object.entries(p.paths ?? {}))
    ctx.dryRun?.setPath(ctx.host, path, to !== false, typeof to === 'object' ? to.from : undefined);
  for (const path of p.controllerPaths ?? []) ctx.dryRun?.setPath(CONTROLLER, path, true);
  for (const o of p.objects ?? []) ctx.dryRun?.addObject(o.bucket, o.key);
  if (p.members?.added !== undefined) ctx.dryRun?.addMember(p.members.added);
  if (p.members?.removed !== undefined) ctx.dryRun?.removeMember(p.members.removed);
}

/** Runs a command step (again, while it fails with the transient refusal its `retry` names). */
async function execStep(step: CommandStep, ctx: ModuleContext): Promise<ExecResult> {
  const run = (): Promise<ExecResult> =>
    execOn(ctx, step.command, {
      stdin: step.stdin,
      ...(step.live ? {} : { onOutput: undefined }),
      ...(step.timeoutMs === undefined ? {} : { timeoutMs: step.timeoutMs }),
    });
  let r = await run();
  for (let i = 0; step.retry && i < step.retry.times && r.code !== 0 && step.retry.stderr.test(r.stderr); i++) {
    await new Promise((res) => setTimeout(res, step.retry?.delayMs));
    r = await run();
  }
  return r;
}

function shown(step: Step): string {
  return step.command === undefined ? step.show : (step.show ?? step.command);
}

/** A step that writes `content` to `path` atomically (temp file beside it, then rename), with its mode and owner. */
export function writeStep(path: string, content: string, mode: string, owner?: string): CommandStep {
  const t = `"$t"`;
  const chown = owner ? ` && { chown ${shellQuote(owner)} ${t} 2>/dev/null || true; }` : '';
  return {
    command: `t=${shellQuote(`${path}.tsplay-tmp`)}$$; umask 077; cat > ${t} && chmod ${mode} ${t}${chown} && mv -f ${t} ${shellQuote(path)} || { rc=$?; rm -f ${t}; exit $rc; }`,
    stdin: content,
    show: `write ${path} (${Buffer.byteLength(content)} bytes, mode ${mode})`,
  };
}

/** A step that keeps a copy of `path` the way Ansible's backup_local names it (`path.PID.YYYY-MM-DD@HH:MM:SS~`); its name lands in `key`. */
export function backupStep(path: string, key = 'backup_file'): CommandStep {
  const p = shellQuote(path);
  return {
    command: `b=${p}.$$.$(date +%Y-%m-%d@%H:%M:%S)~ && cp -p -- ${p} "$b" && printf '%s\\n' "$b"`,
    capture: key,
    show: `back up ${path}`,
  };
}

/** Ansible's boolean arguments: true/false, yes/no, on/off, 1/0 (strings after templating). */
export function bool(v: unknown, dflt = false): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['yes', 'on', '1', 'true', 'y', 't'].includes(s)) return true;
  if (['no', 'off', '0', 'false', 'n', 'f', ''].includes(s)) return false;
  throw new Error(`"${String(v)}" is not a valid boolean (use true or false)`);
}
