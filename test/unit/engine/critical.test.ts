import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/engine/events.js';
import { runFake } from '../../support/engine.js';

// issue 18.1: a deadline or one Ctrl-C never stops inside a critical section; a second one rolls back.

const RESTORE_LIKE = `- name: prepare
  hosts: g
  tasks:
    - name: before
      command: "true"
- name: restore
  hosts: g
  critical: restore
  duration: 2s
  tasks:
    - name: the section
      block:
        - name: stop etcd
          command: stop-etcd
        - name: restore data
          command: restore-data
        - name: start etcd
          command: start-etcd
      rescue:
        - name: roll back
          command: roll-back
- name: apiserver
  hosts: g
  critical: restore
  duration: 1s
  serial: 1
  tasks:
    - name: start apiserver
      command: start-apiserver
- name: final
  hosts: g
  tasks:
    - name: check
      command: check
`;

const ran = (run: { fakes: Map<string, { commands: string[] }> }, host = 'host1') => run.fakes.get(host)?.commands ?? [];
const of = <T extends EngineEvent['type']>(events: EngineEvent[], type: T) =>
  events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

test('a deadline that falls inside a critical section does not cut it: the section either does not start or runs to its end', async () => {
  // the deadline (20 s away) leaves no room for the section's declared 60 s: it does not start, nothing in it ran
  const refused = await runFake(RESTORE_LIKE.replace('duration: 2s', 'duration: 59s'), {
    options: { deadline: new Date(Date.now() + 20_000) },
  });
  assert.equal(refused.code, 99);
  assert.deepEqual(ran(refused), ['true']);
  const end = of(refused.events, 'run-end')[0];
  assert.match(
    end?.stopped?.reason ?? '',
    /critical section "restore" needs about 60s \(declared 60s\) but the deadline .* away: not started/,
  );
  assert.equal(end?.complete, false);

  // a slow "restore data" makes the deadline pass inside the section: it still runs to its end (apiserver started)
  const slow = await runFake(RESTORE_LIKE, {
    hosts: 2,
    options: { deadline: new Date(Date.now() + 8000) },
    setup: (f) =>
      f.on('restore-data', async () => {
        await new Promise((r) => setTimeout(r, 8300));
        return { stdout: 'restored' };
      }),
  });
  assert.deepEqual(ran(slow), ['true', 'stop-etcd', 'restore-data', 'start-etcd', 'start-apiserver']);
  assert.equal(slow.code, 99, 'the deadline stops the run after the section');
  const sec = of(slow.events, 'section-end')[0];
  assert.equal(sec?.outcome, 'done');
  assert.ok((sec?.durationMs ?? 0) >= 8300);
  assert.match(of(slow.events, 'run-end')[0]?.stopped?.reason ?? '', /deadline .* reached/);
});

test('a measured duration from earlier runs is judged like a declared one', async () => {
  const run = await runFake(RESTORE_LIKE, { options: { deadline: new Date(Date.now() + 5000), sectionHistory: { restore: 60_000 } } });
  assert.equal(run.code, 99);
  assert.match(of(run.events, 'run-end')[0]?.stopped?.reason ?? '', /needs about 60s \(declared 3s, measured 60s in an earlier run\)/);
});

test('the history of earlier runs is read once, when a critical section is first met, never by a run without one', async () => {
  let reads = 0;
  const history = (): Record<string, number> => {
    reads++;
    return { restore: 60_000 };
  };
  const plain = await runFake(`- hosts: g\n  tasks:\n    - name: one\n      command: "true"\n`, { options: { sectionHistory: history } });
  assert.equal(plain.code, 0);
  assert.equal(reads, 0, 'no critical section: the journals are not read');
  const run = await runFake(RESTORE_LIKE, { options: { deadline: new Date(Date.now() + 5000), sectionHistory: history } });
  assert.equal(run.code, 99);
  assert.equal(reads, 1);
  assert.match(of(run.events, 'run-end')[0]?.stopped?.reason ?? '', /measured 60s in an earlier run/);
});

