import type { EtcdBackupFindArgs } from '../generated/playbook.js';
import { chooseSnapshots } from '../store/choose.js';
import { listSnapshots, snapshotJson, storeLocation } from '../store/list.js';
import type { ModuleDef } from './module.js';
import { withStore } from './s3-common.js';

/** `etcd_backup_find`: the Full snapshot (latest or named) and the deltas after it in an etcdbrctl store; changes nothing. */
export const etcdBackupFindModule: ModuleDef<EtcdBackupFindArgs> = {
  name: 'etcd_backup_find',
  remote: false,
  readOnly: true,
  run(args, ctx) {
    return withStore(args, async (store) => {
      const location = storeLocation(args.bucket, args.prefix);
      const list = await listSnapshots(store, args.bucket, args.prefix, ctx.signal);
      const chain = chooseSnapshots(list, { full: args.snapshot || undefined, where: location });
      const deltas = chain.deltas.map(snapshotJson);
      return {
        changed: false,
        location,
        full: snapshotJson(chain.full),
        deltas,
        latest_revision: chain.latestRevision,
        msg: `${chain.full.name} + ${deltas.length} delta${deltas.length === 1 ? '' : 's'} up to revision ${chain.latestRevision} in ${location}`,
      };
    });
  },
};
