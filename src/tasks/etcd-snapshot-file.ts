import { parseSnapshotFile, snapshotStatusCommand } from '../etcd/snapshot-plan.js';
import { failure } from './etcd-client.js';
import { execOn, type ModuleContext, type ModuleResult } from './module.js';
import { errorText, fail, ok } from './result.js';

/** A snapshot file's hash, revision, keys, size and sha256 on the host; a failed result when it is missing or not a snapshot. */
export async function snapshotFile(ctx: ModuleContext, path: string): Promise<ModuleResult> {
  const r = await execOn(ctx, snapshotStatusCommand(path), { onOutput: undefined });
  if (r.code !== 0 && ctx.dryRun?.pathState(ctx.host, path) === true) {
    // check mode: the file is made by an earlier step that did not run; what a real run would check is shown, not faked
    return ok({
      check_mode: true,
      path,
      would_run: snapshotStatusCommand(path),
      msg: `check mode: ${path} is made by an earlier step; would check it with: ${snapshotStatusCommand(path)}`,
    });
  }
  if (r.code !== 0) return failure(ctx, `snapshot status ${path}`, r, { path });
  try {
    return ok({ path, ...parseSnapshotFile(r.stdout) });
  } catch (e) {
    return fail(`snapshot status ${path} on ${ctx.host}: ${errorText(e)}`, { path });
  }
}
