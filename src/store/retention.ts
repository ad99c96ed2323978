import type { Store } from './client.js';
import { StoreError } from '../errors/store-error.js';
import type { SnapshotEntry } from './list.js';
import { sortSnapshots, type SnapshotName } from './names.js';

/** What a retention run keeps and removes (both oldest first). */
export interface RetentionPlan<T extends SnapshotName> {
  kept: T[];
  removed: T[];
}

/** Keeps the newest `keepLast` Full snapshots and everything after the oldest of them; older Fulls and deltas go. */
export function planRetention<T extends SnapshotName>(list: readonly T[], keepLast: number): RetentionPlan<T> {
  if (!Number.isInteger(keepLast) || keepLast < 1)
    throw new StoreError('invalid', `keep_last must be a whole number of at least 1, got ${String(keepLast)}`);
  const sorted = sortSnapshots(list);
  const fullIdx = sorted.flatMap((s, i) => (s.kind === 'Full' ? [i] : []));
  // With no more Fulls than asked for, nothing is removed (deltas before the first Full are kept too: never guess).
  if (fullIdx.length <= keepLast) return { kept: sorted, removed: [] };
  const cut = fullIdx[fullIdx.length - keepLast] ?? 0;
  return { kept: sorted.slice(cut), removed: sorted.slice(0, cut) };
}

/** Deletes the snapshots of a plan one by one (DeleteObjects needs checksums some servers refuse); stops at the first failure. */
export async function deleteSnapshots(
  store: Store,
  bucket: string,
  entries: readonly SnapshotEntry[],
  signal?: AbortSignal,
): Promise<void> {
  for (const e of entries) {
    await store.call(
      (s3, sdk) => s3.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: e.key }), { abortSignal: signal }),
      bucket,
      e.key,
    );
  }
}
