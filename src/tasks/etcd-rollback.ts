import {
  KEPT_DIR_MISSING,
  parseRestoreRecord,
  parseRollbackOutput,
  parseRollbackProbe,
  RESTORE_RECORD,
  ROLLBACK_PODS,
  rollbackActCommand,
  podsToStop,
  rollbackProbeCommand,
} from '../etcd/rollback-plan.js';
import { plannedWhere, podPaths } from '../etcd/static-pod-plan.js';
import type { EtcdRollbackArgs } from '../generated/playbook.js';
import { failure } from './etcd-client.js';
import { DEFAULT_PARKED_DIR } from './etcd-manifest.js';
import { execOn, type ModuleDef } from './module.js';
import { runPlan } from './plan.js';
import { done, errorText, fail } from './result.js';

/**
 * `etcd_rollback`: puts one master's original etcd data dir back after restore.yaml, from its record; stops
 * kube-apiserver then etcd first (each proven gone). Without a record the master was not touched: nothing changes.
 */
export const etcdRollbackModule: ModuleDef<EtcdRollbackArgs> = {
  name: 'etcd_rollback',
  remote: true,
  readOnly: false,
  async run(a, ctx) {
    const record = a?.record || RESTORE_RECORD;
    const port = Number(a?.port ?? 2379);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(`etcd_rollback: invalid port "${String(a?.port)}"`);
    const timeoutS = Number(a?.timeout ?? 120);
    if (!Number.isFinite(timeoutS) || timeoutS < 0) return fail(`etcd_rollback: invalid timeout "${String(a?.timeout)}"`);
    const paths = ROLLBACK_PODS.map((name) =>
      podPaths(name, a?.manifests_dir || '/etc/kubernetes/manifests', a?.parked_dir || DEFAULT_PARKED_DIR),
    );
    const r = await execOn(ctx, rollbackProbeCommand(record, paths), { onOutput: undefined });
    if (r.code !== 0) return failure(ctx, `reading ${record}`, r);
    let probe: ReturnType<typeof parseRollbackProbe>;
    try {
      probe = parseRollbackProbe(r.stdout, paths.length);
    } catch (e) {
      return fail(`etcd_rollback: ${errorText(e)} (on ${ctx.host})`);
    }
    if (probe.record === undefined)
      return done(false, {
        msg: `${ctx.host}: no restore record (${record}): its data dir was not touched, nothing to put back`,
        rolled_back: false,
      });
    const rec = parseRestoreRecord(probe.record);
    if (!rec)
      return fail(
        `etcd_rollback: ${record} on ${ctx.host} is not a restore record (data_dir= and moved_aside= lines, absolute paths): nothing changed`,
      );
    const dry = ctx.dryRun;
    // check mode: where the steps planned before this one would have left each manifest
    const found = dry
      ? probe.pods.map((f, i) => {
          const p = paths[i];
          return p ? { ...f, where: plannedWhere(f.where, dry.pathState(ctx.host, p.manifest), dry.pathState(ctx.host, p.parked)) } : f;
        })
      : probe.pods;
    const address = String(ctx.vars['ansible_host'] ?? '127.0.0.1');
    const pods = podsToStop(found, paths, address, port);
    const act = rollbackActCommand(rec, record, pods, ctx.host, timeoutS);
    if ('error' in act) return fail(`etcd_rollback: ${act.error}; nothing changed`);
    const base = { data_dir: rec.dataDir, restored_from: rec.movedAside };
    return runPlan(
      'etcd_rollback',
      {
        result: done(true, base),
        steps: [
          {
            command: act.command,
            show: act.show,
            // two waits of up to timeout each, then the moves
            timeoutMs: 2 * timeoutS * 1000 + 30_000,
            rejects: (stdout) => {
              const o = parseRollbackOutput(stdout, pods);
              if (o.swapped) return undefined;
              const up = o.pending.map(
                (p) =>
                  `${p.pod} (${p.probes.map((n) => (n === 'etcd_port' ? `port ${port} on ${address} still open` : 'its process still runs')).join(', ')})`,
              );
              return fail(
                `etcd_rollback: ${up.join(', ') || 'a static pod'} on ${ctx.host} did not stop within ${timeoutS} s; its manifest is parked in ${paths[0]?.parkedDir ?? ''}: ` +
                  `see what still runs it (crictl ps; ps -ef). The data dirs were not touched: ${rec.dataDir} is the restored one, the original is kept at ${rec.movedAside}`,
                base,
              );
            },
            fails: (res) =>
              res.code === KEPT_DIR_MISSING
                ? fail(
                    `etcd_rollback: the kept data dir ${rec.movedAside} (named by ${record}) is missing on ${ctx.host}: nothing stopped, nothing moved`,
                    base,
                  )
                : failure(
                    ctx,
                    `putting ${rec.movedAside} back as ${rec.dataDir} (see ${rec.dataDir}, ${rec.dataDir}.failed-* and ${rec.movedAside})`,
                    res,
                    base,
                  ),
            parse: (stdout) => {
              const o = parseRollbackOutput(stdout, pods);
              const keptAt = o.swapped ? o.keptAt : null;
              return {
                rolled_back: true,
                kept_at: keptAt,
                msg: `${ctx.host}: original data dir back in ${rec.dataDir}${keptAt ? ` (the restored one kept at ${keptAt})` : ''}`,
              };
            },
          },
        ],
        paths: {
          ...Object.fromEntries(act.parks.flatMap((p) => [[p.parked, { from: p.manifest }] as const, [p.manifest, false] as const])),
          [rec.dataDir]: { from: rec.movedAside },
          [rec.movedAside]: false,
        },
      },
      ctx,
    );
  },
};
