// planCluster: the cluster from every master's own manifest, on the shapes kubeadm and kubespray leave behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planCluster, type MasterFacts } from '../../../src/etcd/cluster-plan.js';
import type { EtcdMember } from '../../../src/etcd/etcdctl-json.js';
import { parseInitialCluster } from '../../../src/etcd/manifest.js';

const peer = (i: number): string => `https://127.0.9.${i}:2380`;
const entry = (i: number): string => `controller-node-${i}=${peer(i)}`;

/** A master as etcd_manifest reads it; `initial` is what its manifest's --initial-cluster lists. */
function master(i: number, initial: number[], over: Partial<NonNullable<MasterFacts['etcd']>> = {}): MasterFacts {
  return {
    host: `host0${i}`,
    etcd: {
      name: `controller-node-${i}`,
      peer_url: peer(i),
      client_url: `https://127.0.9.${i}:2379`,
      initial_advertise_peer_urls: [peer(i)],
      initial_cluster_members: parseInitialCluster(initial.map(entry).join(',')),
      manifest_path: '/etc/kubernetes/manifests/etcd.yaml',
      ...over,
    },
  };
}
const live = (i: number, extra: Partial<EtcdMember> = {}): EtcdMember => ({
  id: `id${i}`,
  name: `controller-node-${i}`,
  peer_urls: [peer(i)],
  client_urls: [`https://127.0.9.${i}:2379`],
  is_learner: false,
  ...extra,
});

test('a control plane grown by kubeadm (1, then 1+2, then 1+2+3): the full cluster, no problem', () => {
  const p = planCluster([master(1, [1]), master(2, [1, 2]), master(3, [1, 2, 3])], [live(1), live(2), live(3)]);
  assert.deepEqual(p.problems, []);
  assert.deepEqual(p.warnings, []);
  assert.equal(p.initial_cluster, [1, 2, 3].map(entry).join(','));
  assert.deepEqual(
    p.members.map((m) => m.host),
    ['host01', 'host02', 'host03'],
  );
});

test('the uniform shape (every manifest lists all three) plans the same cluster', () => {
  const grown = planCluster([master(1, [1]), master(2, [1, 2]), master(3, [1, 2, 3])], undefined);
  const uniform = planCluster([master(1, [1, 2, 3]), master(2, [1, 2, 3]), master(3, [1, 2, 3])], undefined);
  assert.equal(uniform.initial_cluster, grown.initial_cluster);
  assert.deepEqual(uniform.problems, []);
});

test('a manifest that places a member elsewhere than its own master says so, naming both hosts', () => {
  const p = planCluster(
    [
      master(1, [1]),
      master(2, [1, 2]),
      master(3, [1, 2, 3], {
        initial_cluster_members: parseInitialCluster(`${entry(1)},controller-node-2=https://127.0.9.99:2380,${entry(3)}`),
      }),
    ],
    undefined,
  );
  assert.deepEqual(p.problems, [
    `host03's --initial-cluster has controller-node-2=https://127.0.9.99:2380, but host02's own manifest (/etc/kubernetes/manifests/etcd.yaml) advertises controller-node-2 at ${peer(2)}`,
  ]);
});

test('a stale entry for a member no master runs is a warning, not a problem', () => {
  const p = planCluster([master(1, [1]), master(2, [1, 2]), master(3, [1, 2, 4, 3])], undefined);
  assert.deepEqual(p.problems, []);
  assert.equal(p.warnings.length, 1);
  assert.match(
    p.warnings[0] ?? '',
    /^host03's --initial-cluster lists controller-node-4=https:\/\/127\.0\.9\.4:2380, which no master of masters runs/,
  );
});

test('two masters with the same name or peer URL, and a master without a manifest, are problems', () => {
  const p = planCluster([master(1, [1]), master(2, [1, 2], { name: 'controller-node-1' }), { host: 'host03', etcd: undefined }], undefined);
  assert.deepEqual(p.problems, [
    'host03: no etcd manifest was read, so its member is unknown',
    'host01 and host02 both have the member name controller-node-1 in their etcd manifests',
  ]);
});

test('the running member list must match the masters: a member on no master, a master not a member, a learner, a name mismatch', () => {
  const masters = [master(1, [1]), master(2, [1, 2]), master(3, [1, 2, 3])];
  assert.deepEqual(planCluster(masters, [live(1), live(2), live(3), live(4)]).problems, [
    `etcd's member list has controller-node-4 (id4, ${peer(4)}), which no master of masters runs: add its host to masters or remove the member first`,
  ]);
  assert.deepEqual(planCluster(masters, [live(1), live(2)]).problems, [
    `host03 (controller-node-3, ${peer(3)}) is not in etcd's member list`,
  ]);
  assert.deepEqual(planCluster(masters, [live(1), live(2), live(3, { is_learner: true })]).problems, [
    "host03's member controller-node-3 is still a learner in etcd's member list",
  ]);
  assert.deepEqual(planCluster(masters, [live(1), live(2), live(3, { name: 'other' })]).problems, [
    `etcd's member list calls host03's member (${peer(3)}) other, but host03's manifest says --name=controller-node-3`,
  ]);
  assert.deepEqual(
    planCluster(masters, [live(1), live(2), live(3, { name: '' })]).problems,
    [],
    'a member not started yet has no name: not a mismatch',
  );
});
