import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EtcdMember } from '../../../src/etcd/etcdctl-json.js';
import { findMember, initialClusterFor, initialClusterOf, planAdd, planRemove } from '../../../src/etcd/member-plan.js';
import { checkRemoval, quorumOf } from '../../../src/etcd/quorum.js';

test('quorum sizes', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(quorumOf), [1, 2, 2, 3, 3]);
});

// N voters, k of them unhealthy, removing an unhealthy member (force irrelevant) → allowed?
// Allowed iff the cluster has quorum now (N-k >= q(N)) and afterwards (N-k >= q(N-1)), and N > 1.
const removeUnhealthy: Record<number, boolean[]> = {
  //   k = 1      2      3      4      5
  1: [false],
  2: [false, false],
  3: [true, false, false],
  4: [true, false, false, false],
  5: [true, true, false, false, false],
};
// Removing a healthy member (with force) with k others unhealthy, k = 0..N-1.
const removeHealthyForced: Record<number, boolean[]> = {
  //   k = 0      1      2      3      4
  1: [false],
  2: [true, false],
  3: [true, false, false],
  4: [true, true, false, false],
  5: [true, true, false, false, false],
};

test('removing an unhealthy voter: table for N = 1..5 with k unhealthy', () => {
  for (const [n, row] of Object.entries(removeUnhealthy)) {
    row.forEach((want, i) => {
      const k = i + 1;
      const v = checkRemoval({
        name: 'x',
        voters: Number(n),
        healthyVoters: Number(n) - k,
        targetIsVoter: true,
        targetHealthy: false,
        force: false,
      });
      assert.equal(v.ok, want, `N=${n} k=${k}: ${v.ok ? 'allowed' : v.reason}`);
    });
  }
});

test('removing a healthy voter with force: table for N = 1..5 with k others unhealthy; never without force', () => {
  for (const [n, row] of Object.entries(removeHealthyForced)) {
    row.forEach((want, k) => {
      const i = { name: 'x', voters: Number(n), healthyVoters: Number(n) - k, targetIsVoter: true, targetHealthy: true };
      const forced = checkRemoval({ ...i, force: true });
      assert.equal(forced.ok, want, `N=${n} k=${k}: ${forced.ok ? 'allowed' : forced.reason}`);
      const plain = checkRemoval({ ...i, force: false });
      assert.equal(plain.ok, false, `N=${n} k=${k} without force`);
    });
  }
});

test('refusal messages say why', () => {
  const healthy = checkRemoval({
    name: 'controller-node-3',
    voters: 3,
    healthyVoters: 3,
    targetIsVoter: true,
    targetHealthy: true,
    force: false,
  });
  assert.equal(
    healthy.ok === false && healthy.reason,
    'controller-node-3 is healthy: refusing to remove a healthy member without force: true (replace one failed member at a time)',
  );
  const lose = checkRemoval({ name: 'b', voters: 5, healthyVoters: 3, targetIsVoter: true, targetHealthy: true, force: true });
  assert.match(lose.ok ? '' : lose.reason, /removing b would leave 2 healthy of 4 voting members, fewer than the quorum of 3/);
  const none = checkRemoval({ name: 'b', voters: 3, healthyVoters: 1, targetIsVoter: true, targetHealthy: false, force: true });
  assert.match(none.ok ? '' : none.reason, /no quorum now \(1 of 3/);
  const learner = checkRemoval({ name: 'l', voters: 3, healthyVoters: 2, targetIsVoter: false, targetHealthy: false, force: false });
  assert.equal(learner.ok, true, 'a learner never counts towards quorum');
});

const m = (id: string, name: string, n: number, extra: Partial<EtcdMember> = {}): EtcdMember => ({
  id,
  name,
  peer_urls: [`https://127.0.0.${n}:2380`],
  client_urls: name ? [`https://127.0.0.${n}:2379`] : [],
  is_learner: false,
  ...extra,
});
const three = [m('a', 'n1', 1), m('b', 'n2', 2), m('c', 'n3', 3)];
const health = (up: number[]): Array<{ endpoint: string; health: boolean }> =>
  [1, 2, 3].map((n) => ({ endpoint: `https://127.0.0.${n}:2379`, health: up.includes(n) }));

test("planRemove uses each member's client URL health", () => {
  assert.deepEqual(planRemove(three, three[2]!, health([1, 2]), false), { args: ['member', 'remove', 'c'] });
  assert.match(JSON.stringify(planRemove(three, three[2]!, health([1, 2, 3]), false)), /is healthy/);
  assert.match(JSON.stringify(planRemove(three, three[2]!, health([1]), true)), /no quorum now/);
});

test('planAdd is idempotent on the peer URL and refuses clashes; initial cluster like etcdctl prints it', () => {
  const two = three.slice(0, 2);
  assert.deepEqual(planAdd(two, 'n3', ['https://127.0.0.3:2380'], true), {
    args: ['member', 'add', 'n3', '--peer-urls=https://127.0.0.3:2380', '--learner'],
  });
  const pending = [...two, m('d', '', 3, { is_learner: true })];
  assert.deepEqual(planAdd(pending, 'n3', ['https://127.0.0.3:2380'], true), { existing: pending[2] });
  assert.match(JSON.stringify(planAdd(three, 'n9', ['https://127.0.0.3:2380'], false)), /already belongs to member n3/);
  assert.match(JSON.stringify(planAdd(three, 'n3', ['https://127.0.0.9:2380'], false)), /a member named n3 already exists/);
  assert.equal(initialClusterFor(pending, 'd', 'n3'), 'n1=https://127.0.0.1:2380,n2=https://127.0.0.2:2380,n3=https://127.0.0.3:2380');
});

test('findMember by hex id (any case, 0x) or name', () => {
  assert.equal(findMember(three, { id: '0xB' }), three[1]);
  assert.equal(findMember(three, { name: 'n3' }), three[2]);
  assert.equal(findMember(three, { name: 'nope' }), undefined);
  assert.deepEqual(findMember(three, {}), { error: 'give the member\'s "name" or "id"' });
  assert.match(JSON.stringify(findMember([...three, m('e', 'n3', 4)], { name: 'n3' })), /2 members are named n3/);
});

test('the initial cluster is in one canonical order: etcd answering the new member first equals the list predicted before the removal', () => {
  const answered = [m('d', '', 3, { is_learner: true }), ...three.slice(0, 2)];
  const predicted = initialClusterOf([...three.slice(0, 2), { name: 'n3', peer_urls: ['https://127.0.0.3:2380'] }]);
  assert.equal(initialClusterFor(answered, 'd', 'n3'), predicted);
  assert.equal(predicted, 'n1=https://127.0.0.1:2380,n2=https://127.0.0.2:2380,n3=https://127.0.0.3:2380');
  assert.notEqual(initialClusterFor(answered, 'd', 'n3'), initialClusterOf(three.slice(0, 2)), 'a different membership differs');
});
