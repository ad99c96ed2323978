import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { killGroup, waitPort } from './proc.js';

/** Where and how to run one lab sshd. */
export interface SshdStart {
  name: string;
  nsPid: number;
  address: string;
  port: number;
  config: string;
  log: string;
}

/** Starts `sshd -D -e -f config` inside the host's namespaces (log appended to the host log); resolves with its pid once the port accepts. */
export async function startSshd(s: SshdStart, timeoutMs = 15_000): Promise<number> {
  const fd = openSync(s.log, 'a');
  const child = spawn('nsenter', ['-t', String(s.nsPid), '-m', '-u', '--', '/usr/sbin/sshd', '-D', '-e', '-f', s.config], {
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  child.unref();
  let exited: string | undefined;
  child.on('exit', (code, sig) => (exited = `sshd for ${s.name} exited (${String(code ?? sig)}); log ${s.log}:\n${logTail(s.log)}`));
  child.on('error', (e) => (exited = `cannot start sshd for ${s.name}: ${e.message}`));
  try {
    await waitPort(s.address, s.port, true, timeoutMs, () => exited);
  } catch (e) {
    killGroup(child.pid);
    throw e;
  }
  if (child.pid === undefined) throw new Error(`sshd for ${s.name} has no pid`);
  return child.pid;
}

/** The last lines of a log file ('' when unreadable). */
export function logTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
