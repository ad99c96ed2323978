import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { LockedError, type LockOwner } from '../errors/locked-error.js';

export type { LockOwner } from '../errors/locked-error.js';

/** True when a process with this pid exists on this machine. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where controller locks live: one place per controller user (`$TSPLAY_LOCK_DIR`, default ~/.tsplay/locks), whatever the working directory. */
export function lockDir(): string {
  return process.env['TSPLAY_LOCK_DIR'] ?? join(homedir(), '.tsplay', 'locks');
}

/** The lock file for a set of inventory sources (same sources → same lock). */
export function lockPathFor(inventory: string[], dir = lockDir()): string {
  const key = createHash('sha256')
    .update(
      [...inventory]
        .map((s) => resolve(s))
        .sort()
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
  return join(dir, `inventory-${key}.lock`);
}

/** Takes the controller-side lock for an inventory; a stale lock (its process is gone) is taken over. Returns a release function. */
export function acquireControllerLock(path: string, owner: LockOwner, onStale: (msg: string) => void): () => void {
  mkdirSync(resolve(path, '..'), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify(owner)}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = readOwner(path);
      if (held && held.host === hostname() && !pidAlive(held.pid)) {
        onStale(`removing stale lock ${path} of pid ${held.pid} (${held.playbook}, since ${held.time}): that process is gone`);
        rmSync(path, { force: true });
        continue;
      }
      throw new LockedError(describeHolder(path, held), held);
    }
  }
  throw new LockedError(`could not take the lock ${path}`, undefined);
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function describeHolder(path: string, o: LockOwner | undefined): string {
  if (!o) return `the inventory is locked (${path}, unreadable); remove it if no other tsplay run is active`;
  return `the inventory is locked by another run: pid ${o.pid} of ${o.user}@${o.host} since ${o.time} running ${o.playbook} (lock file ${path}; remove it only if that run is gone)`;
}

/** The owner record for this process. */
export function ownerNow(playbook: string, id: string): LockOwner {
  return { pid: process.pid, host: hostname(), user: userInfo().username, time: new Date().toISOString(), playbook, id };
}
