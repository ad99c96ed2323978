import type { EtcdBackupPruneArgs } from '../generated/playbook.js';
import { listSnapshots, storeLocation, type SnapshotEntry } from '../store/list.js';
import { v2Folder } from '../store/names.js';
import { deleteSnapshots, planRetention } from '../store/retention.js';
import type { ModuleDef } from './module.js';
import { planEnv, runPlan, type Plan, type PlanEnv } from './plan.js';
import { intArg, withStore } from './s3-common.js';
import { done, wouldChange } from './result.js';

/** Full snapshots earlier planned steps of a check-mode run would have uploaded under the prefix's v2 folder. */
function plannedFulls(objects: readonly string[], prefix: string | undefined, now: Date): SnapshotEntry[] {
  const folder = v2Folder(prefix);
  return objects
    .filter((k) => k.startsWith(folder) && /^Full-[^/]*$/.test(k.slice(folder.length)))
    .map((key) => ({
      name: key.slice(folder.length),
      kind: 'Full' as const,
      startRevision: 0,
      lastRevision: Number.MAX_SAFE_INTEGER,
      createdAt: Math.floor(now.getTime() / 1000),
      compression: 'none' as const,
      final: false,
      key,
      size: 0,
    }));
}

/** What a prune decides on: the snapshots in the store and, in a check-mode run, the objects earlier planned steps upload. */
export interface PruneFacts {
  listed: SnapshotEntry[];
  plannedObjects: readonly string[];
  now: Date;
  /** Deletes the chosen snapshots (from the controller). */
  remove(entries: readonly SnapshotEntry[], signal: AbortSignal): Promise<void>;
}

/** Pure: keep the newest keep_last Full snapshots (and what follows them), delete the older ones and their deltas. */
export function planPrune(args: EtcdBackupPruneArgs, keepLast: number, f: PruneFacts, env: PlanEnv): Plan {
  const location = storeLocation(args.bucket, args.prefix);
  // in check mode a Full an earlier planned step would have uploaded counts as the newest (as it will in a real run)
  const list = [...f.listed, ...(env.check ? plannedFulls(f.plannedObjects, args.prefix, f.now) : [])];
  const plan = planRetention(list, keepLast);
  const kept = plan.kept.map((s) => s.name);
  const removed = plan.removed.map((s) => s.name);
  const summary = `${removed.length} snapshot${removed.length === 1 ? '' : 's'} older than the newest ${keepLast} Full in ${location}`;
  return {
    result: done(removed.length > 0, { kept, removed, msg: `removed ${summary}` }),
    steps: removed.length
      ? [{ act: async (signal) => void (await f.remove(plan.removed, signal)), show: `delete ${removed.join(', ')} from ${location}` }]
      : [],
    check: wouldChange(
      `remove ${summary}${removed.length ? `: ${removed.join(', ')}` : ''}`,
      { kept, removed },
      undefined,
      removed.length > 0,
    ),
  };
}

/** `etcd_backup_prune`: keeps the newest keep_last Full snapshots (and what follows them), deletes the older ones and their deltas. */
export const etcdBackupPruneModule: ModuleDef<EtcdBackupPruneArgs> = {
  name: 'etcd_backup_prune',
  remote: false,
  readOnly: false,
  run(args, ctx) {
    return withStore(args, ctx, async (store) => {
      const keepLast = intArg(args.keep_last, 'keep_last');
      const facts: PruneFacts = {
        listed: await listSnapshots(store, args.bucket, args.prefix, ctx.signal),
        plannedObjects: ctx.dryRun?.objects(args.bucket) ?? [],
        now: new Date(),
        remove: (entries, signal) => deleteSnapshots(store, args.bucket, entries, signal),
      };
      return runPlan('etcd_backup_prune', planPrune(args, keepLast, facts, planEnv(ctx)), ctx);
    });
  },
};
