// Small statistics and process helpers for the benchmarks (not tests).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const fmt = (n: number, d = 2): string => n.toFixed(d);

/** A bench script's `--name value` argument, or `dflt`. */
export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}

export interface Timed {
  seconds: number;
  code: number | null;
  /** peak RSS in MiB when run under /usr/bin/time -v */
  maxRssMiB?: number;
  stderrTail: string;
  /** hosts whose PLAY RECAP line shows failed or unreachable (only computed when the exit code is not 0) */
  failedHosts: number;
  /** first failure message seen in the output, if any */
  firstFailure?: string;
}

/** Runs argv (optionally under /usr/bin/time -v), stdout to /dev/null, returns wall time. */
export function timeCmd(
  argv: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; rss?: boolean; shell?: boolean } = {},
): Promise<Timed> {
  const full = opts.rss ? ['/usr/bin/time', '-v', ...argv] : argv;
  // stdout goes to a file (read back only when the run fails), not through the benchmark process
  const outFile = join(tmpdir(), `tsplay-bench-stdout-${process.pid}.log`);
  const fd = openSync(outFile, 'w');
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = opts.shell
      ? spawn('sh', ['-c', argv.join(' ')], { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', fd, 'pipe'] })
      : spawn(full[0]!, full.slice(1), { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', fd, 'pipe'] });
    let err = '';
    child.stderr?.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-20000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      closeSync(fd);
      let failedHosts = 0;
      let firstFailure: string | undefined;
      if (code !== 0) {
        const out = readFileSync(outFile, 'utf8');
        failedHosts = out.split('\n').filter((l) => /(failed|unreachable)=[1-9]/.test(l)).length;
        firstFailure = /^(?:failed|fatal): .*$/m.exec(out)?.[0]?.slice(0, 300);
        err = `${out.slice(-4000)}\n${err}`;
      }
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      resolve({
        seconds,
        code,
        failedHosts,
        ...(firstFailure ? { firstFailure } : {}),
        ...(m ? { maxRssMiB: Number(m[1]) / 1024 } : {}),
        stderrTail: err.slice(-1500),
      });
    });
  });
}

export async function sh(cmd: string): Promise<string> {
  return new Promise((resolve) => {
    const c = spawn('sh', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr.on('data', (b: Buffer) => (out += b.toString()));
    c.on('close', () => resolve(out.trim()));
  });
}

export function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** Throws with the tail of stderr when a run did not exit 0. */
export function mustOk(label: string, t: Timed): Timed {
  if (t.code !== 0) throw new Error(`${label} exited ${t.code}:\n${t.stderrTail}`);
  return t;
}
