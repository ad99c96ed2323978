import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFake } from '../../support/engine.js';

test('handlers run once at the end of the play, only on hosts whose notifying task changed something', async () => {
  const run = await runFake(
    `- hosts: g
  tasks:
    - name: change
      command: touch x
      changed_when: inventory_hostname != 'host2'
      notify: restart
    - name: later
      command: "true"
  handlers:
    - name: restart
      command: systemctl restart thing
`,
  );
  assert.equal(run.code, 0);
  assert.deepEqual(
    run.results('restart').map((e) => e.host),
    ['host1', 'host3'],
  );
  const order = run.events.filter((e) => e.type === 'task-start').map((e) => (e.type === 'task-start' ? e.task : ''));
  assert.deepEqual(order, ['change', 'later', 'restart']);
});

test('until retries with the registered result, then fails with attempts counted', async () => {
  let n = 0;
  const run = await runFake(
    `- hosts: host1
  tasks:
    - name: poll
      command: check
      register: r
      until: r.stdout == 'ready'
      retries: 4
      delay: 0
    - name: never
      command: check
      register: r2
      until: r2.stdout == 'ready'
      retries: 2
      delay: 0
`,
    { setup: (f) => f.on(/^check$/, () => ({ stdout: ++n >= 3 ? 'ready' : 'wait' })) },
  );
  const poll = run.results('poll')[0];
  assert.equal(poll?.status, 'changed');
  assert.equal(poll?.result['attempts'], 3);
  assert.equal(run.events.filter((e) => e.type === 'host-retry').length, 2 + 0);
  assert.equal(run.status['never/host1'], 'changed');
});

test('failed_when and changed_when override the module; ignore_errors keeps the host going', async () => {
  const run = await runFake(
    `- hosts: host1
  tasks:
    - name: grep
      command: grep x file
      register: g
      failed_when: g.rc > 1
      changed_when: false
    - name: boom
      command: "false"
      ignore_errors: true
    - name: after
      debug: { msg: "grep rc {{g.rc}}" }
`,
    { setup: (f) => f.on(/grep/, { code: 1 }).on(/^false$/, { code: 1 }) },
  );
  assert.equal(run.code, 0);
  assert.equal(run.status['grep/host1'], 'ok');
  assert.equal(run.status['boom/host1'], 'ignored');
  assert.equal(run.results('after')[0]?.msg, 'grep rc 1');
});

test('a failing host drops out; max_fail_percentage stops the play when exceeded', async () => {
  const pb = (pct: number) => `- hosts: g
  max_fail_percentage: ${pct}
  tasks:
    - name: one
      command: step {{inventory_hostname}}
    - name: two
      command: "true"
`;
  const setup = (f: { on: (m: RegExp, r: { code: number }) => unknown }) => f.on(/step host1/, { code: 1 });
  const tolerant = await runFake(pb(50), { setup });
  assert.equal(tolerant.code, 2);
  assert.deepEqual(
    tolerant.results('two').map((e) => e.host),
    ['host2', 'host3'],
  );
  const strict = await runFake(pb(20), { setup });
  assert.deepEqual(strict.results('two'), []);
  const end = strict.events.find((e) => e.type === 'play-end');
  assert.match(end?.type === 'play-end' ? (end.aborted ?? '') : '', /max_fail_percentage 20% exceeded: 1 of 3/);
});

test('any_errors_fatal stops every host after the first failure', async () => {
  const run = await runFake(
    `- hosts: g
  any_errors_fatal: true
  tasks:
    - name: one
      command: step {{inventory_hostname}}
    - name: two
      command: "true"
`,
    { setup: (f) => f.on(/step host2/, { code: 1 }) },
  );
  assert.equal(run.code, 2);
  assert.deepEqual(run.results('two'), []);
});

test('run_once runs on the first host and shares the registered result', async () => {
  const run = await runFake(
    `- hosts: g
  tasks:
    - name: leader
      command: pick
      register: leader
      run_once: true
    - name: show
      debug: { msg: "{{leader.stdout}}" }
`,
    { setup: (f) => f.on(/pick/, () => ({ stdout: `from ${f.host}` })) },
  );
  assert.deepEqual(
    run.results('leader').map((e) => e.host),
    ['host1'],
  );
  assert.deepEqual(
    run.results('show').map((e) => e.msg),
    ['from host1', 'from host1', 'from host1'],
  );
});

test('delegate_to runs on another host with the original host variables', async () => {
  const run = await runFake(
    `- hosts: host1
  tasks:
    - name: remote
      command: echo {{inventory_hostname}}
      delegate_to: host3
`,
  );
  assert.equal(run.code, 0);
  assert.deepEqual(run.fakes.get('host3')?.commands, ['echo host1']);
  assert.equal(run.fakes.get('host1'), undefined, 'host1 was never connected');
});

