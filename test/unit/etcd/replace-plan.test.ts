import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planReplace, type ClusterFacts } from '../../../src/etcd/replace-plan.js';

const hosts = [1, 2, 3].map((i) => ({ name: `host0${i}`, address: `127.0.1.${i}` }));
function cluster(healthy: number[], learner?: number): ClusterFacts {
  return {
    members: [1, 2, 3].map((i) => ({
      id: `id${i}`,
      name: `controller-node-${i}`,
      peer_urls: [`https://127.0.1.${i}:2380`],
      client_urls: [`https://127.0.1.${i}:2379`],
      is_learner: i === learner,
    })),
    health: [1, 2, 3].map((i) => ({ endpoint: `https://127.0.1.${i}:2379`, health: healthy.includes(i) })),
  };
}

test('the single unhealthy member is chosen, with its inventory host and the healthy endpoints', () => {
  const p = planReplace(cluster([1, 2]), hosts);
  assert.ok(!('refuse' in p));
  assert.equal(p.member.name, 'controller-node-3');
  assert.equal(p.host, 'host03');
  assert.deepEqual(p.healthy_endpoints, ['https://127.0.1.1:2379', 'https://127.0.1.2:2379']);
  assert.equal(p.quorum_after_remove, 2);
});

test('two failed members: refused, one at a time', () => {
  assert.deepEqual(planReplace(cluster([1]), hosts), {
    refuse: '2 members are unhealthy (controller-node-2, controller-node-3): replace one member at a time, never all at once',
  });
});

test('a named healthy member may be replaced while the others keep quorum', () => {
  const p = planReplace(cluster([1, 2, 3]), hosts, 'controller-node-2');
  assert.ok(!('refuse' in p) && p.host === 'host02');
});

test('refusals: unknown name, nothing unhealthy, quorum loss, no inventory host', () => {
  assert.match(JSON.stringify(planReplace(cluster([1, 2, 3]), hosts, 'nope')), /no member named \\"nope\\"/);
  assert.match(JSON.stringify(planReplace(cluster([1, 2, 3]), hosts)), /every member is healthy/);
  assert.match(
    JSON.stringify(planReplace(cluster([1, 3]), hosts, 'controller-node-1')),
    /would leave 1 healthy voting members, fewer than the quorum of 2/,
  );
  assert.match(JSON.stringify(planReplace(cluster([1, 2]), hosts.slice(0, 2))), /no inventory host has the address 127\.0\.1\.3/);
});

test('masters answering as two clusters (a member restarted from an empty data dir as new): refused, naming the endpoints', () => {
  const c = {
    ...cluster([1, 2, 3]),
    status: [
      { endpoint: 'https://127.0.1.1:2379', cluster_id: 'aaa' },
      { endpoint: 'https://127.0.1.2:2379', cluster_id: 'bbb' },
      { endpoint: 'https://127.0.1.3:2379', cluster_id: 'bbb' },
    ],
  };
  const p = planReplace(c, hosts);
  assert.ok('refuse' in p);
  assert.match(
    p.refuse,
    /^the masters' etcd do not form one cluster: https:\/\/127\.0\.1\.1:2379 answers as cluster aaa; https:\/\/127\.0\.1\.2:2379, https:\/\/127\.0\.1\.3:2379 answer as cluster bbb\. /,
  );
});
