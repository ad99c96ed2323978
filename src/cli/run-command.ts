import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RunOptions } from '../engine/options.js';
import { prepare } from '../engine/prepare.js';
import { EXIT, runPlaybook } from '../engine/run.js';
import { JsonLinesRenderer } from '../ui/json-lines.js';
import { ListrRenderer } from '../ui/listr.js';
import { PlainRenderer } from '../ui/plain.js';
import { problemLines } from '../ui/problems.js';
import type { Output, Renderer } from '../ui/writer.js';
import { parseRunArgs, tagList } from './args.js';
import { parseExtraVars } from './extra-vars.js';
import { askOnTerminal } from './prompt.js';
import { listHosts, listTasks } from './list.js';

/** Environment the command runs in (real process in the CLI, buffers in tests). */
export interface CliEnv {
  io: Output;
  isTTY: boolean;
  signal?: AbortSignal | undefined;
}

/** `tsplay run|validate PLAYBOOK -i INV ...`: builds RunOptions, picks a renderer, runs; returns the exit code. */
export async function runCommand(sub: 'run' | 'validate', argv: string[], env: CliEnv): Promise<number> {
  const { values: v, positionals, verbosity } = parseRunArgs(argv);
  const usage = (msg: string) => {
    env.io.err(`tsplay ${sub}: ${msg}\n`);
    return EXIT.invalid;
  };
  if (positionals.length !== 1) return usage(`expected one PLAYBOOK, got ${positionals.length} (see tsplay --help)`);
  if (!v.inventory?.length) return usage('needs an inventory: -i FILE|DIR|host1,host2,');
  const extra = parseExtraVars(v['extra-vars'] ?? []);
  const forks = Number(v.forks ?? 300);
  if (!Number.isInteger(forks) || forks < 1) return usage(`--forks must be a positive integer, got "${v.forks ?? ''}"`);
  const mode = v.output ?? (env.isTTY ? 'tty' : 'plain');
  if (!['tty', 'plain', 'json'].includes(mode)) return usage(`--output must be tty, plain or json, got "${mode}"`);
  const opts: RunOptions = {
    playbook: positionals[0] as string,
    inventory: v.inventory,
    limit: v.limit,
    extraVars: extra.vars,
    check: Boolean(v.check),
    forks,
    tags: tagList(v.tags),
    skipTags: tagList(v['skip-tags']),
    startAtTask: v['start-at-task'],
    verbosity,
    yes: Boolean(v.yes),
    interactive: env.isTTY && mode !== 'json',
    ask: env.isTTY ? askOnTerminal : undefined,
    connection: {
      user: v.user,
      privateKeyFile: v['private-key'] ?? v['key-file'],
      knownHostsFiles: v['known-hosts'] ?? [join(homedir(), '.ssh', 'known_hosts')],
      acceptNewHostKeys: Boolean(v['accept-new-host-keys']),
      connectTimeoutMs: Number(v.timeout ?? 10) * 1000,
    },
    taskTimeoutS: Number(v['task-timeout'] ?? 0),
    signal: env.signal,
    validateOnly: sub === 'validate' || Boolean(v['list-hosts'] || v['list-tasks']),
  };
  if (extra.problems.length) {
    problemLines(extra.problems).forEach((l) => env.io.err(`${l}\n`));
    return EXIT.invalid;
  }
  if (v['list-hosts'] || v['list-tasks']) return listOnly(opts, Boolean(v['list-hosts']), env);
  const renderer: Renderer = mode === 'json' ? new JsonLinesRenderer(env.io) : mode === 'tty' ? new ListrRenderer(env.io) : new PlainRenderer(env.io, verbosity);
  const code = await runPlaybook(opts, (e) => renderer.handle(e));
  await renderer.close();
  if (sub === 'validate' && code === EXIT.ok) env.io.out(`${opts.playbook}: valid (inventory ${opts.inventory.join(', ')})\n`);
  return code;
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
