/** A member as `etcd_facts` reports it. */
export interface FactsMember {
  id: string;
  name: string;
  peer_urls: string[];
  client_urls: string[];
  is_learner?: boolean;
}

/** What `etcd_facts` reports (the parts the plan needs). */
export interface ClusterFacts {
  members: FactsMember[];
  health: Array<{ endpoint: string; health: boolean }>;
  /** Endpoint status, when known: the cluster each endpoint answers for. */
  status?: Array<{ endpoint: string; cluster_id?: string }>;
}

/** Endpoints grouped by the cluster ID they answer for; more than one group means the masters' etcd are split. */
function clustersOf(c: ClusterFacts): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const s of c.status ?? []) if (s.cluster_id) by.set(s.cluster_id, [...(by.get(s.cluster_id) ?? []), s.endpoint]);
  return by;
}

/** An inventory host the member may live on: its name and address (ansible_host). */
export interface CandidateHost {
  name: string;
  address: string;
}

/** The decided replacement: which member, on which inventory host, and from which healthy endpoints to act. */
export interface ReplacePlan {
  member: FactsMember;
  host: string;
  healthy_endpoints: string[];
  unhealthy: string[];
  voters: number;
  quorum_after_remove: number;
}

/** Members with no healthy client endpoint. */
export function unhealthyMembers(c: ClusterFacts): FactsMember[] {
  const healthy = new Set(c.health.filter((h) => h.health).map((h) => h.endpoint));
  return c.members.filter((m) => !m.client_urls.some((u) => healthy.has(u)));
}

/** Decides the member to replace (named, or the single unhealthy one) and refuses unsafe replacements with the reason. */
export function planReplace(c: ClusterFacts, hosts: CandidateHost[], member?: string): ReplacePlan | { refuse: string } {
  const clusters = clustersOf(c);
  if (clusters.size > 1) {
    const parts = [...clusters.entries()].map(([id, eps]) => `${eps.join(', ')} answer${eps.length === 1 ? 's' : ''} as cluster ${id}`);
    return {
      refuse: `the masters' etcd do not form one cluster: ${parts.join('; ')}. A member whose data dir was lost and that started again from a manifest with --initial-cluster-state=new (or none) forms a cluster of its own: stop that member (move its etcd.yaml out of the manifests dir), then run this playbook again`,
    };
  }
  const unhealthy = unhealthyMembers(c);
  const names = unhealthy.map((m) => m.name || m.id);
  if (unhealthy.length > 1)
    return { refuse: `${unhealthy.length} members are unhealthy (${names.join(', ')}): replace one member at a time, never all at once` };
  const target = member ? c.members.find((m) => m.name === member) : unhealthy[0];
  if (!target)
    return {
      refuse: member
        ? `no member named "${member}" (members: ${c.members.map((m) => m.name).join(', ')})`
        : 'every member is healthy: give -e member=NAME to replace a healthy member on purpose',
    };
  const voters = c.members.filter((m) => !m.is_learner).length;
  const healthyVoters = c.members.filter((m) => !m.is_learner && m !== target && !unhealthy.includes(m)).length;
  const quorum = Math.floor((voters - 1) / 2) + 1;
  if (healthyVoters < quorum)
    return { refuse: `removing ${target.name} would leave ${healthyVoters} healthy voting members, fewer than the quorum of ${quorum}` };
  const peerHost = hostOf(target.peer_urls[0] ?? '');
  const host = hosts.find((h) => h.address === peerHost || h.name === peerHost);
  if (!host)
    return { refuse: `no inventory host has the address ${peerHost} of ${target.name}'s peer URL ${target.peer_urls[0] ?? '(none)'}` };
  const healthy = new Set(c.health.filter((h) => h.health).map((h) => h.endpoint));
  const endpoints = c.members.filter((m) => m !== target).flatMap((m) => m.client_urls.filter((u) => healthy.has(u)));
  return { member: target, host: host.name, healthy_endpoints: endpoints, unhealthy: names, voters, quorum_after_remove: quorum };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}