test('one Ctrl-C inside a critical section lets it finish, then stops before the next task (resumable)', async () => {
  const stop = new AbortController();
  const run = await runFake(RESTORE_LIKE, {
    options: { signal: stop.signal },
    setup: (f) =>
      f.on('stop-etcd', () => {
        stop.abort();
        return {};
      }),
  });
  assert.deepEqual(ran(run), ['true', 'stop-etcd', 'restore-data', 'start-etcd', 'start-apiserver']);
  assert.equal(run.code, 99);
  const end = of(run.events, 'run-end')[0];
  assert.equal(end?.stopped?.afterTask, 'start apiserver');
  assert.equal(end?.stopped?.changedSomething, true);
});

test('a second Ctrl-C inside a critical section kills its running command and runs the rescue (the rollback) on every host', async () => {
  const stop = new AbortController();
  const abort = new AbortController();
  const run = await runFake(RESTORE_LIKE, {
    options: { signal: stop.signal, abort: abort.signal },
    setup: (f) =>
      f.on('restore-data', () => {
        if (f.host === 'host1')
          setTimeout(() => {
            stop.abort();
            abort.abort();
          }, 50);
        return { hang: true } as const;
      }),
  });
  for (const h of ['host1', 'host2', 'host3']) assert.deepEqual(ran(run, h), ['true', 'stop-etcd', 'restore-data', 'roll-back'], h);
  const sec = of(run.events, 'section-end')[0];
  assert.equal(sec?.outcome, 'rolled-back');
  assert.ok(
    of(run.events, 'warning').some((w) =>
      /second interrupt inside critical section "restore": stopping its running tasks and rolling back/.test(w.message),
    ),
  );
  // the killed task did not complete: the journal marks it, and the run is stopped early (resumable), not complete
  assert.equal(of(run.events, 'task-end').find((e) => e.task === 'restore data')?.interrupted, true);
  assert.equal(of(run.events, 'run-end')[0]?.complete, false);
});

test('a second Ctrl-C where the section has no rollback does not kill it; a third does', async () => {
  const abort = new AbortController();
  const kill = new AbortController();
  const run = await runFake(RESTORE_LIKE, {
    hosts: 1,
    options: { abort: abort.signal, kill: kill.signal },
    setup: (f) =>
      f.on('start-apiserver', () => {
        abort.abort();
        return { stdout: 'started' };
      }),
  });
  assert.deepEqual(ran(run), ['true', 'stop-etcd', 'restore-data', 'start-etcd', 'start-apiserver']);
  assert.ok(of(run.events, 'warning').some((w) => /has no rollback at this point: it runs to its end/.test(w.message)));
  assert.equal(of(run.events, 'section-end')[0]?.outcome, 'done');

  const abort2 = new AbortController();
  const kill2 = new AbortController();
  const killed = await runFake(RESTORE_LIKE, {
    hosts: 1,
    options: { abort: abort2.signal, kill: kill2.signal },
    setup: (f) =>
      f.on('start-apiserver', () => {
        abort2.abort();
        setTimeout(() => kill2.abort(), 50);
        return { hang: true } as const;
      }),
  });
  assert.equal(killed.results('start apiserver')[0]?.status, 'failed');
  assert.match(of(killed.events, 'run-end')[0]?.stopped?.reason ?? '', /killed inside critical section "restore"/);
});

test('outside critical sections, the first Ctrl-C stops before the next task and the second kills as before', async () => {
  const stop = new AbortController();
  const run = await runFake(RESTORE_LIKE, {
    options: { signal: stop.signal },
    setup: (f) =>
      f.on('true', () => {
        stop.abort();
        return {};
      }),
  });
  assert.deepEqual(ran(run), ['true']);
  assert.equal(of(run.events, 'run-end')[0]?.stopped?.reason, 'interrupted');
  assert.equal(of(run.events, 'section-start').length, 0);
});

