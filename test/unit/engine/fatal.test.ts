// any_errors_fatal when the host that stops the play is unreachable (faults.test.ts drills this on the lab).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FakeTransport } from '../../../src/transports/fake.js';
import { runFake } from '../../support/engine.js';

const unreachable =
  (name: string) =>
  (f: FakeTransport): void => {
    if (f.host === name) (f as unknown as { opts: { connectFailure: string } }).opts.connectFailure = 'refused';
  };

test('any_errors_fatal stopped by an unreachable host: exit code 4, the other hosts are not counted as failed', async () => {
  const run = await runFake(
    `- hosts: g\n  any_errors_fatal: true\n  tasks:\n    - name: one\n      command: "true"\n    - name: two\n      command: "true"\n`,
    { setup: unreachable('host2') },
  );
  assert.equal(run.code, 4);
  assert.deepEqual(run.results('two'), []);
  const end = run.events.find((e) => e.type === 'play-end');
  assert.equal(end?.type === 'play-end' && end.aborted, 'any_errors_fatal: host2 unreachable');
  const recap = run.events.find((e) => e.type === 'recap');
  assert.equal(recap?.type === 'recap' && recap.hosts['host1']?.failed, 0);
  assert.equal(recap?.type === 'recap' && recap.hosts['host2']?.unreachable, 1);
});

test('a rescue answering an unreachable host runs to its end on the other hosts (it was cut after its first task)', async () => {
  const run = await runFake(
    `- hosts: g
  any_errors_fatal: true
  tasks:
    - block:
        - name: step
          command: step
      rescue:
        - name: undo one
          command: undo1
        - name: undo two
          command: undo2
      always:
        - name: tidy one
          command: tidy1
        - name: tidy two
          command: tidy2
    - name: after
      command: "true"
`,
    { setup: unreachable('host2') },
  );
  assert.deepEqual(
    run
      .results('undo one')
      .map((e) => e.host)
      .sort(),
    ['host1', 'host3'],
  );
  assert.deepEqual(
    run
      .results('undo two')
      .map((e) => e.host)
      .sort(),
    ['host1', 'host3'],
  );
  assert.deepEqual(
    run
      .results('tidy two')
      .map((e) => e.host)
      .sort(),
    ['host1', 'host3'],
  );
  // the play still stops after the block: host2 is unreachable and any_errors_fatal holds
  assert.deepEqual(run.results('after'), []);
  assert.equal(run.code, 4);
});

test('a host that fails inside the rescue still stops the rescue on the others (any_errors_fatal)', async () => {
  const run = await runFake(
    `- hosts: g
  any_errors_fatal: true
  tasks:
    - block:
        - name: step
          command: step {{inventory_hostname}}
      rescue:
        - name: undo one
          command: undo1 {{inventory_hostname}}
        - name: undo two
          command: undo2
`,
    {
      setup: (f) => {
        unreachable('host2')(f);
        f.on(/undo1 host3/, { code: 1 });
      },
    },
  );
  assert.deepEqual(run.results('undo two'), []);
  assert.equal(run.code, 2);
});
