import type { RunOptions } from '../engine/options.js';
import { prepare } from '../engine/prepare.js';
import { EXIT } from '../engine/run.js';
import { defaultJournalPath } from '../journal/writer.js';
import { problemLines } from '../ui/problems.js';
import type { Output } from '../ui/writer.js';
import { parseRunArgs, tagList, type RunArgs } from './args.js';
import { deadlineFrom } from './deadline.js';
import { execute } from './execute.js';
import { parseExtraVars } from './extra-vars.js';
import { askOnTerminal } from './prompt.js';
import { listHosts, listTasks } from './list.js';
import { UsageError } from '../errors/usage-error.js';

/** Environment the command runs in (real process in the CLI, buffers in tests). */
export interface CliEnv {
  io: Output;
  isTTY: boolean;
  /** Graceful stop (first Ctrl-C). */
  signal?: AbortSignal | undefined;
  /** Hard abort (second Ctrl-C; inside a critical section: roll back). */
  abort?: AbortSignal | undefined;
  /** Third Ctrl-C: kill everything, inside critical sections too. */
  kill?: AbortSignal | undefined;
  /** Asks the operator on the terminal (default: a readline prompt on stdin/stderr). */
  ask?: ((message: string) => Promise<boolean>) | undefined;
}

/** `tsplay run|validate PLAYBOOK -i INV ...`: builds RunOptions, picks a renderer, runs; returns the exit code. */
export async function runCommand(sub: 'run' | 'validate', argv: string[], env: CliEnv): Promise<number> {
  const args = parseRunArgs(argv);
  const v = args.values;
  if (args.positionals.length !== 1) throw new UsageError(`expected one PLAYBOOK, got ${args.positionals.length} (see tsplay --help)`);
  if (!v.inventory?.length) throw new UsageError('needs an inventory: -i FILE|DIR|host1,host2,');
  const extra = parseExtraVars(v['extra-vars'] ?? []);
  const opts = runOptions(args, args.positionals[0] as string, v.inventory, extra.vars, env);
  // Bad -e values are reported together with every other problem (prepare adds them; nothing runs).
  if (extra.problems.length) opts.inputProblems = extra.problems;
  opts.validateOnly = sub === 'validate' || Boolean(v['list-hosts'] || v['list-tasks']);
  if (v['list-hosts'] || v['list-tasks']) return listOnly({ ...opts, preflight: false }, Boolean(v['list-hosts']), env);
  const code = await execute(opts, {
    mode: outputMode(v.output, env),
    io: env.io,
    journal: v.journal ?? defaultJournalPath(opts.playbook),
    lock: !v['no-lock'],
  });
  if (sub === 'validate' && code === EXIT.ok) env.io.out(`${opts.playbook}: valid (inventory ${opts.inventory.join(', ')})\n`);
  return code;
}

/** The output mode from --output (default: live view on a terminal, plain lines otherwise). */
export function outputMode(value: string | undefined, env: CliEnv): 'tty' | 'plain' | 'json' {
  const mode = value ?? (env.isTTY ? 'tty' : 'plain');
  if (mode !== 'tty' && mode !== 'plain' && mode !== 'json') throw new UsageError(`--output must be tty, plain or json, got "${mode}"`);
  return mode;
}

/** RunOptions from parsed arguments (shared by run, validate and resume). */
export function runOptions(
  args: RunArgs,
  playbook: string,
  inventory: string[],
  extraVars: Record<string, unknown>,
  env: CliEnv,
): RunOptions {
  const v = args.values;
  const forks = Number(v.forks ?? 300);
  if (!Number.isInteger(forks) || forks < 1) throw new UsageError(`--forks must be a positive integer, got "${v.forks ?? ''}"`);
  const deadline = deadlineFrom(v.deadline, v['max-duration']);
  if (typeof deadline === 'string') throw new UsageError(deadline);
  const mode = outputMode(v.output, env);
  return {
    playbook,
    inventory,
    limit: v.limit,
    extraVars,
    check: Boolean(v.check),
    diff: Boolean(v.diff),
    forks,
    tags: tagList(v.tags),
    skipTags: tagList(v['skip-tags']),
    startAtTask: v['start-at-task'],
    verbosity: args.verbosity,
    yes: Boolean(v.yes),
    interactive: env.isTTY && mode !== 'json',
    ask: env.isTTY ? (env.ask ?? askOnTerminal) : undefined,
    connection: {
      user: v.user,
      privateKeyFile: v['private-key'] ?? v['key-file'],
      knownHostsFiles: v['known-hosts'],
      acceptNewHostKeys: Boolean(v['accept-new-host-keys']),
      connectTimeoutMs: Number(v.timeout ?? 10) * 1000,
    },
    taskTimeoutS: Number(v['task-timeout'] ?? 0),
    signal: env.signal,
    abort: env.abort,
    kill: env.kill,
    deadline,
  };
}

async function listOnly(opts: RunOptions, hosts: boolean, env: CliEnv): Promise<number> {
  const p = await prepare(opts);
  if (p.problems.length) {
    problemLines(p.problems).forEach((l) => env.io.err(`${l}\n`));
    return EXIT.invalid;
  }
  (hosts ? listHosts(p) : listTasks(p, opts.tags, opts.skipTags)).forEach((l) => env.io.out(`${l}\n`));
  return EXIT.ok;
}
