import { parseHealth, parseMembers, type HealthEntry } from '../etcd/etcdctl-json.js';
import { listenCommand, parseListen } from '../etcd/listen-probe.js';
import type { EtcdMemberArgs } from '../generated/playbook.js';
import { connection, failure, runEtcdctl } from './etcd-client.js';
import { needsHealth, planMember } from './etcd-member-plan.js';
import { execOn, type ModuleContext, type ModuleDef, type ModuleResult } from './module.js';
import { planEnv, runPlan } from './plan.js';
import { fail } from './result.js';
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

/** `etcd_member`: add (optionally as learner), promote or remove a member; idempotent, and removals never lose quorum. */
export const etcdMemberModule: ModuleDef<EtcdMemberArgs> = {
  name: 'etcd_member',
  remote: true,
  readOnly: false,
  async run(a, ctx) {
    const c = connection(a, ctx);
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
