// Check mode over fake hosts: nothing that changes a host is exec'd, later steps plan on what earlier planned steps
// would have done (issue 18 item 3), every changed task shows its command at default verbosity, secrets stay masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFake } from '../../support/engine.js';
import { checkSummary } from '../../../src/engine/check-summary.js';
import { PlainRenderer } from '../../../src/ui/plain.js';
import { DryRunState } from '../../../src/tasks/dry-run-state.js';
import type { FakeTransport } from '../../../src/transports/fake.js';

const check = { options: { check: true } };

/** A master whose etcd manifest is in place (the static pod runs). */
function runningPod(f: FakeTransport): void {
  f.on(/echo where=both/, () => ({ stdout: 'where=manifests\napiVersion: v1\nkind: Pod\n' }));
}

test('check mode: a static pod stopped then started is planned as stop and start (the start is not "ok, already running"), nothing moved', async () => {
  const run = await runFake(
    `- hosts: host1
  tasks:
    - name: stop etcd
      static_pod: { name: etcd, state: stopped }
    - name: start etcd
      static_pod: { name: etcd, state: started }
`,
    { ...check, setup: runningPod },
  );
  assert.equal(run.code, 0);
  const [stop] = run.results('stop etcd');
  const [start] = run.results('start etcd');
  assert.equal(stop?.status, 'changed');
  assert.match(
    stop?.msg ?? '',
    /would run: mkdir -p -m 0700 -- \/etc\/kubernetes\/manifests-parked && mv -- \/etc\/kubernetes\/manifests\/etcd\.yaml /,
  );
  assert.equal(start?.status, 'changed');
  assert.match(
    start?.msg ?? '',
    /would run: mv -- \/etc\/kubernetes\/manifests-parked\/etcd\.yaml \/etc\/kubernetes\/manifests\/etcd\.yaml/,
  );
  assert.ok(!run.fakes.get('host1')?.commands.some((c) => /^mkdir|^mv /.test(c)), 'nothing was moved');
});

test('check mode: a path a skipped `mv` would have moved is planned as gone; a file a planned write makes is planned as there', async () => {
  const run = await runFake(
    `- hosts: host1
  tasks:
    - name: keep the data dir
      command: mv /var/lib/etcd /var/lib/etcd.kept
    - name: the data dir is gone
      file: { path: /var/lib/etcd, state: absent }
    - name: the kept one is removed
      file: { path: /var/lib/etcd.kept, state: absent }
    - name: write the state
      copy: { dest: /var/lib/tsplay/state, content: "x" }
    - name: remove the state
      file: { path: /var/lib/tsplay/state, state: absent }
`,
    {
      ...check,
      setup: (f) =>
        f.on(/__absent__/, (req) => ({
          stdout: /-e \/var\/lib\/etcd \]/.test(req.command) ? 'directory|755|root|root|4096|0|0|0\n' : '__absent__\n',
        })),
    },
  );
  assert.equal(run.code, 0);
  assert.equal(run.status['keep the data dir/host1'], 'skipped');
  assert.equal(run.results('keep the data dir')[0]?.msg, 'check mode: would run: mv /var/lib/etcd /var/lib/etcd.kept');
  assert.equal(run.status['the data dir is gone/host1'], 'ok', 'already moved away by the step before');
  assert.match(run.results('the kept one is removed')[0]?.msg ?? '', /would run: rm -rf -- \/var\/lib\/etcd\.kept/);
  assert.equal(run.status['remove the state/host1'], 'changed', 'the write before would have made it');
});

test("check mode: changed_when and failed_when are not judged on a skipped command; until sees Ansible's rc 0 and empty output", async () => {
  const run = await runFake(
    `- hosts: host1
  tasks:
    - name: install
      shell: install-tool
      register: out
      changed_when: "'already installed' not in out.stdout"
      failed_when: out.rc > 1
    - name: poll
      command: probe
      register: p
      until: p.rc == 0 and p.stdout == ''
      retries: 5
      delay: 0
    - name: fails anyway
      shell: probe
      failed_when: true
`,
    check,
  );
  assert.equal(run.code, 0);
  assert.equal(run.status['install/host1'], 'skipped');
  assert.equal(run.status['poll/host1'], 'skipped');
  assert.equal(run.status['fails anyway/host1'], 'skipped');
  assert.equal(run.events.filter((e) => e.type === 'host-retry').length, 0);
  assert.deepEqual(run.fakes.get('host1')?.commands ?? [], []);
});

const members = (list: Array<[string, string, string]>) =>
  JSON.stringify({
    header: {},
    members: list.map(([id, name, ip]) => ({
      ID: BigInt(`0x${id}`).toString(),
      name,
      peerURLs: [`https://${ip}:2380`],
      clientURLs: [`https://${ip}:2379`],
    })),
  }).replace(/"ID":"(\d+)"/g, '"ID":$1');

