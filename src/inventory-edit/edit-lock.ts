import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireControllerLock, lockPathFor, ownerNow } from '../lock/controller-lock.js';
import { LockedError } from '../errors/locked-error.js';

/** What an edit writes into the lock (runs write the playbook's path): other edits wait for it, runs do not. */
export const EDIT_MARK = 'tsplay inventory edit';

/** How long an edit waits for another edit of the same inventory (edits take milliseconds). */
const WAIT_MS = 15_000;

/**
 * Takes the inventory's lock (the one `tsplay run -i FILE` takes) for one edit: a run holding it refuses the edit
 * at once (LockedError); another edit holding it is waited for, so parallel edits all land, one after the other.
 */
export async function lockForEdit(file: string, onStale: (msg: string) => void): Promise<() => void> {
  const path = lockPathFor([file]);
  const owner = ownerNow(EDIT_MARK, randomUUID());
  const until = Date.now() + WAIT_MS;
  for (;;) {
    try {
      return acquireControllerLock(path, owner, onStale);
    } catch (err) {
      if (!(err instanceof LockedError) || err.owner?.playbook !== EDIT_MARK || Date.now() > until) throw err;
      await sleep(20 + Math.random() * 30);
    }
  }
}
