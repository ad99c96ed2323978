import { parseRestoreProbe, planRestore, restoreProbeCommand, type RestoreProbe, type RestoreSpec } from '../etcd/snapshot-plan.js';
import type { EtcdSnapshotArgs } from '../generated/playbook.js';
import { failure, listArg, truthy } from './etcd-client.js';
import { snapshotFile } from './etcd-snapshot-file.js';
import { execOn, type ModuleContext, type ModuleResult } from './module.js';
import { planEnv, runPlan, type Plan, type PlanEnv, type Step } from './plan.js';
import { changed, fail, wouldChange } from './result.js';

const REQUIRED = ['path', 'data_dir', 'name', 'initial_cluster', 'initial_advertise_peer_urls', 'initial_cluster_token'] as const;

/** Validates restore arguments into a RestoreSpec, or says what is missing or wrong. */
export function restoreSpec(a: EtcdSnapshotArgs): RestoreSpec | { error: string } {
  const missing = REQUIRED.filter((k) => !a[k]);
  if (missing.length) return { error: `etcd_snapshot restore needs ${missing.map((k) => `"${k}"`).join(', ')}` };
  const bump = a.bump_revision === undefined || a.bump_revision === '' ? undefined : Number(a.bump_revision);
  if (bump !== undefined && (!Number.isInteger(bump) || bump < 0))
    return { error: `bump_revision must be a whole number ≥ 0, got ${String(a.bump_revision)}` };
  if (truthy(a.mark_compacted) && !bump) return { error: 'mark_compacted needs bump_revision' };
  return {
    path: a.path ?? '',
    data_dir: a.data_dir ?? '',
    name: a.name ?? '',
    initial_cluster: a.initial_cluster ?? '',
    initial_advertise_peer_urls: listArg(a.initial_advertise_peer_urls).join(','),
    initial_cluster_token: a.initial_cluster_token ?? '',
    skip_hash_check: truthy(a.skip_hash_check),
    bump_revision: bump,
    mark_compacted: truthy(a.mark_compacted),
  };
}

/** What a restore plans on: the snapshot's status, what is at the data dir and which tool restores. */
export interface RestoreFacts {
  snapshot: ModuleResult;
  probe: RestoreProbe;
}

/** Pure: move an existing data dir aside (never written over), then restore the snapshot into it. */
export function planRestoreSteps(spec: RestoreSpec, f: RestoreFacts, env: PlanEnv, now: Date): Plan {
  const { snapshot: snap, probe: p } = f;
  const plan = planRestore(spec, p, now);
  const revision = snap['check_mode'] ? null : Number(snap['revision']) + (plan.bumpApplied ? (spec.bump_revision ?? 0) : 0);
  const base = {
    data_dir: spec.data_dir,
    tool: p.tool,
    revision,
    snapshot_revision: snap['revision'],
    bump_revision_supported: p.bumpSupported,
  };
  const msg = (movedAside: unknown): string =>
    `restored revision ${revision} into ${spec.data_dir} with ${p.tool}${movedAside ? `; the old data dir is kept at ${String(movedAside)}` : ''}`;
  const aside = plan.moveAside ? `; ${spec.data_dir} would be moved aside to ${plan.aside} first` : '';
  const steps: Step[] = [];
  if (plan.moveAside)
    steps.push({
      command: plan.moveAside,
      fails: (r) => failure(env, `moving ${spec.data_dir} aside`, r),
      parse: (stdout) => {
        const at = stdout.trim().split('\n').at(-1) ?? plan.aside;
        return { moved_aside: at, msg: msg(at) };
      },
    });
  steps.push({
    command: plan.restore,
    fails: (r, so) => failure(env, `${p.tool} snapshot restore ${spec.path}`, r, { ...base, moved_aside: so['moved_aside'] }),
  });
  return {
    result: { ...base, ...changed({ moved_aside: null, msg: msg(null) }) },
    steps,
    check: wouldChange(`restore ${spec.path} into ${spec.data_dir}${aside}`, { ...base, moved_aside: plan.moveAside ? plan.aside : null }, [
      ...(plan.moveAside ? [plan.moveAside] : []),
      plan.restore,
    ]),
    paths: { [spec.data_dir]: true, ...(plan.moveAside && plan.aside ? { [plan.aside]: true } : {}) },
  };
}

/** Restores a snapshot into data_dir with etcdutl (3.5+) or etcdctl (3.4); an existing data dir is moved aside first, never overwritten. */
export async function restoreSnapshot(a: EtcdSnapshotArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const spec = restoreSpec(a);
  if ('error' in spec) return fail(spec.error);
  // the snapshot's check and the look at the data dir and tools, at once (both read-only): one round trip fewer
  const [snap, r] = await Promise.all([
    snapshotFile(ctx, spec.path),
    execOn(ctx, restoreProbeCommand(spec.data_dir), { onOutput: undefined }),
  ]);
  if (snap.failed) return snap;
  if (r.code !== 0) return failure(ctx, `inspecting ${spec.data_dir}`, r);
  const probed = parseRestoreProbe(r.stdout);
  // in check mode the data dir is as the steps planned before would have left it (moved aside by an earlier task)
  const would = ctx.dryRun?.pathState(ctx.host, spec.data_dir);
  const probe = would === undefined ? probed : { ...probed, dataDirExists: would };
  return runPlan('etcd_snapshot', planRestoreSteps(spec, { snapshot: snap, probe }, planEnv(ctx), new Date()), ctx);
}
