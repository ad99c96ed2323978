import type { EtcdBackupPruneArgs } from '../generated/playbook.js';
import { listSnapshots, storeLocation, type SnapshotEntry } from '../store/list.js';
import { v2Folder } from '../store/names.js';
import { deleteSnapshots, planRetention } from '../store/retention.js';
import type { ModuleContext, ModuleDef } from './module.js';
import { intArg, withStore } from './s3-common.js';
import { done, wouldChange } from './result.js';

/** Full snapshots earlier planned steps of a check-mode run would have uploaded under the prefix's v2 folder. */
function plannedFulls(ctx: ModuleContext, bucket: string, prefix: string | undefined): SnapshotEntry[] {
  const folder = v2Folder(prefix);
  return (ctx.dryRun?.objects(bucket) ?? [])
    .filter((k) => k.startsWith(folder) && /^Full-[^/]*$/.test(k.slice(folder.length)))
    .map((key) => ({
      name: key.slice(folder.length),
      kind: 'Full' as const,
      startRevision: 0,
      lastRevision: Number.MAX_SAFE_INTEGER,
      createdAt: Math.floor(Date.now() / 1000),
      compression: 'none' as const,
      final: false,
      key,
      size: 0,
    }));
}

/** `etcd_backup_prune`: keeps the newest keep_last Full snapshots (and what follows them), deletes the older ones and their deltas. */
export const etcdBackupPruneModule: ModuleDef<EtcdBackupPruneArgs> = {
  name: 'etcd_backup_prune',
  remote: false,
  readOnly: false,
  run(args, ctx) {
    return withStore(args, async (store) => {
      const location = storeLocation(args.bucket, args.prefix);
      const keepLast = intArg(args.keep_last, 'keep_last');
      // in check mode a Full an earlier planned step would have uploaded counts as the newest (as it will in a real run)
      const list = [
        ...(await listSnapshots(store, args.bucket, args.prefix, ctx.signal)),
        ...(ctx.check ? plannedFulls(ctx, args.bucket, args.prefix) : []),
      ];
      const plan = planRetention(list, keepLast);
      const kept = plan.kept.map((s) => s.name);
      const removed = plan.removed.map((s) => s.name);
      const summary = `${removed.length} snapshot${removed.length === 1 ? '' : 's'} older than the newest ${keepLast} Full in ${location}`;
      if (ctx.check)
        return {
          ...wouldChange(`remove ${summary}${removed.length ? `: ${removed.join(', ')}` : ''}`, { kept, removed }),
          changed: removed.length > 0,
        };
      await deleteSnapshots(store, args.bucket, plan.removed, ctx.signal);
      return done(removed.length > 0, { kept, removed, msg: `removed ${summary}` });
    });
  },
};
