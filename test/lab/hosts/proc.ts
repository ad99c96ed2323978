import { spawn, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';

/** Output of a finished helper command. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options for {@link run}. */
export interface RunOptions {
  input?: string | Buffer | undefined;
  timeoutMs?: number | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** Runs a program to completion (no shell), collecting its output; never rejects on a non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const spawnOpts: SpawnOptions = { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: opts.env ?? process.env };
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, spawnOpts);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = opts.timeoutMs ? setTimeout(() => killGroup(child.pid), opts.timeoutMs) : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}

/** Runs a program and throws with its stderr when it exits non-zero. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${String(r.code)}: ${r.stderr.trim()}`);
  }
  return r.stdout;
}

/** SIGKILLs a whole process group (the group leader's pid); ignores groups that are already gone. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The mount-namespace id of a process (`mnt:[4026...]`), or undefined when it is gone. */
export function mountNamespaceOf(pid: number | 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

/** The UTS-namespace id of a process, or undefined when it is gone. */
function utsNamespaceOf(pid: number | 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/uts`);
  } catch {
    return undefined;
  }
}

/**
 * Pids of every process of the host whose mount namespace this is: the processes in it, and those that share its
 * private UTS namespace from a mount namespace of their own (containers the lab kubelet runs with their own mounts).
 */
export function pidsInNamespace(ns: string): number[] {
  const all = readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
  const inMnt = all.filter((p) => mountNamespaceOf(p) === ns);
  const own = utsNamespaceOf('self');
  const uts = new Set(inMnt.map((p) => utsNamespaceOf(p)).filter((u): u is string => u !== undefined && u !== own));
  if (uts.size === 0) return inMnt;
  return all.filter((p) => inMnt.includes(p) || uts.has(utsNamespaceOf(p) ?? ''));
}

/** SIGKILLs every process in a mount namespace (except `keep`) until none is left or 5 s pass. */
export async function killNamespace(ns: string, keep: number[] = []): Promise<void> {
  if (ns === mountNamespaceOf('self')) throw new Error('refusing to kill processes of our own mount namespace');
  const deadline = Date.now() + 5000;
  for (;;) {
    const victims = pidsInNamespace(ns).filter((p) => !keep.includes(p));
    if (victims.length === 0 || Date.now() > deadline) return;
    for (const pid of victims) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // raced with its exit
      }
    }
    await sleep(50);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True when a TCP connection to address:port is accepted. */
export function portOpen(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: address, port });
    sock.setTimeout(1000);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Waits until address:port accepts (want=true) or refuses (want=false) connections. */
export async function waitPort(
  address: string,
  port: number,
  want: boolean,
  timeoutMs: number,
  alive?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await portOpen(address, port)) === want) return;
    const dead = alive?.();
    if (dead !== undefined) throw new Error(dead);
    if (Date.now() > deadline) {
      throw new Error(`${address}:${port} still ${want ? 'not accepting' : 'accepting'} connections after ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

/** The process group of a pid (from /proc/PID/stat), or undefined when it is gone. */
export function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}
