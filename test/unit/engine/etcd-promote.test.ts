// etcd_member promote by the ID the add reported: one etcdctl call per attempt (no member list first), etcd's own
// refusals still decide; anything but success or "not in sync yet" goes through the listing path as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFake, type FakeRun } from '../../support/engine.js';

/** The task's message on host1: the event's (failures, check mode) or the module result's. */
const msgOf = (run: FakeRun, task: string): string => {
  const e = run.results(task)[0];
  return e?.msg || String(e?.result?.['msg'] ?? '');
};

const members = (list: Array<[string, string, string, boolean]>) =>
  JSON.stringify({
    header: {},
    members: list.map(([id, name, ip, isLearner]) => ({
      ID: BigInt(`0x${id}`).toString(),
      name,
      peerURLs: [`https://${ip}:2380`],
      clientURLs: [`https://${ip}:2379`],
      isLearner,
    })),
  }).replace(/"ID":"(\d+)"/g, '"ID":$1');

const promote = (id: string, extra = '') => `- hosts: host1
  tasks:
    - name: promote
      etcd_member: { action: promote, id: "${id}", name: m3, endpoints: "https://127.0.1.1:2379" }
${extra}`;

test('promote by a hex ID: one `member promote` call, no member list', async () => {
  const run = await runFake(promote('a3'), {
    setup: (f) => {
      f.on(/member promote a3/, () => ({ stdout: 'Member a3 promoted in cluster 1\n' }));
    },
  });
  assert.equal(run.code, 0);
  assert.equal(run.status['promote/host1'], 'changed');
  assert.match(msgOf(run, 'promote'), /promoted m3/);
  const cmds = run.fakes.get('host1')?.commands ?? [];
  assert.equal(cmds.filter((c) => /etcdctl/.test(c)).length, 1, cmds.join('\n'));
  assert.ok(!cmds.some((c) => /member list/.test(c)));
});

test('promote by ID of a learner not caught up yet: failed with the retry hint, still without a member list', async () => {
  const run = await runFake(promote('a3'), {
    setup: (f) => {
      f.on(/member promote a3/, () => ({
        code: 1,
        stderr: 'Error: etcdserver: can only promote a learner member which is in sync with leader\n',
      }));
    },
  });
  assert.equal(run.status['promote/host1'], 'failed');
  assert.match(msgOf(run, 'promote'), /m3 has not caught up with the leader yet/);
  assert.ok(!(run.fakes.get('host1')?.commands ?? []).some((c) => /member list/.test(c)));
});

test('promote by ID of a member that already votes: etcd refuses, the listing path reports it unchanged', async () => {
  const run = await runFake(promote('a3'), {
    setup: (f) => {
      f.on(/member promote a3/, () => ({ code: 1, stderr: 'Error: etcdserver: can only promote a learner member\n' }));
      f.on(/member list/, () => ({
        stdout: members([
          ['a1', 'm1', '127.0.1.1', false],
          ['a3', 'm3', '127.0.1.3', false],
        ]),
      }));
    },
  });
  assert.equal(run.code, 0);
  assert.equal(run.status['promote/host1'], 'ok');
  assert.match(msgOf(run, 'promote'), /m3 is already a voting member/);
});

test('check mode: promote by the placeholder ID a check-mode add reports is planned, nothing run', async () => {
  const run = await runFake(promote('<ID etcd assigns>'), { options: { check: true } });
  assert.equal(run.status['promote/host1'], 'changed');
  assert.match(msgOf(run, 'promote'), /would run: .*member promote '<ID of the learner added above>'/);
  assert.deepEqual(run.fakes.get('host1')?.commands ?? [], []);
});

test('outside check mode the placeholder ID is refused', async () => {
  const run = await runFake(promote('<ID etcd assigns>'));
  assert.equal(run.status['promote/host1'], 'failed');
  assert.match(msgOf(run, 'promote'), /is the ID a check-mode add reports/);
});
