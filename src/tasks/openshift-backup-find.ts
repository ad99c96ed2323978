import type { OpenshiftBackupFindArgs } from '../generated/playbook.js';
import { StoreError } from '../errors/store-error.js';
import { backupsFolder, chooseBackup, groupBackups, isDirty, listFolder } from '../store/openshift-backups.js';
import type { ModuleDef } from './module.js';
import { storeFromArgs, withStore } from './s3-common.js';
import { fail, ok } from './result.js';

/** `openshift_backup_find`: the OpenShift backup to restore (latest or named) with its two files, refusing an incomplete one; runs on the controller, changes nothing. */
export const openshiftBackupFindModule: ModuleDef<OpenshiftBackupFindArgs> = {
  name: 'openshift_backup_find',
  remote: false,
  readOnly: true,
  // A named backup that is not there, or a backup missing one of its two files, is found before any host is touched.
  async preflight(args, ctx) {
    const folder = backupsFolder(args.prefix, args.cluster);
    const store = storeFromArgs(args);
    try {
      const chosen = chooseBackup(
        groupBackups(folder, await listFolder(store, args.bucket, folder, ctx.signal)),
        args.backup || undefined,
        `s3://${args.bucket}/${folder}`,
      );
      return 'problem' in chosen
        ? { message: `openshift_backup_find: ${chosen.problem}`, arg: args.backup ? 'backup' : 'cluster', hint: chosen.hint }
        : undefined;
    } catch (err) {
      if (err instanceof StoreError && err.code === 'no-bucket') return { message: `openshift_backup_find: ${err.message}`, arg: 'bucket' };
      return undefined; // an unreachable store shows when the task runs
    } finally {
      store.destroy();
    }
  },
  run(args, ctx) {
    return withStore(args, ctx, async (store) => {
      const folder = backupsFolder(args.prefix, args.cluster);
      const where = `s3://${args.bucket}/${folder}`;
      const chosen = chooseBackup(
        groupBackups(folder, await listFolder(store, args.bucket, folder, ctx.signal)),
        args.backup || undefined,
        where,
      );
      if ('problem' in chosen) return fail(`${chosen.problem}${chosen.hint ? ` (${chosen.hint})` : ''}`);
      const [snapshot, resources] = [chosen.snapshots[0], chosen.resources[0]];
      return ok({
        name: chosen.name,
        path: chosen.path,
        snapshot,
        resources,
        dirty: isDirty(chosen),
        msg: `backup ${chosen.name} in ${where}: ${snapshot?.name ?? ''} (${snapshot?.size ?? 0} bytes), ${resources?.name ?? ''}${isDirty(chosen) ? ' (POSSIBLY DIRTY: taken with --force)' : ''}`,
      });
    });
  },
};
