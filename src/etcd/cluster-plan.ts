// The whole etcd cluster of a control plane, from every master's own manifest (and `member list` while etcd runs),
// never from one manifest's --initial-cluster: on a control plane grown by kubeadm, each master's lists only the
// members that existed when it joined (cluster-shapes.md §1).
import type { EtcdMember } from './etcdctl-json.js';
import type { EtcdManifestFacts } from './manifest.js';

/** One master as the inventory and its manifest describe it. */
export interface MasterFacts {
  host: string;
  /** The `etcd` fact (etcd_manifest); undefined when the host has none. */
  etcd:
    | Pick<
        EtcdManifestFacts,
        'name' | 'peer_url' | 'client_url' | 'initial_advertise_peer_urls' | 'initial_cluster_members' | 'manifest_path'
      >
    | undefined;
}

/** A member of the cluster and the master it runs on. */
export interface PlannedMember {
  host: string;
  name: string;
  peer_url: string;
  client_url: string;
}

/** The cluster the masters make up, and every way they disagree. */
export interface ClusterPlan {
  members: PlannedMember[];
  /** `--initial-cluster` for a restore: every master's `name=peer_url`, in inventory order. */
  initial_cluster: string;
  client_urls: string[];
  /** Disagreements that make the masters unsafe to restore or replace from (each names the host). */
  problems: string[];
  /** Harmless differences worth knowing (e.g. a stale entry in an old manifest's --initial-cluster). */
  warnings: string[];
}

const trimUrl = (u: string): string => u.replace(/\/+$/, '');

/** Peer URLs a master answers on: its advertised ones, else the one its manifest implies. */
function ownPeerUrls(m: MasterFacts): string[] {
  const e = m.etcd;
  if (!e) return [];
  return (e.initial_advertise_peer_urls.length ? e.initial_advertise_peer_urls : [e.peer_url]).filter(Boolean).map(trimUrl);
}

/** Duplicate values of `key` across masters, as problems. */
function duplicates(members: PlannedMember[], key: 'name' | 'peer_url', what: string): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const m of members) {
    const other = seen.get(m[key]);
    if (other !== undefined) out.push(`${other} and ${m.host} both have ${what} ${m[key]} in their etcd manifests`);
    else seen.set(m[key], m.host);
  }
  return out;
}

/** What each manifest's --initial-cluster says, checked against the masters' own names and peer URLs. */
function initialClusterChecks(masters: MasterFacts[], members: PlannedMember[], group: string): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const m of masters) {
    for (const entry of m.etcd?.initial_cluster_members ?? []) {
      const byName = members.find((x) => x.name === entry.name);
      const owner = masters.find((x) => x.etcd?.name === entry.name);
      if (byName && owner && !ownPeerUrls(owner).includes(trimUrl(entry.peer_url))) {
        problems.push(
          `${m.host}'s --initial-cluster has ${entry.name}=${entry.peer_url}, but ${owner.host}'s own manifest (${owner.etcd?.manifest_path ?? ''}) advertises ${entry.name} at ${ownPeerUrls(owner).join(',')}`,
        );
      } else if (!byName) {
        warnings.push(
          `${m.host}'s --initial-cluster lists ${entry.name || '(no name)'}=${entry.peer_url}, which no master of ${group} runs (a member removed since that master joined?)`,
        );
      }
    }
  }
  return { problems, warnings };
}

/** The running cluster's `member list`, checked against the masters: every member on a master, every master a member. */
function memberListChecks(list: readonly EtcdMember[], members: PlannedMember[], group: string): string[] {
  const problems: string[] = [];
  for (const live of list) {
    const urls = live.peer_urls.map(trimUrl);
    const at = members.find((x) => urls.includes(trimUrl(x.peer_url)));
    const label = `${live.name || '(unstarted)'} (${live.id}, ${live.peer_urls.join(',')})`;
    if (!at)
      problems.push(
        `etcd's member list has ${label}, which no master of ${group} runs: add its host to ${group} or remove the member first`,
      );
    else if (live.name && live.name !== at.name)
      problems.push(
        `etcd's member list calls ${at.host}'s member (${at.peer_url}) ${live.name}, but ${at.host}'s manifest says --name=${at.name}`,
      );
    else if (live.is_learner) problems.push(`${at.host}'s member ${at.name} is still a learner in etcd's member list`);
  }
  for (const m of members) {
    if (!list.some((live) => live.peer_urls.map(trimUrl).includes(trimUrl(m.peer_url)))) {
      problems.push(`${m.host} (${m.name}, ${m.peer_url}) is not in etcd's member list`);
    }
  }
  return problems;
}

/**
 * Builds the cluster from the masters' own manifests and checks that they agree with each other, with every
 * manifest's --initial-cluster and, when given, with the running cluster's member list. With requireAll false, a
 * master without a manifest (a failed one about to be replaced) is left out instead of being a problem. Pure.
 */
export function planCluster(
  masters: readonly MasterFacts[],
  memberList: readonly EtcdMember[] | undefined,
  group = 'masters',
  requireAll = true,
): ClusterPlan {
  const problems: string[] = [];
  const members: PlannedMember[] = [];
  for (const m of masters) {
    if (!m.etcd) {
      if (requireAll) problems.push(`${m.host}: no etcd manifest was read, so its member is unknown`);
    } else if (!m.etcd.peer_url)
      problems.push(`${m.host}: its etcd manifest (${m.etcd.manifest_path}) gives no peer URL (--initial-advertise-peer-urls)`);
    else members.push({ host: m.host, name: m.etcd.name, peer_url: m.etcd.peer_url, client_url: m.etcd.client_url });
  }
  problems.push(...duplicates(members, 'name', 'the member name'), ...duplicates(members, 'peer_url', 'the peer URL'));
  const manifests = initialClusterChecks([...masters], members, group);
  problems.push(...manifests.problems);
  if (memberList?.length) problems.push(...memberListChecks(memberList, members, group));
  return {
    members,
    initial_cluster: members.map((m) => `${m.name}=${m.peer_url}`).join(','),
    client_urls: members.map((m) => m.client_url).filter(Boolean),
    problems,
    warnings: manifests.warnings,
  };
}
