import { saveCommands } from '../etcd/snapshot-plan.js';
import type { EtcdSnapshotArgs } from '../generated/playbook.js';
import { connection, failure, listArg } from './etcd-client.js';
import { snapshotFile } from './etcd-snapshot-file.js';
import { restoreSnapshot } from './etcd-snapshot-restore.js';
import { execOn, type ModuleContext, type ModuleDef, type ModuleResult } from './module.js';
import { changed, fail, wouldChange } from './result.js';

async function save(a: EtcdSnapshotArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const endpoints = listArg(a.endpoint);
  if (endpoints.length !== 1)
    return fail(`etcd_snapshot save needs exactly one "endpoint" (got ${endpoints.length}: ${endpoints.join(', ')})`);
  if (!a.dest) return fail('etcd_snapshot save needs "dest"');
  const cmds = saveCommands(connection({ ...a, endpoints }, ctx), a.dest);
  if (ctx.check) {
    ctx.dryRun?.setPath(ctx.host, a.dest, true);
    return wouldChange(`save a snapshot of ${endpoints[0] ?? ''} to ${a.dest}`, { path: a.dest }, [cmds.save, cmds.verify, cmds.commit]);
  }
  const saved = await execOn(ctx, cmds.save, { onOutput: undefined });
  if (saved.code !== 0) return failure(ctx, `etcdctl snapshot save from ${endpoints[0] ?? ''}`, saved, { path: a.dest });
  const status = await snapshotFile(ctx, `${a.dest}.part`);
  if (status.failed)
    return { ...status, msg: `the snapshot from ${endpoints[0] ?? ''} did not verify (left at ${a.dest}.part): ${String(status.msg)}` };
  const commit = await execOn(ctx, cmds.commit, { onOutput: undefined });
  if (commit.code !== 0) return failure(ctx, `moving ${a.dest}.part into place`, commit, { path: a.dest });
  return changed({
    ...status,
    path: a.dest,
    endpoint: endpoints[0],
    msg: `saved revision ${String(status['revision'])} (${String(status['size'])} bytes) to ${a.dest}`,
  });
}

/** `etcd_snapshot`: save a member's snapshot (verified, 0600), report a snapshot file's status, or restore it into a new data dir. */
export const etcdSnapshotModule: ModuleDef<EtcdSnapshotArgs> = {
  name: 'etcd_snapshot',
  remote: true,
  readOnly: false,
  async run(a, ctx) {
    if (a.action === 'save') return save(a, ctx);
    if (a.action === 'status') return a.path ? snapshotFile(ctx, a.path) : fail('etcd_snapshot status needs "path"');
    if (a.action === 'restore') return restoreSnapshot(a, ctx);
    return fail(`etcd_snapshot: unknown action "${String(a.action)}" (save, status, restore)`);
  },
};
