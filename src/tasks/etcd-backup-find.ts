import type { EtcdBackupFindArgs } from '../generated/playbook.js';
import { chooseSnapshots } from '../store/choose.js';
import { StoreError } from '../errors/store-error.js';
import { didYouMean } from '../util/did-you-mean.js';
import { listSnapshots, snapshotJson, storeLocation } from '../store/list.js';
import type { ModuleDef } from './module.js';
import { storeFromArgs, withStore } from './s3-common.js';
import { ok } from './result.js';

/** `etcd_backup_find`: the Full snapshot (latest or named) and the deltas after it in an etcdbrctl store; changes nothing. */
export const etcdBackupFindModule: ModuleDef<EtcdBackupFindArgs> = {
  name: 'etcd_backup_find',
  remote: false,
  readOnly: true,
  // A named snapshot that is not in the store is found before any host is touched (a restore stops nothing for it).
  async preflight(args, ctx) {
    if (!args.snapshot) return undefined;
    const location = storeLocation(args.bucket, args.prefix);
    const store = storeFromArgs(args);
    try {
      const list = await listSnapshots(store, args.bucket, args.prefix, ctx.signal);
      try {
        chooseSnapshots(list, { full: args.snapshot, where: location });
        return undefined;
      } catch (err) {
        if (!(err instanceof StoreError)) return undefined;
        if (err.code === 'invalid')
          return {
            message: `etcd_backup_find: ${err.message}`,
            arg: 'snapshot',
            hint: 'name a Full snapshot; tsplay backups list shows them',
          };
        if (err.code === 'integrity')
          return { message: `etcd_backup_find: the backups after ${args.snapshot} cannot be replayed: ${err.message}`, arg: 'snapshot' };
        const fulls = list.filter((s) => s.kind === 'Full').map((s) => s.name);
        const hint =
          didYouMean(args.snapshot, fulls) ??
          (fulls.length
            ? `the latest Full snapshots there: ${fulls.slice(-3).reverse().join(', ')}; tsplay backups list shows all`
            : 'the store has no Full snapshot there');
        return { message: `etcd_backup_find: snapshot "${args.snapshot}" is not in ${location}`, arg: 'snapshot', hint };
      }
    } catch (err) {
      // Listing failed: a missing bucket is an input problem; an unreachable store or refused credentials show when the task runs.
      if (err instanceof StoreError && err.code === 'no-bucket') return { message: `etcd_backup_find: ${err.message}`, arg: 'bucket' };
      return undefined;
    } finally {
      store.destroy();
    }
  },
  run(args, ctx) {
    return withStore(args, ctx, async (store) => {
      const location = storeLocation(args.bucket, args.prefix);
      const list = await listSnapshots(store, args.bucket, args.prefix, ctx.signal);
      const chain = chooseSnapshots(list, { full: args.snapshot || undefined, where: location });
      const deltas = chain.deltas.map(snapshotJson);
      return ok({
        location,
        full: snapshotJson(chain.full),
        deltas,
        latest_revision: chain.latestRevision,
        msg: `${chain.full.name} + ${deltas.length} delta${deltas.length === 1 ? '' : 's'} up to revision ${chain.latestRevision} in ${location}`,
      });
    });
  },
};