test('free strategy lets each host run ahead on its own', async () => {
  const run = await runFake(
    `- hosts: g
  strategy: free
  tasks:
    - name: a
      command: a
    - name: b
      command: b
`,
  );
  assert.equal(run.code, 0);
  const ids = new Set(run.events.filter((e) => e.type === 'task-start').map((e) => (e.type === 'task-start' ? e.taskId : '')));
  assert.equal(ids.size, 6);
});

test('loops run per item with when per item, loop_control label and results list', async () => {
  const run = await runFake(
    `- hosts: host1
  tasks:
    - name: each
      command: echo {{item.n}}
      loop: [{ n: 1 }, { n: 2 }, { n: 3 }]
      when: item.n != 2
      register: each
    - name: count
      debug: { msg: "{{length each.results}}" }
`,
  );
  assert.deepEqual(run.fakes.get('host1')?.commands, ['echo 1', 'echo 3']);
  assert.equal(run.results('count')[0]?.msg, '3');
});

test('block / rescue / always: rescue clears the failure, always runs, recap counts rescued', async () => {
  const run = await runFake(
    `- hosts: host1
  tasks:
    - block:
        - name: bad
          command: "false"
        - name: skipped-by-failure
          command: "true"
      rescue:
        - name: fix
          command: fix
      always:
        - name: cleanup
          command: cleanup
`,
    { setup: (f) => f.on(/^false$/, { code: 1 }) },
  );
  assert.equal(run.code, 0);
  assert.deepEqual(run.fakes.get('host1')?.commands, ['false', 'fix', 'cleanup']);
  const recap = run.events.find((e) => e.type === 'recap');
  assert.deepEqual(recap?.type === 'recap' && recap.hosts['host1'], {
    ok: 2,
    changed: 2,
    failed: 0,
    skipped: 0,
    unreachable: 0,
    rescued: 1,
    ignored: 0,
  });
});

test('an unreachable host is counted and gives exit code 4', async () => {
  const run = await runFake(`- hosts: g\n  tasks:\n    - name: p\n      ping:\n`, {
    setup: (f) => {
      f.on(/printf/, { stdout: 'pong' });
      if (f.host === 'host2') (f as unknown as { opts: { connectFailure: string } }).opts.connectFailure = 'refused';
    },
  });
  assert.equal(run.code, 4);
  assert.equal(run.status['p/host2'], 'unreachable');
  assert.equal(run.status['p/host1'], 'ok');
});

test('no_log hides arguments and output but still says that it failed, with the exit code', async () => {
  const run = await runFake(
    `- hosts: host1
  tasks:
    - name: secret
      shell: echo hunter2-topsecret; exit 3
      no_log: true
`,
    { setup: (f) => f.on(/hunter2/, { stdout: 'hunter2-topsecret', code: 3 }) },
  );
  const r = run.results('secret')[0];
  assert.equal(r?.status, 'failed');
  assert.equal(r?.msg, 'failed (rc=3); output hidden by no_log');
  assert.ok(!JSON.stringify(run.events).includes('hunter2'));
});

test('secret-named variables and become passwords are masked in every event', async () => {
  const run = await runFake(
    `- hosts: host1\n  tasks:\n    - name: leak\n      debug: { msg: "token is {{api_token}} pw {{ansible_become_password}}" }\n`,
    {
      inventory: '[g]\nhost1 api_token=tok-123456 ansible_become_password=pw-abcdef\n',
    },
  );
  assert.equal(run.results('leak')[0]?.msg, 'token is ******** pw ********');
});

test('an undefined variable fails the task with its name, the task and file:line:col', async () => {
  // host2 defines data_dir, so validation cannot know that host1 lacks it: the task fails on host1 when it runs.
  const run = await runFake(`- hosts: host1\n  tasks:\n    - name: wipe\n      command: rm -rf {{data_dir}}/member\n`, {
    inventory: '[g]\nhost1\nhost2 data_dir=/var/lib/etcd\n',
  });
  const r = run.results('wipe')[0];
  assert.equal(r?.status, 'failed');
  assert.match(r?.msg ?? '', /undefined variable "data_dir".*play\.yaml:3:7.*host1.*wipe/);
  assert.deepEqual(run.fakes.get('host1')?.commands ?? [], [], 'nothing ran');
});

test('a variable nothing defines is a validation problem at its file:line:col: no host is contacted', async () => {
  const run = await runFake(
    `- hosts: host1\n  vars: { data_dir: /var/lib/etcd }\n  tasks:\n    - name: wipe\n      command: rm -rf {{data_dri}}/member\n`,
  );
  assert.equal(run.code, 5);
  const failed = run.events.find((e) => e.type === 'validation-failed');
  assert.ok(failed?.type === 'validation-failed');
  assert.deepEqual(
    failed.problems.map((p) => [p.loc?.line, p.loc?.col, p.message.split(':')[0], p.hint]),
    [[5, 16, 'undefined variable "data_dri" in template "rm -rf {{data_dri}}/member" in command', 'did you mean "data_dir"?']],
  );
  assert.equal(run.fakes.size, 0, 'no transport was even created');
});

