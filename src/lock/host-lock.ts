import { hostname } from 'node:os';
import type { Transport } from '../transports/transport.js';
import { shellQuote } from '../util/shell-quote.js';
import { pidAlive, type LockOwner } from './controller-lock.js';

/** Where the per-host lock lives (survives reboots; stale locks are detected by owner). */
export const HOST_LOCK_PATH = '/var/lib/tsplay/run.lock';

/** Takes the lock on a host atomically (noclobber create); a stale one (owner process gone, same controller) is replaced. */
export async function acquireHostLock(t: Transport, owner: LockOwner, path = HOST_LOCK_PATH): Promise<{ ok: true } | { ok: false; message: string }> {
  const p = shellQuote(path);
  const info = shellQuote(JSON.stringify(owner));
  const create = `mkdir -p ${shellQuote(path.replace(/\/[^/]+$/, ''))} && (set -C; printf '%s\\n' ${info} > ${p}) 2>/dev/null`;
  let r = await t.exec({ command: create });
  if (r.code === 0) return { ok: true };
  const held = await t.exec({ command: `cat ${p}` });
  let o: LockOwner | undefined;
  try {
    o = JSON.parse(held.stdout) as LockOwner;
  } catch {
    o = undefined;
  }
  if (o && o.host === hostname() && !pidAlive(o.pid)) {
    r = await t.exec({ command: `rm -f ${p} && ${create}` });
    if (r.code === 0) return { ok: true };
  }
  const who = o ? `pid ${o.pid} of ${o.user}@${o.host} since ${o.time} running ${o.playbook}` : 'an unknown owner';
  return { ok: false, message: `${t.host} is locked by another tsplay run: ${who} (${path} on the host; remove it only if that run is gone)` };
}

/** Removes the host lock if this run still owns it. */
export async function releaseHostLock(t: Transport, owner: LockOwner, path = HOST_LOCK_PATH): Promise<void> {
  const p = shellQuote(path);
  await t.exec({ command: `grep -qF ${shellQuote(`"id":"${owner.id}"`)} ${p} 2>/dev/null && rm -f ${p}; true` }).catch(() => undefined);
}
