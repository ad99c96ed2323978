import { parseSnapshotFile, saveCommands } from '../etcd/snapshot-plan.js';
import type { EtcdSnapshotArgs } from '../generated/playbook.js';
import { connection, failure, listArg } from './etcd-client.js';
import { snapshotFile } from './etcd-snapshot-file.js';
import { restoreSnapshot } from './etcd-snapshot-restore.js';
import type { ModuleContext, ModuleDef, ModuleResult } from './module.js';
import { failed, planEnv, runPlan, type Plan, type PlanEnv } from './plan.js';
import { changed, errorText, fail, wouldChange } from './result.js';
import type { EtcdConnection } from '../etcd/etcdctl-command.js';

/**
 * Pure: save a member's snapshot into `dest.part`, verify it (etcd's status, sha256, size), then make it 0600 and move
 * it into place; a snapshot that does not verify is left at `dest.part`, never at `dest`.
 */
export function planSave(a: EtcdSnapshotArgs, c: EtcdConnection | undefined, env: PlanEnv): Plan {
  const endpoints = listArg(a.endpoint);
  if (endpoints.length !== 1 || c === undefined)
    return failed(`etcd_snapshot save needs exactly one "endpoint" (got ${endpoints.length}: ${endpoints.join(', ')})`);
  if (!a.dest) return failed('etcd_snapshot save needs "dest"');
  const [endpoint = '', dest, part] = [endpoints[0], a.dest, `${a.dest}.part`];
  const cmds = saveCommands(c, dest);
  const unverified = (status: ModuleResult): ModuleResult => ({
    ...status,
    msg: `the snapshot from ${endpoint} did not verify (left at ${part}): ${String(status.msg)}`,
  });
  const notSnapshot = (stdout: string): ModuleResult | undefined => {
    try {
      parseSnapshotFile(stdout);
      return undefined;
    } catch (e) {
      return unverified(fail(`snapshot status ${part} on ${env.host}: ${errorText(e)}`, { path: part }));
    }
  };
  return {
    result: changed({ path: dest }),
    steps: [
      { command: cmds.save, fails: (r) => failure(env, `etcdctl snapshot save from ${endpoint}`, r, { path: dest }) },
      {
        command: cmds.verify,
        fails: (r) => unverified(failure(env, `snapshot status ${part}`, r, { path: part })),
        rejects: notSnapshot,
        parse: (stdout) => {
          // the part file's fingerprint is not the saved file's: the rename into place changes its ctime
          const { fingerprint: _part, ...status } = parseSnapshotFile(stdout);
          return { ...status, endpoint, msg: `saved revision ${status.revision} (${status.size} bytes) to ${dest}` };
        },
      },
      { command: cmds.commit, fails: (r) => failure(env, `moving ${part} into place`, r, { path: dest }) },
    ],
    check: wouldChange(`save a snapshot of ${endpoint} to ${dest}`, { path: dest }, [cmds.save, cmds.verify, cmds.commit]),
    paths: { [dest]: true },
  };
}

function save(a: EtcdSnapshotArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const endpoints = listArg(a.endpoint);
  const c = endpoints.length === 1 ? connection({ ...a, endpoints }, ctx) : undefined;
  return runPlan('etcd_snapshot', planSave(a, c, planEnv(ctx)), ctx);
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
