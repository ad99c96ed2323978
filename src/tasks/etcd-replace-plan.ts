import { initialClusterOf } from '../etcd/member-plan.js';
import { planReplace, type CandidateHost, type ClusterFacts } from '../etcd/replace-plan.js';
import type { ModuleDef } from './module.js';
import { fail, ok } from './result.js';

function nameFromManifests(hosts: Array<Record<string, unknown>>, peerUrls: string[]): string | undefined {
  for (const h of hosts) {
    const members =
      (h['etcd'] as { initial_cluster_members?: Array<{ name: string; peer_url: string }> } | undefined)?.initial_cluster_members ?? [];
    const hit = members.find((m) => peerUrls.includes(m.peer_url));
    if (hit) return hit.name;
  }
  return undefined;
}

/** Arguments of `etcd_replace_plan`. */
export interface EtcdReplacePlanArgs {
  cluster: ClusterFacts;
  member?: string;
  group?: string;
}

/**
 * `etcd_replace_plan`: decides which failed member to replace and on which inventory host, refusing unsafe cases
 * (runs on the controller); `initial_cluster` is the member list it will join, in the order `etcd_member` add reports it.
 */
export const etcdReplacePlanModule: ModuleDef<EtcdReplacePlanArgs> = {
  name: 'etcd_replace_plan',
  remote: false,
  readOnly: true,
  async run(args, ctx) {
    if (!args.cluster || !Array.isArray(args.cluster.members)) return fail('etcd_replace_plan needs "cluster": the result of etcd_facts');
    const groups = (ctx.vars['groups'] ?? {}) as Record<string, string[]>;
    const hostvars = (ctx.vars['hostvars'] ?? {}) as Record<string, Record<string, unknown>>;
    const names = groups[args.group ?? 'masters'] ?? [];
    const hosts: CandidateHost[] = names.map((name) => ({ name, address: String(hostvars[name]?.['ansible_host'] ?? name) }));
    const plan = planReplace(args.cluster, hosts, args.member || undefined);
    if ('refuse' in plan) return fail(`refusing: ${plan.refuse}`);
    // A member added but never started has no name in `member list`: take it from a manifest's --initial-cluster.
    const name =
      plan.member.name ||
      nameFromManifests(
        names.map((n) => hostvars[n] ?? {}),
        plan.member.peer_urls,
      );
    if (!name)
      return fail(`member ${plan.member.id} has no name and no --initial-cluster names its peer URL ${plan.member.peer_urls.join(',')}`);
    const member = { ...plan.member, name };
    // the cluster the member will join once removed and added back under its name: its manifest is written before the removal
    const initialCluster = initialClusterOf([...args.cluster.members.filter((m) => m.id !== plan.member.id), member]);
    return ok({ ...plan, member, initial_cluster: initialCluster, msg: `replace ${name} (${plan.member.id}) on ${plan.host}` });
  },
};
