import { hostname } from 'node:os';
import type { Transport } from '../transports/transport.js';
import { shellQuote } from '../util/shell-quote.js';
import { pidAlive, type LockOwner } from './controller-lock.js';

/** Where per-host locks live: /var/lib/tsplay survives reboots; users who cannot write there lock in /tmp. Both are always checked. */
export const HOST_LOCK_PATHS = ['/var/lib/tsplay/run.lock', '/tmp/tsplay-run.lock'] as const;

/** The result of trying to lock a host. */
export type HostLockResult = { ok: true; path: string } | { ok: false; message: string };

/** Takes the lock on a host atomically (noclobber create); a stale one (its owner process on this controller is gone) is replaced. */
export async function acquireHostLock(t: Transport, owner: LockOwner): Promise<HostLockResult> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await t.exec({ command: lockScript(JSON.stringify(owner)) });
    const [head = '', ...rest] = r.stdout.split('\n');
    const [state, path = ''] = head.split(' ');
    if (state === 'OK') return { ok: true, path };
    if (state !== 'HELD')
      return { ok: false, message: `${t.host}: cannot write a lock file (${r.stderr.trim() || `exit ${String(r.code)}`})` };
    const held = parseOwner(rest.join('\n'));
    if (held && held.host === hostname() && !pidAlive(held.pid) && attempt === 0) {
      await t.exec({ command: `rm -f ${shellQuote(path)}` });
      continue;
    }
    const who = held ? `pid ${held.pid} of ${held.user}@${held.host} since ${held.time} running ${held.playbook}` : 'an unknown owner';
    return {
      ok: false,
      message: `${t.host} is locked by another tsplay run: ${who} (${path} on the host; remove it only if that run is gone)`,
    };
  }
  return { ok: false, message: `${t.host}: could not take the host lock` };
}

/** Removes the host lock wherever this run holds it. */
export async function releaseHostLock(t: Transport, owner: LockOwner): Promise<void> {
  const id = shellQuote(`"id":"${owner.id}"`);
  const cmd = HOST_LOCK_PATHS.map((p) => `grep -qF ${id} ${shellQuote(p)} 2>/dev/null && rm -f ${shellQuote(p)}`).join('; ');
  await t.exec({ command: `${cmd}; true` }).catch(() => undefined);
}

/** Prints `HELD path` + owner when any lock exists, else creates one and prints `OK path`. */
function lockScript(info: string): string {
  const [main, fallback] = HOST_LOCK_PATHS.map(shellQuote);
  const i = shellQuote(info);
  return [
    `for p in ${main} ${fallback}; do if [ -e "$p" ]; then echo "HELD $p"; cat "$p"; exit 0; fi; done`,
    `if mkdir -p /var/lib/tsplay 2>/dev/null && (set -C; printf '%s\\n' ${i} > ${main}) 2>/dev/null; then echo "OK ${HOST_LOCK_PATHS[0]}"; exit 0; fi`,
    `if [ -e ${main} ]; then echo "HELD ${HOST_LOCK_PATHS[0]}"; cat ${main}; exit 0; fi`,
    `if (set -C; printf '%s\\n' ${i} > ${fallback}) 2>/dev/null; then echo "OK ${HOST_LOCK_PATHS[1]}"; exit 0; fi`,
    `if [ -e ${fallback} ]; then echo "HELD ${HOST_LOCK_PATHS[1]}"; cat ${fallback}; exit 0; fi`,
    `echo "cannot create ${HOST_LOCK_PATHS[0]} or ${HOST_LOCK_PATHS[1]}" >&2; exit 1`,
  ].join('\n');
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    return JSON.parse(text) as LockOwner;
  } catch {
    return undefined;
  }
}
