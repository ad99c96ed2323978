import { normalizeHexId } from './big-json.js';
import type { EtcdMember, HealthEntry } from './etcdctl-json.js';
import { checkRemoval } from './quorum.js';

/** Finds the member by hex id or name; an error when neither is given or the name is ambiguous. */
export function findMember(
  members: readonly EtcdMember[],
  by: { name?: string | undefined; id?: string | undefined },
): EtcdMember | undefined | { error: string } {
  if (by.id) {
    const id = normalizeHexId(by.id);
    if (!id) return { error: `"${by.id}" is not a hex member ID (like bc8e69e9350176e4)` };
    return members.find((m) => m.id === id);
  }
  if (!by.name) return { error: 'give the member\'s "name" or "id"' };
  const named = members.filter((m) => m.name === by.name);
  if (named.length > 1) return { error: `${named.length} members are named ${by.name}: give "id" (${named.map((m) => m.id).join(', ')})` };
  return named[0];
}

/**
 * `--initial-cluster` of these members, in one canonical order (sorted `name=peer-url` entries): etcd matches a
 * joining member's list to the cluster by peer URL whatever the order, and a fixed order lets a list written ahead
 * be compared with the one etcd answers after the add.
 */
export function initialClusterOf(members: ReadonlyArray<{ name: string; peer_urls: readonly string[] }>): string {
  return members
    .flatMap((m) => m.peer_urls.map((u) => `${m.name}=${u}`))
    .sort()
    .join(',');
}

/** `--initial-cluster` for a member joining: every member's peer URLs, the new (unnamed) one under its name (canonical order). */
export function initialClusterFor(members: readonly EtcdMember[], newId: string, newName: string): string {
  return initialClusterOf(members.map((m) => (m.id === newId ? { ...m, name: newName } : m)));
}

/** Add: nothing to do when a member already has one of the peer URLs (same name or not yet started), else the etcdctl args. */
export function planAdd(
  members: readonly EtcdMember[],
  name: string,
  peerUrls: readonly string[],
  learner: boolean,
): { existing: EtcdMember } | { args: string[] } | { error: string } {
  const same = members.find((m) => m.peer_urls.some((u) => peerUrls.includes(u)));
  if (same && same.name !== '' && same.name !== name)
    return { error: `peer URL ${peerUrls.join(',')} already belongs to member ${same.name} (${same.id})` };
  if (same) return { existing: same };
  const clash = members.find((m) => m.name === name);
  if (clash)
    return { error: `a member named ${name} already exists with peer URLs ${clash.peer_urls.join(',')} (${clash.id}): remove it first` };
  return { args: ['member', 'add', name, `--peer-urls=${peerUrls.join(',')}`, ...(learner ? ['--learner'] : [])] };
}

/** Voting members and which of them answer healthy on a client URL (a member with no client URL never started: unhealthy). */
export function voterHealth(
  members: readonly EtcdMember[],
  health: readonly HealthEntry[],
): { voters: EtcdMember[]; healthy: Set<string> } {
  const ok = new Set(health.filter((h) => h.health).map((h) => h.endpoint));
  const voters = members.filter((m) => !m.is_learner);
  return { voters, healthy: new Set(voters.filter((m) => m.client_urls.some((u) => ok.has(u))).map((m) => m.id)) };
}

/** Remove: refuses when quorum would be lost or a healthy member is removed without force; else the etcdctl args. */
export function planRemove(
  members: readonly EtcdMember[],
  target: EtcdMember,
  health: readonly HealthEntry[],
  force: boolean,
): { args: string[] } | { refuse: string } {
  const { voters, healthy } = voterHealth(members, health);
  const verdict = checkRemoval({
    name: target.name || target.id,
    voters: voters.length,
    healthyVoters: healthy.size,
    targetIsVoter: !target.is_learner,
    targetHealthy: healthy.has(target.id),
    force,
  });
  return verdict.ok ? { args: ['member', 'remove', target.id] } : { refuse: verdict.reason };
}
