import {
  FINGERPRINT,
  parseRestoreOutput,
  parseRestoreProbe,
  planRestore,
  restoreProbeCommand,
  type RestoreOutput,
  type RestoreProbe,
  type RestoreSpec,
} from '../etcd/snapshot-plan.js';
import type { EtcdSnapshotArgs } from '../generated/playbook.js';
import { failure, listArg, truthy } from './etcd-client.js';
import { snapshotFile } from './etcd-snapshot-file.js';
import { execOn, type ModuleContext, type ModuleResult } from './module.js';
import { planEnv, runPlan, type CommandStep, type Plan, type PlanEnv } from './plan.js';
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
  const verified = verifiedArg(a.verified, a.path ?? '');
  if (verified !== undefined && 'error' in verified) return verified;
  return {
    path: a.path ?? '',
    data_dir: a.data_dir ?? '',
    keep_data_dir: a.keep_data_dir || undefined,
    verified,
    name: a.name ?? '',
    initial_cluster: a.initial_cluster ?? '',
    initial_advertise_peer_urls: listArg(a.initial_advertise_peer_urls).join(','),
    initial_cluster_token: a.initial_cluster_token ?? '',
    skip_hash_check: truthy(a.skip_hash_check),
    bump_revision: bump,
    mark_compacted: truthy(a.mark_compacted),
  };
}

/**
 * `verified`: the registered result of `etcd_snapshot: { action: status }` on the same file; its fingerprint and
 * revision. A result without a fingerprint (a host whose `stat` prints another format) leaves the restore to check
 * the snapshot with `snapshot status` itself, as without `verified`; a check-mode one (the file was not there to
 * verify) is shown as the check a run would make.
 */
function verifiedArg(v: unknown, path: string): RestoreSpec['verified'] | { error: string } {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    return {
      error: `verified must be the registered result of etcd_snapshot status on this file, e.g. verified: "{{final_status}}" (got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 80)) : Array.isArray(v) ? 'a list' : typeof v})`,
    };
  const o = v as Record<string, unknown>;
  if (typeof o['path'] === 'string' && o['path'] !== path)
    return { error: `verified is the status of ${o['path']}, not of ${path}: nothing restored` };
  const fingerprint = o['fingerprint'];
  const revision = typeof o['revision'] === 'number' ? o['revision'] : null;
  if (typeof fingerprint === 'string' && FINGERPRINT.test(fingerprint)) return { fingerprint, revision };
  return o['check_mode'] === true ? { fingerprint: '', revision: null } : undefined;
}

/** What check mode knows before it reports: the snapshot's status and what is at the data dir (a run finds out as it goes). */
export interface RestoreFacts {
  snapshot: ModuleResult;
  probe: RestoreProbe;
}

/**
 * Pure: one command that checks the snapshot (`snapshot status`; with `verified`, that it is unchanged since), moves an existing data dir aside (never written
 * over; to keep_data_dir exactly when given, and then before the check), then restores the snapshot into it. `facts` (check mode only) word
 * what a run would do; the command is the same either way.
 */
