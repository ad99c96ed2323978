import { setTimeout as sleep } from 'node:timers/promises';
import { randomInt } from 'node:crypto';
import type { Readable } from 'node:stream';
import { applyGroup, currentRevision, type Opener } from '../etcd/gateway.js';
import { cleanupCommand, clientUrl, restoreCommand, saveCommand, startCommand, type ReplayEtcd } from '../etcd/replay-commands.js';
import { openStore, type Store } from '../store/client.js';
import { groupByRevision, readDelta } from '../store/delta.js';
import { parseSnapshotName, type SnapshotName } from '../store/names.js';
import { execOn, type ModuleContext, type ModuleDef, type ModuleResult } from './module.js';
import { failed, runPlan, type Plan } from './plan.js';
import { changed, fail, wouldChange } from './result.js';

/** Arguments of `etcd_delta_replay`. */
export interface EtcdDeltaReplayArgs {
  /** The Full snapshot on the host. */
  snapshot: string;
  bucket: string;
  /** Delta objects in order: keys, or entries with a `key` (as etcd_backup_find returns them). */
  deltas: Array<string | { key: string }>;
  /** Where to write the final snapshot on the host. */
  dest: string;
}

/**
 * `etcd_delta_replay`: restores the Full snapshot into a temporary single-member etcd on the host's loopback, replays
 * each delta from the object store (SHA-256 verified) one transaction per original revision through an SSH tunnel,
 * checks the revision after each delta, and saves the result as `dest`. The temporary member is always removed.
 */
export const etcdDeltaReplayModule: ModuleDef<EtcdDeltaReplayArgs> = {
  name: 'etcd_delta_replay',
  remote: true,
  readOnly: false,
  run: (args, ctx) =>
    runPlan(
      'etcd_delta_replay',
      planDeltaReplay(args, (deltas) => replay(args, deltas, ctx)),
      ctx,
    ),
};

/** A delta object's key and its parsed name. */
type Delta = { key: string; snap: SnapshotName };

/**
 * Pure: the deltas must all be Incr snapshots; the replay is one step run from the controller (a temporary member on
 * the host, fed through a tunnel), and check mode reports it and plans `dest` as written.
 */
export function planDeltaReplay(args: EtcdDeltaReplayArgs, run: (deltas: Delta[]) => Promise<ModuleResult>): Plan {
  const deltas = args.deltas.map((d) => (typeof d === 'string' ? d : d.key));
  const parsed = deltas.map((key) => ({ key, snap: parseSnapshotName(key.split('/').pop() ?? '') }));
  const bad = parsed.find((p) => p.snap?.kind !== 'Incr');
  if (bad) return failed(`not a delta snapshot: ${bad.key}`);
  const what = `replay ${deltas.length} deltas (${deltas.join(', ')}) onto ${args.snapshot} in a temporary etcd on 127.0.0.1 and write ${args.dest}`;
  return {
    result: {},
    steps: [{ act: () => run(parsed as Delta[]), show: what }],
    check: wouldChange(what),
    paths: { [args.dest]: true },
  };
}

/** Restores the Full into a temporary member, replays each delta through a tunnel, saves `dest`; the member is always removed. */
async function replay(args: EtcdDeltaReplayArgs, parsed: Delta[], ctx: ModuleContext): Promise<ModuleResult> {
  const deltas = parsed.map((p) => p.key);
  if (!ctx.transport?.openTunnel) return fail('this connection cannot open tunnels to the temporary etcd');
  const port = randomInt(20000, 29000);
  const etcd: ReplayEtcd = { workDir: `${args.dest}.replay-${port}`, clientPort: port, peerPort: port + 10000 };
  const tunnel = ctx.transport.openTunnel.bind(ctx.transport);
  const open: Opener = () => tunnel('127.0.0.1', etcd.clientPort);
  let pid: number | undefined;
  const store = openStore();
  try {
    await must(ctx, restoreCommand(etcd, args.snapshot), 'restore the Full snapshot into the temporary member');
    pid = Number((await must(ctx, startCommand(etcd), 'start the temporary member')).trim());
    let revision = await waitReady(open, etcd, ctx);
    const start = revision;
    let applied = 0;
    for (const { key, snap } of parsed) {
      const r = await replayOne(store, args.bucket, key, snap, open, revision, ctx);
      revision = r.revision;
      applied += r.applied;
    }
    await must(ctx, saveCommand(etcd, args.dest), 'save the final snapshot');
    return changed({
      path: args.dest,
      revision,
      start_revision: start,
      applied_revisions: applied,
      deltas: deltas.length,
      msg: `replayed ${deltas.length} deltas (${applied} revisions): ${start} -> ${revision}`,
    });
  } catch (err) {
    return fail(store.scrub(err instanceof Error ? err.message : String(err)));
  } finally {
    store.destroy();
    await execOn(ctx, cleanupCommand(etcd, pid), { onOutput: undefined }).catch(() => undefined);
  }
}

async function replayOne(
  store: Store,
  bucket: string,
  key: string,
  snap: SnapshotName,
  open: Opener,
  from: number,
  ctx: ModuleContext,
): Promise<{ revision: number; applied: number }> {
  const obj = await store.call((s3, sdk) => s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key })), bucket, key);
  const events = await readDelta(obj.Body as Readable, snap.name, snap.compression);
  let revision = from;
  let applied = 0;
  for (const group of groupByRevision(events)) {
    if (group.revision <= revision) continue;
    revision = await applyGroup(open, group);
    applied++;
  }
  if (revision !== snap.lastRevision) {
    throw new Error(
      `after replaying ${snap.name} the revision is ${revision}, expected ${snap.lastRevision}: the delta chain is incomplete or out of order`,
    );
  }
  ctx.onOutput('stdout', `${snap.name}: ${applied} revisions, now at ${revision}\n`);
  return { revision, applied };
}

async function waitReady(open: Opener, etcd: ReplayEtcd, ctx: ModuleContext): Promise<number> {
  let last: unknown;
  for (let i = 0; i < 100; i++) {
    try {
      return await currentRevision(open);
    } catch (err) {
      last = err;
      await sleep(200, undefined, { signal: ctx.signal });
    }
  }
  throw new Error(`the temporary etcd did not answer on ${clientUrl(etcd)} (log: ${etcd.workDir}/etcd.log): ${String(last)}`);
}

async function must(ctx: ModuleContext, command: string, what: string): Promise<string> {
  const r = await execOn(ctx, command, { onOutput: undefined });
  if (r.code !== 0)
    throw new Error(
      `${ctx.host}: could not ${what}: ${r.stderr.trim().split('\n').slice(-3).join(' / ') || `exit code ${String(r.code)}`}`,
    );
  return r.stdout;
}