test('the undefined-variable check accepts what could define a variable at run time', async () => {
  const run = await runFake(
    `- hosts: host1
  vars_files: []
  tasks:
    - name: fact
      set_fact: { from_fact: 1 }
    - name: reg
      command: "true"
      register: out
    - name: guarded
      debug: { msg: "{{maybe}}" }
      when: maybe is defined
    - name: defaulted
      debug: { msg: "{{default other 'x'}} {{out.rc}} {{from_fact}} {{inv_var}} {{item}} {{inventory_hostname}}" }
      loop: [1]
    - name: block vars
      block:
        - debug: { msg: "{{inner}}" }
      vars: { inner: 1 }
`,
    { inventory: '[g]\nhost1 inv_var=1\n' },
  );
  assert.equal(run.code, 0, JSON.stringify(run.events.find((e) => e.type === 'validation-failed')));
});

test('tags and --start-at-task select tasks', async () => {
  const pb = `- hosts: host1
  tasks:
    - name: a
      command: a
      tags: [x]
    - name: b
      command: b
    - name: c
      command: c
      tags: [never, debug]
`;
  const tagged = await runFake(pb, { options: { tags: ['x'] } });
  assert.deepEqual(tagged.fakes.get('host1')?.commands, ['a']);
  const start = await runFake(pb, { options: { startAtTask: 'b' } });
  assert.deepEqual(start.fakes.get('host1')?.commands, ['b']);
  const dbg = await runFake(pb, { options: { tags: ['debug'] } });
  assert.deepEqual(dbg.fakes.get('host1')?.commands, ['c']);
});

test('set_fact values and hostvars of other hosts are visible to later tasks', async () => {
  const run = await runFake(
    `- hosts: g
  tasks:
    - set_fact:
        me: "{{inventory_hostname}}-x"
    - name: peer
      debug: { msg: "{{hostvars.host1.me}} {{me}}" }
`,
  );
  assert.deepEqual(
    run.results('peer').map((e) => e.msg),
    ['host1-x host1-x', 'host1-x host2-x', 'host1-x host3-x'],
  );
});

test('check mode: commands are not run, their command line is reported', async () => {
  const run = await runFake(`- hosts: host1\n  tasks:\n    - name: rm\n      command: rm -rf /var/lib/etcd\n`, {
    options: { check: true },
  });
  assert.deepEqual(run.fakes.get('host1')?.commands ?? [], []);
  assert.equal(run.results('rm')[0]?.msg, 'check mode: would run: rm -rf /var/lib/etcd');
});

test('a destructive play refuses to start without a terminal and without --yes, before any connection', async () => {
  let connected = 0;
  const run = await runFake(`- hosts: host1\n  destructive: true\n  tasks:\n    - command: x\n`, { setup: () => connected++ });
  assert.equal(run.code, 5);
  assert.equal(connected, 0);
  const v = run.events.find((e) => e.type === 'validation-failed');
  assert.match(JSON.stringify(v), /destructive: run with --yes/);
  const yes = await runFake(`- hosts: host1\n  destructive: true\n  tasks:\n    - command: x\n`, { options: { yes: true } });
  assert.equal(yes.code, 0);
});

test('any_errors_fatal inside a block: the rescue runs on every host of the batch, not only the one that failed', async () => {
  const run = await runFake(
    `- hosts: g
  any_errors_fatal: true
  tasks:
    - block:
        - name: step
          command: step {{inventory_hostname}}
        - name: after-step
          command: "true"
      rescue:
        - name: undo
          command: undo
        - fail: { msg: rolled back }
`,
    { setup: (f) => f.on(/step host2/, { code: 1 }) },
  );
  assert.equal(run.code, 2);
  assert.deepEqual(
    run
      .results('undo')
      .map((e) => e.host)
      .sort(),
    ['host1', 'host2', 'host3'],
  );
  assert.deepEqual(run.results('after-step'), []);
});

test('run_once runs on the first host whose when holds, and shares that result', async () => {
  const run = await runFake(
    `- hosts: g
  tasks:
    - name: pick
      command: whoami-{{inventory_hostname}}
      register: picked
      run_once: true
      when: inventory_hostname != 'host1'
    - name: show
      debug: { msg: "{{picked.cmd}}" }
`,
  );
  assert.deepEqual(
    run.results('pick').map((e) => [e.host, e.status]),
    [
      ['host1', 'skipped'],
      ['host2', 'changed'],
    ],
  );
  assert.deepEqual(
    run.results('show').map((e) => e.msg),
    ['[\n  "whoami-host2"\n]', '[\n  "whoami-host2"\n]', '[\n  "whoami-host2"\n]'],
  );
});
