import { normalizeHexId } from '../etcd/big-json.js';
import { etcdctlCommand } from '../etcd/etcdctl-command.js';
import { parseHealth, parseMembers, type HealthEntry } from '../etcd/etcdctl-json.js';
import { listenCommand, parseListen } from '../etcd/listen-probe.js';
import type { EtcdMemberArgs } from '../generated/playbook.js';
import { connection, failure, runEtcdctl } from './etcd-client.js';
import { NOT_IN_SYNC, PLANNED_MEMBER_ID, needsHealth, planMember } from './etcd-member-plan.js';
import { execOn, type ModuleContext, type ModuleDef, type ModuleResult } from './module.js';
import { planEnv, runPlan } from './plan.js';
import { changed, fail, wouldChange } from './result.js';
import type { EtcdConnection } from '../etcd/etcdctl-command.js';
import type { EtcdMember } from '../etcd/etcdctl-json.js';

/**
 * The voters' health, asked from the host: which client URLs accept connections (a dead member costs etcdctl its
 * whole timeout, so one that refuses is unhealthy without dialling it), then `endpoint health` of the others with a
 * short timeout (a slow member judged unhealthy only makes the quorum check stricter).
 */
async function voterHealth(ctx: ModuleContext, c: EtcdConnection, members: EtcdMember[]): Promise<HealthEntry[] | ModuleResult> {
  const urls = members.filter((x) => !x.is_learner).flatMap((x) => x.client_urls);
  const probe = urls.length ? await execOn(ctx, listenCommand(urls), { onOutput: undefined, timeoutMs: 10_000 }) : undefined;
  const { listening, refused } = probe?.code === 0 ? parseListen(probe.stdout, urls) : { listening: urls, refused: [] };
  const h = listening.length
    ? await runEtcdctl(ctx, { ...c, endpoints: listening, timeoutS: Math.min(c.timeoutS, 1) }, ['endpoint', 'health'])
    : undefined;
  const down: HealthEntry[] = refused.map((endpoint) => ({ endpoint, health: false, error: 'connection refused' }));
  try {
    return [...down, ...(h?.stdout.trim() ? parseHealth(h.stdout) : [])];
  } catch {
    return h ? failure(ctx, 'etcdctl endpoint health', h) : fail('no health output');
  }
}

/**
 * Promote by a known hex ID without listing the members first (one etcdctl call per attempt: the learner is
 * promoted the moment it has caught up). etcd itself refuses a member that is not a learner or not in sync; any
 * answer but success or "not in sync yet" returns undefined, and the caller takes the listing path, which
 * reports an already voting or missing member as before.
 */
async function promoteById(ctx: ModuleContext, c: EtcdConnection, id: string, name: string | undefined): Promise<ModuleResult | undefined> {
  // No -w json: etcdctl 3.4 panics printing a promote result as JSON (after promoting).
  const r = await runEtcdctl(ctx, c, ['member', 'promote', id], false);
  if (r.code === 0) return changed({ member_id: id, msg: `promoted ${name || id}` });
  if (NOT_IN_SYNC.test(r.stderr))
    return {
      ...failure(ctx, `etcdctl member promote ${id}`, r),
      msg: `learner ${name || id} has not caught up with the leader yet (retry: until/retries)`,
    };
  return undefined;
}

/** `etcd_member`: add (optionally as learner), promote or remove a member; idempotent, and removals never lose quorum. */
export const etcdMemberModule: ModuleDef<EtcdMemberArgs> = {
  name: 'etcd_member',
  remote: true,
  readOnly: false,
  async run(a, ctx) {
    const c = connection(a, ctx);
    if (a.action === 'promote' && a.id === PLANNED_MEMBER_ID) {
      // the ID of a learner a check-mode add only planned (outside check mode an add reports the real one)
      const args = ['member', 'promote', '<ID of the learner added above>'];
      if (ctx.check) return wouldChange(`run etcdctl ${args.join(' ')}`, {}, etcdctlCommand(c, args, false));
      return fail(`etcd_member promote: "${a.id}" is the ID a check-mode add reports, not a member ID`);
    }
    const id = a.id ? normalizeHexId(a.id) : undefined;
    if (a.action === 'promote' && id && !ctx.check) {
      const direct = await promoteById(ctx, c, id, a.name);
      if (direct) return direct;
    }
    const list = await runEtcdctl(ctx, c, ['member', 'list']);
    if (list.code !== 0) return failure(ctx, 'etcdctl member list', list);
    const members = parseMembers(list.stdout);
    const health = needsHealth(a, members) ? await voterHealth(ctx, c, members) : undefined;
    if (health && !Array.isArray(health)) return health;
    const facts = {
      connection: c,
      members,
      health,
      removed: (id: string) => ctx.dryRun?.memberRemoved(id) ?? false,
      added: (name: string) => ctx.dryRun?.memberAdded(name) ?? false,
    };
    return runPlan('etcd_member', planMember(a, facts, planEnv(ctx)), ctx);
  },
};