export function planRestoreSteps(spec: RestoreSpec, facts: RestoreFacts | undefined, env: PlanEnv, now: Date): Plan {
  const plan = planRestore(spec, now);
  const bumpBy = spec.bump_revision ?? 0;
  const after = (out: RestoreOutput): ModuleResult => {
    const snapshotRevision = out.status?.revision ?? (out.unchanged ? (spec.verified?.revision ?? null) : null);
    const revision = snapshotRevision === null ? null : snapshotRevision + (out.bump ? bumpBy : 0);
    return {
      data_dir: spec.data_dir,
      tool: out.tool,
      revision,
      snapshot_revision: snapshotRevision,
      bump_revision_supported: out.bump,
      moved_aside: out.movedAside,
    };
  };
  const step: CommandStep = {
    command: plan.command,
    fails: (r) => {
      const out = parseRestoreOutput(r.stdout);
      const moving = (): ModuleResult =>
        failure(env, `moving ${spec.data_dir} aside to ${plan.aside}`, r, { ...after(out), moved_aside: null });
      if (plan.moveFirst && !out.movedAside) return moving();
      if (!out.status && !out.unchanged)
        return failure(env, spec.verified ? `checking ${spec.path} is the verified file` : `snapshot status ${spec.path}`, r, {
          ...after(out),
          path: spec.path,
        });
      if (!out.restoring) return moving();
      return failure(env, `${out.tool} snapshot restore ${spec.path}`, r, after(out));
    },
    rejects: (stdout) => {
      const out = parseRestoreOutput(stdout);
      if (out.status || out.unchanged) return undefined;
      // the tool printed no status it could parse, yet exited 0: the restore ran, so say where the old data dir is
      return fail(`snapshot status ${spec.path} on ${env.host}: unexpected output: ${stdout.slice(0, 200)}`, after(out));
    },
    parse: (stdout) => {
      const r = after(parseRestoreOutput(stdout));
      const kept = r['moved_aside'] ? `; the old data dir is kept at ${String(r['moved_aside'])}` : '';
      return { ...r, msg: `restored revision ${String(r['revision'])} into ${spec.data_dir} with ${String(r['tool'])}${kept}` };
    },
  };
  const snap = facts?.snapshot;
  const known = snap !== undefined && !snap['check_mode'];
  const bumped = facts?.probe.bumpSupported === true && plan.bumpAsked;
  const exists = facts?.probe.dataDirExists;
  const aside =
    exists === false
      ? ''
      : `; ${spec.data_dir} would be moved aside to ${plan.aside} first${exists === undefined ? ' (when it exists)' : ''}`;
  const base = {
    data_dir: spec.data_dir,
    tool: facts?.probe.tool ?? null,
    revision: known ? Number(snap['revision']) + (bumped ? bumpBy : 0) : null,
    snapshot_revision: known ? snap['revision'] : null,
    bump_revision_supported: plan.bumpAsked ? (facts?.probe.bumpSupported ?? null) : null,
  };
  return {
    result: { ...base, ...changed({ moved_aside: null, msg: `restored ${spec.path} into ${spec.data_dir}` }) },
    steps: [step],
    check: wouldChange(
      `restore ${spec.path} into ${spec.data_dir}${aside}`,
      { ...base, moved_aside: exists === false ? null : plan.aside },
      [plan.command],
    ),
    paths: { [spec.data_dir]: true, ...(exists === false ? {} : { [plan.aside]: true }) },
  };
}

/**
 * Restores a snapshot into data_dir with etcdutl (3.5+) or etcdctl (3.4) in one round trip: the snapshot checked, an
 * existing data dir moved aside (never overwritten), then the restore. Check mode looks first (read-only) to say what
 * a run would do.
 */
export async function restoreSnapshot(a: EtcdSnapshotArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const spec = restoreSpec(a);
  if ('error' in spec) return fail(spec.error);
  if (!ctx.check) {
    // a check-mode result in a run that changes things: nothing was verified, so the restore checks the snapshot itself
    const run = spec.verified?.fingerprint === '' ? { ...spec, verified: undefined } : spec;
    return runPlan('etcd_snapshot', planRestoreSteps(run, undefined, planEnv(ctx), new Date()), ctx);
  }
  const [snap, r] = await Promise.all([
    snapshotFile(ctx, spec.path),
    execOn(ctx, restoreProbeCommand(spec.data_dir), { onOutput: undefined }),
  ]);
  if (snap.failed) return snap;
  if (r.code !== 0) return failure(ctx, `inspecting ${spec.data_dir}`, r);
  const probed = parseRestoreProbe(r.stdout);
  // the data dir is as the steps planned before would have left it (moved aside by an earlier task)
  const would = ctx.dryRun?.pathState(ctx.host, spec.data_dir);
  const probe = would === undefined ? probed : { ...probed, dataDirExists: would };
  return runPlan('etcd_snapshot', planRestoreSteps(spec, { snapshot: snap, probe }, planEnv(ctx), new Date()), ctx);
}
