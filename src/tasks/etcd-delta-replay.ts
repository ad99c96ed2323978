import { setTimeout as sleep } from 'node:timers/promises';
import { randomInt } from 'node:crypto';
import type { Readable } from 'node:stream';
import { stderrTail } from '../etcd/etcdctl-command.js';
import { applyGroup, currentRevision, type Opener } from '../etcd/gateway.js';
import {
  cleanupCommand,
  clientUrl,
  memberStateCommand,
  parseMemberState,
  PORTS_TAKEN,
  restoreCommand,
  saveCommand,
  startCommand,
  type ReplayEtcd,
} from '../etcd/replay-commands.js';
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
  const tunnel = ctx.transport.openTunnel.bind(ctx.transport);
  const member: TemporaryMember = {};
  const store = openStore();
  try {
    const { open, revision: start, etcd } = await startReplayMember(ctx, args, tunnel, member);
    let revision = start;
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
    await removeReplayMember(ctx, member);
  }
}

/** The temporary member set up so far (what to remove): its ports and work dir, and its pid once started. */
export interface TemporaryMember {
  etcd?: ReplayEtcd;
  pid?: number;
}

/** How many times the temporary member is set up again on other ports when its ports turn out to be taken. */
const PORT_TRIES = 5;

/**
 * Restores the Full into a temporary member and starts it on random loopback ports below Linux's default ephemeral
 * range (client 20000-24999, peer 5000 above): ports some socket already uses (in any state, an outgoing connection's
 * too), or that etcd itself fails to bind, are picked again (the restore redone for them), up to PORT_TRIES times.
 * Resolves once the member answers; `member` always holds what to remove. `pick` draws a client port (tests).
 */
export async function startReplayMember(
  ctx: ModuleContext,
  args: Pick<EtcdDeltaReplayArgs, 'snapshot' | 'dest'>,
  tunnel: (address: string, port: number) => ReturnType<Opener>,
  member: TemporaryMember,
  pick: () => number = () => randomInt(20000, 25000),
): Promise<{ open: Opener; revision: number; etcd: ReplayEtcd }> {
  for (let attempt = 1; ; attempt++) {
    await removeReplayMember(ctx, member);
    const port = pick();
    const etcd: ReplayEtcd = { workDir: `${args.dest}.replay-${port}`, clientPort: port, peerPort: port + 5000 };
    member.etcd = etcd;
    await must(ctx, restoreCommand(etcd, args.snapshot), 'restore the Full snapshot into the temporary member');
    const started = await execOn(ctx, startCommand(etcd), { onOutput: undefined });
    if (started.code === PORTS_TAKEN && attempt < PORT_TRIES) continue;
    if (started.code !== 0) throw new Error(commandFailure(ctx, 'start the temporary member', started));
    member.pid = Number(started.stdout.trim());
    const open: Opener = () => tunnel('127.0.0.1', etcd.clientPort);
    const ready = await waitReady(open, etcd, member.pid, ctx);
    if ('revision' in ready) return { open, revision: ready.revision, etcd };
    if (!ready.portsTaken || attempt >= PORT_TRIES) throw new Error(ready.error);
  }
}

/** Stops and removes the temporary member, if one was set up (errors ignored: best effort on the way out). */
export async function removeReplayMember(ctx: ModuleContext, member: TemporaryMember): Promise<void> {
  if (!member.etcd) return;
  await execOn(ctx, cleanupCommand(member.etcd, member.pid), { onOutput: undefined }).catch(() => undefined);
  member.etcd = undefined;
  member.pid = undefined;
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

/**
 * Polls the temporary member (every 200 ms, 20 s in all) until it answers with its revision. When it does not
 * answer, asks the host whether the process still runs: one that exited ends the wait at once, with the end of its
 * log (which is removed with the member) and whether it could not bind its ports.
 */
async function waitReady(
  open: Opener,
  etcd: ReplayEtcd,
  pid: number,
  ctx: ModuleContext,
): Promise<{ revision: number } | { error: string; portsTaken: boolean }> {
  let last: unknown;
  for (let i = 0; i < 100; i++) {
    try {
      return { revision: await currentRevision(open) };
    } catch (err) {
      last = err;
    }
    const state = await execOn(ctx, memberStateCommand(etcd, pid), { onOutput: undefined });
    const { exited, log } = parseMemberState(state.code === 0 ? state.stdout : '');
    if (exited) {
      return {
        error: `the temporary etcd on ${clientUrl(etcd)} exited before it answered; the end of its log: ${logTail(log)}`,
        portsTaken: /address already in use/.test(log),
      };
    }
    await sleep(200, undefined, { signal: ctx.signal });
  }
  const { log } = parseMemberState((await execOn(ctx, memberStateCommand(etcd, undefined), { onOutput: undefined })).stdout);
  return {
    error: `the temporary etcd did not answer on ${clientUrl(etcd)} in 20 s (${String(last)}); the end of its log: ${logTail(log)}`,
    portsTaken: false,
  };
}

/** The last lines of the member's log on one line (stderrTail: at most 5, each at most 300 characters), or "(empty)". */
function logTail(log: string): string {
  return stderrTail(log).replaceAll('\n', ' / ') || '(empty)';
}

/** The failure of a command run on the host, as one line naming the host and what it was doing. */
function commandFailure(ctx: ModuleContext, what: string, r: { stderr: string; code: number | null }): string {
  return `${ctx.host}: could not ${what}: ${r.stderr.trim().split('\n').slice(-3).join(' / ') || `exit code ${String(r.code)}`}`;
}

async function must(ctx: ModuleContext, command: string, what: string): Promise<string> {
  const r = await execOn(ctx, command, { onOutput: undefined });
  if (r.code !== 0) throw new Error(commandFailure(ctx, what, r));
  return r.stdout;
}
