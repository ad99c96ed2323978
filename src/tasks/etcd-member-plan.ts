// etcd_member's pure plan: arguments and what the cluster said (member list, endpoint health) in, the one etcdctl
// change and its result out. The module (etcd-member.ts) asks the cluster; runPlan runs the change or, in check mode,
// reports it.
import { etcdctlCommand, type EtcdConnection } from '../etcd/etcdctl-command.js';
import { parseMemberAdd, parseMembers, type EtcdMember, type HealthEntry } from '../etcd/etcdctl-json.js';
import { findMember, initialClusterFor, planAdd, planRemove } from '../etcd/member-plan.js';
import type { EtcdMemberArgs } from '../generated/playbook.js';
import { failure, listArg, truthy } from './etcd-client.js';
import type { ModuleResult } from './module.js';
import { failed, type Plan, type PlanEnv } from './plan.js';
import { changed, done, ok, wouldChange } from './result.js';

/** What the cluster said, and what earlier planned steps of a check-mode run would have changed in its membership. */
export interface MemberFacts {
  connection: EtcdConnection;
  members: EtcdMember[];
  /** For a removal: which client URLs answer healthy (voters refusing connections are unhealthy without asking etcdctl). */
  health?: HealthEntry[] | undefined;
  /** A member (by ID) an earlier planned step would have removed. */
  removed(id: string): boolean;
  /** A member (by name) an earlier planned step would have added. */
  added(name: string): boolean;
}

/** The member ID a check-mode add reports (etcd assigns the real one): a later promote by this ID means that learner. */
export const PLANNED_MEMBER_ID = '<ID etcd assigns>';

/** etcd's refusal to promote a learner that has not caught up yet (retried by the playbook's until/retries). */
export const NOT_IN_SYNC = /can only promote a learner member which is in sync/;

/** The check-mode report of an etcdctl call: `would run etcdctl ARGS`, with its exact command line. */
function wouldRun(c: EtcdConnection, args: string[], json = true): ModuleResult {
  return wouldChange(`run etcdctl ${args.join(' ')}`, {}, etcdctlCommand(c, args, json));
}

/** Whether a removal needs the endpoint health (the member to remove exists): the module asks only then. */
export function needsHealth(a: EtcdMemberArgs, members: readonly EtcdMember[]): EtcdMember | undefined {
  if (a.action !== 'remove') return undefined;
  const m = findMember(members, { name: a.name, id: a.id });
  return m && !('error' in m) ? m : undefined;
}

/** Pure: add (optionally as learner), promote or remove, idempotent; a removal that would lose quorum is refused. */
export function planMember(a: EtcdMemberArgs, f: MemberFacts, env: PlanEnv): Plan {
  if (a.action === 'add') return planMemberAdd(a, f, env);
  const m = findMember(f.members, { name: a.name, id: a.id });
  if (m && 'error' in m) return failed(`etcd_member ${a.action}: ${m.error}`);
  const who = a.id ?? a.name ?? '';
  if (a.action === 'promote')
    return m ? planPromote(f, m, env) : failed(`no member ${who} to promote (members: ${f.members.map((x) => x.name || x.id).join(', ')})`);
  if (a.action === 'remove')
    return m ? planMemberRemove(a, f, m, env) : { result: ok({ msg: `no member ${who}: nothing to remove` }), steps: [] };
  return failed(`etcd_member: unknown action "${String(a.action)}" (add, promote, remove)`);
}

function planMemberAdd(a: EtcdMemberArgs, f: MemberFacts, env: PlanEnv): Plan {
  const peerUrls = listArg(a.peer_urls);
  const name = a.name ?? '';
  if (!a.name || peerUrls.length === 0) return failed('etcd_member add needs "name" and "peer_urls"');
  // in check mode, a member an earlier planned step would have removed is not there any more
  const present = f.members.filter((m) => !f.removed(m.id));
  const plan = planAdd(present, name, peerUrls, truthy(a.learner));
  if ('error' in plan) return failed(`cannot add ${name} on ${env.host}: ${plan.error}`);
  const added = (id: string, all: EtcdMember[], isNew: boolean): ModuleResult =>
    done(isNew, { member_id: id, initial_cluster: initialClusterFor(all, id, name), initial_cluster_state: 'existing', members: all });
  if ('existing' in plan) return { result: added(plan.existing.id, f.members, false), steps: [] };
  const c = f.connection;
  const planned: EtcdMember = { id: PLANNED_MEMBER_ID, name: '', peer_urls: peerUrls, client_urls: [], is_learner: truthy(a.learner) };
  return {
    result: {},
    steps: [
      {
        command: etcdctlCommand(c, plan.args),
        // right after a removal etcd refuses reconfiguration for a moment ("unhealthy cluster"): retried for up to ~10 s
        retry: { stderr: /unhealthy cluster/, times: 50, delayMs: 200 },
        fails: (r) => failure(env, `etcdctl member add ${name}`, r),
        parse: (stdout) => {
          const out = parseMemberAdd(stdout);
          return added(out.member.id, out.members, true);
        },
      },
    ],
    check: {
      ...wouldRun(c, plan.args),
      member_id: planned.id,
      initial_cluster: initialClusterFor([...present, planned], planned.id, name),
      initial_cluster_state: 'existing',
    },
    members: { added: name },
  };
}

function planPromote(f: MemberFacts, m: EtcdMember, env: PlanEnv): Plan {
  const c = f.connection;
  const who = m.name || m.id;
  if (env.check && f.removed(m.id) && f.added(m.name)) {
    // check mode: the member was removed and added back as a learner by the steps planned above
    const args = ['member', 'promote', '<ID of the learner added above>'];
    return { result: {}, steps: [{ command: etcdctlCommand(c, args, false) }], check: wouldRun(c, args, false) };
  }
  if (!m.is_learner) return { result: ok({ member_id: m.id, msg: `${who} is already a voting member` }), steps: [] };
  const args = ['member', 'promote', m.id];
  return {
    result: changed({ member_id: m.id, msg: `promoted ${who}` }),
    // no -w json: etcdctl 3.4 panics printing a promote result as JSON (after promoting)
    steps: [
      {
        command: etcdctlCommand(c, args, false),
        fails: (r) =>
          NOT_IN_SYNC.test(r.stderr)
            ? {
                ...failure(env, `etcdctl member promote ${m.id}`, r),
                msg: `learner ${who} has not caught up with the leader yet (retry: until/retries)`,
              }
            : failure(env, `etcdctl member promote ${m.id}`, r),
      },
    ],
    check: wouldRun(c, args, false),
  };
}

function planMemberRemove(a: EtcdMemberArgs, f: MemberFacts, m: EtcdMember, env: PlanEnv): Plan {
  const c = f.connection;
  const who = m.name || m.id;
  const health = f.health ?? [];
  const plan = planRemove(f.members, m, health, truthy(a.force));
  if ('refuse' in plan) return failed(`refusing to remove ${who}: ${plan.refuse}`, { refused: true, health });
  return {
    result: changed({ member_id: m.id }),
    steps: [
      {
        command: etcdctlCommand(c, plan.args),
        fails: (r) =>
          /member not found/.test(r.stderr)
            ? ok({ member_id: m.id, msg: `${who} was already removed` })
            : failure(env, `etcdctl member remove ${m.id}`, r),
        parse: (stdout) => ({ members: parseMembers(stdout), msg: `removed ${who}` }),
      },
    ],
    check: { ...wouldRun(c, plan.args), member_id: m.id },
    members: { removed: m.id },
  };
}
