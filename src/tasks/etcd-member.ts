import { etcdctlCommand, type EtcdConnection } from '../etcd/etcdctl-command.js';
import { parseHealth, parseMemberAdd, parseMembers, type EtcdMember } from '../etcd/etcdctl-json.js';
import { parseListen, listenCommand } from '../etcd/listen-probe.js';
import { findMember, initialClusterFor, planAdd, planRemove } from '../etcd/member-plan.js';
import type { EtcdMemberArgs } from '../generated/playbook.js';
import { connection, failure, listArg, runEtcdctl, truthy } from './etcd-client.js';
import { execOn, type ModuleContext, type ModuleDef, type ModuleResult } from './module.js';
import { changed, done, fail, ok, wouldChange } from './result.js';

/** The check-mode report of an etcdctl call: `would run etcdctl ARGS`, with its exact command line. */
const wouldRun = (c: EtcdConnection, args: string[], json = true): ModuleResult =>
  wouldChange(`run etcdctl ${args.join(' ')}`, {}, etcdctlCommand(c, args, json));

async function add(a: EtcdMemberArgs, ctx: ModuleContext, c: EtcdConnection, members: EtcdMember[]): Promise<ModuleResult> {
  const peerUrls = listArg(a.peer_urls);
  if (!a.name || peerUrls.length === 0) return fail('etcd_member add needs "name" and "peer_urls"');
  // in check mode, a member an earlier planned step would have removed is not there any more
  const plan = planAdd(
    members.filter((m) => !ctx.dryRun?.memberRemoved(m.id)),
    a.name,
    peerUrls,
    truthy(a.learner),
  );
  if ('error' in plan) return fail(`cannot add ${a.name} on ${ctx.host}: ${plan.error}`);
  const added = (id: string, all: EtcdMember[], isNew: boolean): ModuleResult =>
    done(isNew, {
      member_id: id,
      initial_cluster: initialClusterFor(all, id, a.name ?? ''),
      initial_cluster_state: 'existing',
      members: all,
    });
  if ('existing' in plan) return added(plan.existing.id, members, false);
  if (ctx.check) {
    const planned: EtcdMember = { id: '<ID etcd assigns>', name: '', peer_urls: peerUrls, client_urls: [], is_learner: truthy(a.learner) };
    const all = [...members.filter((m) => !ctx.dryRun?.memberRemoved(m.id)), planned];
    ctx.dryRun?.addMember(a.name);
    return {
      ...wouldRun(c, plan.args),
      member_id: planned.id,
      initial_cluster: initialClusterFor(all, planned.id, a.name),
      initial_cluster_state: 'existing',
    };
  }
  let r = await runEtcdctl(ctx, c, plan.args);
  // Right after a removal etcd refuses reconfiguration for a moment ("unhealthy cluster"): retry often, for up to ~10 s.
  for (let i = 0; i < 50 && r.code !== 0 && /unhealthy cluster/.test(r.stderr); i++) {
    await new Promise((res) => setTimeout(res, 200));
    r = await runEtcdctl(ctx, c, plan.args);
  }
  if (r.code !== 0) return failure(ctx, `etcdctl member add ${a.name}`, r);
  const out = parseMemberAdd(r.stdout);
  return added(out.member.id, out.members, true);
}

async function promote(ctx: ModuleContext, c: EtcdConnection, m: EtcdMember): Promise<ModuleResult> {
  if (ctx.check && ctx.dryRun?.memberRemoved(m.id) && ctx.dryRun.memberAdded(m.name)) {
    // check mode: the member was removed and added back as a learner by the steps planned above
    return wouldRun(c, ['member', 'promote', '<ID of the learner added above>'], false);
  }
  if (!m.is_learner) return ok({ member_id: m.id, msg: `${m.name || m.id} is already a voting member` });
  const args = ['member', 'promote', m.id];
  if (ctx.check) return wouldRun(c, args, false);
  // No -w json: etcdctl 3.4 panics printing a promote result as JSON (after promoting).
  const r = await runEtcdctl(ctx, c, args, false);
  if (r.code === 0) return changed({ member_id: m.id, msg: `promoted ${m.name || m.id}` });
  if (/can only promote a learner member which is in sync/.test(r.stderr)) {
    return {
      ...failure(ctx, `etcdctl member promote ${m.id}`, r),
      msg: `learner ${m.name || m.id} has not caught up with the leader yet (retry: until/retries)`,
    };
  }
  return failure(ctx, `etcdctl member promote ${m.id}`, r);
}

async function remove(
  a: EtcdMemberArgs,
  ctx: ModuleContext,
  c: EtcdConnection,
  members: EtcdMember[],
  m: EtcdMember,
): Promise<ModuleResult> {
  const urls = members.filter((x) => !x.is_learner).flatMap((x) => x.client_urls);
  // a healthy member answers in milliseconds; a dead one costs the whole timeout, so keep it short (a slow member
  // judged unhealthy only makes the quorum check stricter); one that refuses connections is unhealthy without etcdctl
  // dialling it until the timeout
  const probe = urls.length ? await execOn(ctx, listenCommand(urls), { onOutput: undefined, timeoutMs: 10_000 }) : undefined;
  const { listening, refused } = probe?.code === 0 ? parseListen(probe.stdout, urls) : { listening: urls, refused: [] };
  const h = listening.length
    ? await runEtcdctl(ctx, { ...c, endpoints: listening, timeoutS: Math.min(c.timeoutS, 1) }, ['endpoint', 'health'])
    : undefined;
  let health: ReturnType<typeof parseHealth> = refused.map((endpoint) => ({ endpoint, health: false, error: 'connection refused' }));
  try {
    health = [...health, ...(h?.stdout.trim() ? parseHealth(h.stdout) : [])];
  } catch {
    return h ? failure(ctx, 'etcdctl endpoint health', h) : fail('no health output');
  }
  const plan = planRemove(members, m, health, truthy(a.force));
  if ('refuse' in plan) return fail(`refusing to remove ${m.name || m.id}: ${plan.refuse}`, { refused: true, health });
  if (ctx.check) {
    ctx.dryRun?.removeMember(m.id);
    return { ...wouldRun(c, plan.args), member_id: m.id };
  }
  const r = await runEtcdctl(ctx, c, plan.args);
  if (r.code !== 0 && /member not found/.test(r.stderr)) return ok({ member_id: m.id, msg: `${m.name || m.id} was already removed` });
  if (r.code !== 0) return failure(ctx, `etcdctl member remove ${m.id}`, r);
  return changed({ member_id: m.id, members: parseMembers(r.stdout), msg: `removed ${m.name || m.id}` });
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
    if (a.action === 'add') return add(a, ctx, c, members);
    const m = findMember(members, { name: a.name, id: a.id });
    if (m && 'error' in m) return fail(`etcd_member ${a.action}: ${m.error}`);
    const who = a.id ?? a.name ?? '';
    if (a.action === 'promote')
      return m ? promote(ctx, c, m) : fail(`no member ${who} to promote (members: ${members.map((x) => x.name || x.id).join(', ')})`);
    if (a.action === 'remove') return m ? remove(a, ctx, c, members, m) : ok({ msg: `no member ${who}: nothing to remove` });
    return fail(`etcd_member: unknown action "${String(a.action)}" (add, promote, remove)`);
  },
};
