import { planCluster, type MasterFacts } from '../etcd/cluster-plan.js';
import type { EtcdMember } from '../etcd/etcdctl-json.js';
import type { EtcdClusterArgs } from '../generated/playbook.js';
import { truthy } from './etcd-client.js';
import type { ModuleDef } from './module.js';
import { fail, ok } from './result.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The member list out of an etcd_facts result (or a bare list); undefined when there is none (etcd not answering). */
function memberList(v: unknown): EtcdMember[] | undefined {
  const list = isObj(v) ? v['members'] : v;
  return Array.isArray(list) && list.length ? (list as EtcdMember[]) : undefined;
}

/**
 * `etcd_cluster`: the whole etcd cluster from every master's own `etcd` fact (etcd_manifest) and, when given, the
 * running cluster's member list; fails naming each master that disagrees (runs on the controller, changes nothing).
 */
export const etcdClusterModule: ModuleDef<EtcdClusterArgs> = {
  name: 'etcd_cluster',
  remote: false,
  readOnly: true,
  async run(args, ctx) {
    const group = args?.group || 'masters';
    const groups = (ctx.vars['groups'] ?? {}) as Record<string, string[]>;
    const hostvars = (ctx.vars['hostvars'] ?? {}) as Record<string, Record<string, unknown>>;
    const hosts = groups[group];
    if (!hosts || hosts.length === 0) return fail(`etcd_cluster: the inventory has no hosts in group ${group}`);
    const masters: MasterFacts[] = hosts.map((host) => {
      const etcd = hostvars[host]?.['etcd'];
      return { host, etcd: isObj(etcd) ? (etcd as MasterFacts['etcd']) : undefined };
    });
    const requireAll = args?.require_all === undefined || truthy(args.require_all);
    const plan = planCluster(masters, requireAll ? memberList(args?.cluster) : undefined, group, requireAll);
    const summary = `${plan.members.length} members: ${plan.members.map((m) => `${m.name} on ${m.host}`).join(', ')}`;
    if (plan.problems.length) {
      return fail(`the masters of ${group} disagree about the etcd cluster:\n  - ${plan.problems.join('\n  - ')}`, { ...plan });
    }
    return ok({ ...plan, msg: plan.warnings.length ? `${summary} (note: ${plan.warnings.join('; ')})` : summary });
  },
};
