import { spawn } from 'node:child_process';

/** Outcome of a finished command; failures have the same shape as successes. */
export interface RunResult {
  argv: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options for run(): stdin to feed, extra env, a timeout. */
export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  cwd?: string;
}

/** Runs argv (no shell) and collects its output; never throws for a non-zero exit. */
export function run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('run: empty argv');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      cwd: opts.cwd,
      timeout: opts.timeoutMs ?? 60_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ argv, code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    child.stdin.end(opts.input);
  });
}

/** Runs argv and throws a descriptive error (command, exit code, stderr tail) unless it exits 0. */
export async function runOk(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new Error(describeFailure(r));
  return r;
}

/** "`cmd` exited with N: <last lines of stderr>" for error messages. */
export function describeFailure(r: RunResult): string {
  const tail = (r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n');
  return `\`${r.argv.join(' ')}\` exited with ${r.code ?? 'a signal'}${tail ? `:\n${tail}` : ''}`;
}