test('a critical block is its own section: judged against the deadline before it starts', async () => {
  const yaml = `- hosts: g
  tasks:
    - name: first
      command: "true"
    - name: replace the member
      critical: true
      duration: 10m
      block:
        - name: remove
          command: member-remove
        - name: add
          command: member-add
`;
  const refused = await runFake(yaml, { options: { deadline: new Date(Date.now() + 60_000) } });
  assert.equal(refused.code, 99);
  assert.deepEqual(ran(refused), ['true']);
  assert.match(of(refused.events, 'run-end')[0]?.stopped?.reason ?? '', /critical section "replace the member" needs about 10m00s/);
  const ok = await runFake(yaml, { options: { deadline: new Date(Date.now() + 3_600_000) } });
  assert.equal(ok.code, 0);
  assert.deepEqual(ran(ok), ['true', 'member-remove', 'member-add']);
  assert.deepEqual(
    of(ok.events, 'section-start').map((e) => [e.section, e.expectedMs]),
    [['replace the member', 600_000]],
  );
  assert.equal(of(ok.events, 'run-end')[0]?.complete, true);
});

test('"critical" on a module task is refused at validation', async () => {
  const run = await runFake(`- hosts: g
  tasks:
    - name: one
      command: "true"
      critical: true
`);
  assert.equal(run.code, 5);
  const v = of(run.events, 'validation-failed')[0];
  assert.match(v?.problems.map((p) => p.message).join('\n') ?? '', /"critical" applies to a block or a play/);
});

test('a play-level section can start at a named task: a Ctrl-C before it stops there, after it the section finishes', async () => {
  const yaml = RESTORE_LIKE.replace(
    '  critical: restore\n  duration: 2s\n  tasks:\n    - name: the section',
    '  critical: { name: restore, from: stop etcd }\n  duration: 2s\n  tasks:\n    - name: download\n      command: download\n    - name: the section',
  );
  assert.notEqual(yaml, RESTORE_LIKE);
  const early = new AbortController();
  const before = await runFake(yaml, {
    options: { signal: early.signal },
    setup: (f) =>
      f.on('download', () => {
        early.abort();
        return {};
      }),
  });
  assert.deepEqual(ran(before), ['true', 'download']);
  assert.equal(of(before.events, 'section-start').length, 0);
  const late = new AbortController();
  const inside = await runFake(yaml, {
    options: { signal: late.signal },
    setup: (f) =>
      f.on('stop-etcd', () => {
        late.abort();
        return {};
      }),
  });
  assert.deepEqual(ran(inside), ['true', 'download', 'stop-etcd', 'restore-data', 'start-etcd', 'start-apiserver']);
  // a second Ctrl-C inside it still rolls back through the block's rescue (the block was entered before the section)
  const stop = new AbortController();
  const abort = new AbortController();
  const rolled = await runFake(yaml, {
    options: { signal: stop.signal, abort: abort.signal },
    setup: (f) =>
      f.on('restore-data', () => {
        if (f.host === 'host1')
          setTimeout(() => {
            stop.abort();
            abort.abort();
          }, 50);
        return { hang: true } as const;
      }),
  });
  assert.deepEqual(ran(rolled), ['true', 'download', 'stop-etcd', 'restore-data', 'roll-back']);
  assert.equal(of(rolled.events, 'section-end')[0]?.outcome, 'rolled-back');
});

test('a "from" task the play does not have is refused at validation', async () => {
  const run = await runFake(`- hosts: g
  critical: { name: x, from: nowhere }
  tasks:
    - name: one
      command: "true"
`);
  assert.equal(run.code, 5);
  assert.match(
    of(run.events, 'validation-failed')[0]
      ?.problems.map((p) => p.message)
      .join('\n') ?? '',
    /starts at the task "nowhere", which this play does not have/,
  );
});
