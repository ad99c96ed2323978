import type { ExecResult } from '../transports/transport.js';
import { shellQuote } from '../util/shell-quote.js';
import { commandPaths } from './dry-run-state.js';
import type { ModuleName } from '../playbook/model.js';
import { lines, type ModuleDef, type ModuleResult } from './module.js';
import { failed, plannedModule, type Plan, type Probe } from './plan.js';
import { changed, ok, wouldRun } from './result.js';

/** A command line to run plus the options shared by `command` and `shell`. */
export interface CommandSpec {
  commandLine: string;
  /** What to show as `cmd` (argv for command, the string for shell). */
  display: string | string[];
  chdir?: string | undefined;
  creates?: string | undefined;
  removes?: string | undefined;
  stdin?: string | undefined;
}

/** The read-only probe of `creates`/`removes` (undefined: neither given): prints `creates` when it exists, `removes` when it does not. */
export function skipProbe(spec: CommandSpec): string | undefined {
  const tests = [
    ...(spec.creates ? [`if test -e ${shellQuote(spec.creates)}; then echo creates; fi`] : []),
    ...(spec.removes ? [`if test -e ${shellQuote(spec.removes)}; then :; else echo removes; fi`] : []),
  ];
  return tests.length ? tests.join('; ') : undefined;
}

/**
 * Pure: runs the command unless creates/removes (from the probe) say it is done; check mode reports the command line
 * as Ansible does for a command it skips (rc 0, empty output, so `until` can judge it), and a `mv`/`cp` argv as the
 * paths it would move for the later steps to plan on.
 */
export function planCommand(spec: CommandSpec, probe: Probe): Plan {
  const said = probe.stdout.split('\n').map((l) => l.trim());
  const skip =
    spec.creates && said.includes('creates')
      ? `skipped, since ${spec.creates} exists`
      : spec.removes && said.includes('removes')
        ? `skipped, since ${spec.removes} does not exist`
        : undefined;
  if (skip)
    return {
      result: ok({
        skipped: false,
        msg: skip,
        cmd: spec.display,
        rc: 0,
        stdout: skip,
        stdout_lines: [skip],
        stderr: '',
        stderr_lines: [],
      }),
      steps: [],
    };
  const line = spec.chdir ? `cd ${shellQuote(spec.chdir)} && ${spec.commandLine}` : spec.commandLine;
  const check = wouldRun(
    line,
    {
      skipped: true,
      check_mode: true,
      cmd: spec.display,
      rc: 0,
      stdout: '',
      stderr: '',
      stdout_lines: [],
      stderr_lines: [],
      start: null,
      end: null,
      delta: null,
    },
    false,
  );
  return {
    result: {},
    check,
    steps: [{ command: line, stdin: spec.stdin, live: true, reports: (r, started) => commandResult(spec.display, r, started) }],
    paths: Array.isArray(spec.display) ? commandPaths(spec.display) : undefined,
  };
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

/** A module that runs one command line (`command`, `shell`): its spec from the arguments, skipped by creates/removes. */
export function commandLineModule<A>(name: ModuleName, spec: (args: A) => CommandSpec | { error: string }): ModuleDef<A> {
  return plannedModule<A>({
    name,
    readOnly: false,
    probe(args) {
      const s = spec(args);
      return 'error' in s ? undefined : skipProbe(s);
    },
    plan(args, probe) {
      const s = spec(args);
      return 'error' in s ? failed(s.error) : planCommand(s, probe);
    },
  });
}