test('check mode: replacing a member plans remove, then the learner add as changed (not "already a member"), then promote', async () => {
  const run = await runFake(
    `- hosts: host1
  tasks:
    - name: remove
      etcd_member: { action: remove, name: m3, endpoints: "https://127.0.1.1:2379", force: true }
    - name: add
      etcd_member: { action: add, name: m3, peer_urls: "https://127.0.1.3:2380", learner: true, endpoints: "https://127.0.1.1:2379" }
      register: added
    - name: promote
      etcd_member: { action: promote, name: m3, endpoints: "https://127.0.1.1:2379" }
    - name: the new member's cluster
      debug: { msg: "{{added.initial_cluster}}" }
`,
    {
      ...check,
      setup: (f) => {
        f.on(/member list/, () => ({
          stdout: members([
            ['a1', 'm1', '127.0.1.1'],
            ['a2', 'm2', '127.0.1.2'],
            ['a3', 'm3', '127.0.1.3'],
          ]),
        }));
        f.on(/endpoint health/, () => ({
          stdout: JSON.stringify([
            { endpoint: 'https://127.0.1.1:2379', health: true },
            { endpoint: 'https://127.0.1.2:2379', health: true },
          ]),
        }));
      },
    },
  );
  assert.equal(run.code, 0, JSON.stringify(run.events.filter((e) => e.type === 'host-result')));
  assert.match(run.results('remove')[0]?.msg ?? '', /would run: .*member remove a3$/m);
  assert.equal(run.status['add/host1'], 'changed');
  assert.match(run.results('add')[0]?.msg ?? '', /would run: .*member add m3 --peer-urls=https:\/\/127\.0\.1\.3:2380 --learner/);
  assert.equal(run.status['promote/host1'], 'changed');
  assert.match(run.results('promote')[0]?.msg ?? '', /member promote/);
  assert.equal(
    run.results("the new member's cluster")[0]?.msg,
    'm1=https://127.0.1.1:2380,m2=https://127.0.1.2:2380,m3=https://127.0.1.3:2380',
  );
  assert.ok(!run.fakes.get('host1')?.commands.some((c) => /member (remove|add|promote)/.test(c)), 'membership untouched');
});

test('check mode: the plan is shown at default verbosity, one "would run" line per command, secrets masked', async () => {
  const run = await runFake(
    `- hosts: host1
  vars: { db_password: "hunter2-secret-value" }
  tasks:
    - name: use the secret
      shell: "login --password {{db_password}}"
    - name: two items
      command: "touch /tmp/{{item}}"
      loop: [a, b]
`,
    check,
  );
  let out = '';
  const plain = new PlainRenderer({ out: (s) => (out += s), err: (s) => (out += s) }, 0);
  for (const e of run.events) plain.handle(e);
  assert.match(out, /skipping: \[host1\] \(\d+ms\) => check mode: would run: login --password \*{8}/);
  assert.ok(!out.includes('hunter2-secret-value'));
  assert.match(out, /would run: touch \/tmp\/a\ncheck mode: would run: touch \/tmp\/b/);
});

test('checkSummary: the message, then each command it does not already quote; nothing for a real result', () => {
  assert.equal(
    checkSummary({ changed: true, check_mode: true, msg: 'check mode: would save', would_run: ['a b', 'cmd-two'] }),
    'check mode: would save\nwould run: a b\nwould run: cmd-two',
  );
  assert.equal(
    checkSummary({ changed: true, check_mode: true, msg: 'check mode: would run: a b', would_run: 'a b' }),
    'check mode: would run: a b',
  );
  assert.equal(checkSummary({ changed: true, msg: 'done' }), undefined);
});

test('DryRunState: mv and cp argv are understood, other commands are not; paths are per host', () => {
  const s = new DryRunState();
  s.noteCommand('h1', ['mv', '/var/lib/etcd/', '/var/lib/etcd.kept']);
  s.noteCommand('h1', ['cp', '-p', '/w/full.db', '/w/final.db']);
  s.noteCommand('h1', ['rm', '-rf', '/x']);
  assert.equal(s.pathState('h1', '/var/lib/etcd'), false);
  assert.equal(s.pathState('h1', '/var/lib/etcd.kept'), true);
  assert.equal(s.sourceOf('h1', '/var/lib/etcd.kept'), '/var/lib/etcd', 'read where it still is');
  s.noteCommand('h1', ['mv', '/var/lib/etcd.kept', '/var/lib/etcd.twice']);
  assert.equal(s.sourceOf('h1', '/var/lib/etcd.twice'), '/var/lib/etcd');
  assert.equal(s.sourceOf('h1', '/var/lib/etcd.kept'), undefined);
  assert.equal(s.pathState('h1', '/w/full.db'), undefined);
  assert.equal(s.pathState('h1', '/w/final.db'), true);
  assert.equal(s.pathState('h1', '/x'), undefined);
  assert.equal(s.pathState('h2', '/var/lib/etcd'), undefined);
});
