import type { EtcdBackupPruneArgs } from '../generated/playbook.js';
import { listSnapshots, storeLocation } from '../store/list.js';
import { deleteSnapshots, planRetention } from '../store/retention.js';
import type { ModuleDef } from './module.js';
import { intArg, withStore } from './s3-common.js';

/** `etcd_backup_prune`: keeps the newest keep_last Full snapshots (and what follows them), deletes the older ones and their deltas. */
export const etcdBackupPruneModule: ModuleDef<EtcdBackupPruneArgs> = {
  name: 'etcd_backup_prune',
  remote: false,
  readOnly: false,
  run(args, ctx) {
    return withStore(args, async (store) => {
      const location = storeLocation(args.bucket, args.prefix);
      const keepLast = intArg(args.keep_last, 'keep_last');
      const list = await listSnapshots(store, args.bucket, args.prefix, ctx.signal);
      const plan = planRetention(list, keepLast);
      const kept = plan.kept.map((s) => s.name);
      const removed = plan.removed.map((s) => s.name);
      const summary = `${removed.length} snapshot${removed.length === 1 ? '' : 's'} older than the newest ${keepLast} Full in ${location}`;
      if (ctx.check) return { changed: removed.length > 0, kept, removed, msg: `check mode: would remove ${summary}${removed.length ? `: ${removed.join(', ')}` : ''}` };
      await deleteSnapshots(store, args.bucket, plan.removed, ctx.signal);
      return { changed: removed.length > 0, kept, removed, msg: `removed ${summary}` };
    });
  },
};
