import { StoreError } from '../errors/store-error.js';
import { sortSnapshots, type SnapshotName } from './names.js';

/** What a restore uses: one Full snapshot and the deltas to replay after it, in order. */
export interface RestoreChain<T extends SnapshotName> {
  full: T;
  deltas: T[];
  /** The revision the restored database reaches after the last delta. */
  latestRevision: number;
}

/** Options: the Full to use (default: the latest) and how to name the place in messages. */
export interface ChooseOptions {
  full?: string | undefined;
  /** E.g. `s3://etcd-backup/prefix/v2/`. */
  where: string;
}

/** Picks the latest Full (or the named one) and the Incr deltas taken after it, up to the next Full. */
export function chooseSnapshots<T extends SnapshotName>(list: readonly T[], opts: ChooseOptions): RestoreChain<T> {
  const sorted = sortSnapshots(list);
  const fulls = sorted.filter((s) => s.kind === 'Full');
  let index: number;
  if (opts.full !== undefined) {
    const wanted = opts.full;
    index = sorted.findIndex((s) => s.name === wanted);
    if (index < 0) {
      const avail = fulls.map((s) => s.name).join(', ') || 'none';
      throw new StoreError('not-found', `snapshot ${wanted} not found in ${opts.where}; available Full snapshots: ${avail}`);
    }
    if (sorted[index]?.kind !== 'Full') throw new StoreError('invalid', `snapshot ${wanted} is a delta (Incr), not a Full snapshot`);
  } else {
    index = sorted.findLastIndex((s) => s.kind === 'Full');
    if (index < 0) throw new StoreError('not-found', `no Full snapshot in ${opts.where}`);
  }
  const full = sorted[index] as T;
  const deltas: T[] = [];
  for (const s of sorted.slice(index + 1)) {
    if (s.kind === 'Full') break;
    deltas.push(s);
  }
  checkContinuity(full, deltas);
  return { full, deltas, latestRevision: deltas.at(-1)?.lastRevision ?? full.lastRevision };
}

/** Every delta must start right after (or inside) what came before, or revisions would be missing. */
function checkContinuity(full: SnapshotName, deltas: readonly SnapshotName[]): void {
  let last = full.lastRevision;
  for (const d of deltas) {
    if (d.startRevision > last + 1) {
      throw new StoreError(
        'integrity',
        `delta ${d.name} starts at revision ${d.startRevision} but the snapshots before it end at ${last}: revisions ${last + 1}..${d.startRevision - 1} are missing`,
      );
    }
    last = Math.max(last, d.lastRevision);
  }
}
