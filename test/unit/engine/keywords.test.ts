import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecRequest } from '../../../src/transports/transport.js';
import { runFake } from '../../support/engine.js';

// Inherited keywords reach the module run: become and become_user from the play and the blocks around a task (the
// innermost wins, a {{ template }} rendered with the host's variables), the environment merged, a task's own
// setting last; an include's `when` judged once, at the include.
test('become, become_user and environment come from the play and the blocks, templates rendered per host', async () => {
  const run = await runFake(
    `- hosts: g
  become: true
  environment: { E_PLAY: p, E_OVER: p }
  vars: { who: "svc-{{ inventory_hostname }}" }
  tasks:
    - name: outer
      become_user: "{{ who }}"
      environment: { E_OVER: block }
      block:
        - name: as the block's user
          command: id -un
        - name: own become off
          command: id -un
          become: false
    - name: the play's become, default user
      command: id -un
`,
    { hosts: 2 },
  );
  assert.equal(run.code, 0, JSON.stringify(run.events.filter((e) => e.type === 'host-result')));
  const execs = (host: string): ExecRequest[] => (run.fakes.get(host)?.calls ?? []).flatMap((c) => (c.kind === 'exec' ? [c.req] : []));
  for (const host of ['host1', 'host2']) {
    const [blockUser, off, play] = execs(host);
    assert.deepEqual(blockUser?.become, { user: `svc-${host}`, password: undefined });
    assert.deepEqual(blockUser?.env, { E_PLAY: 'p', E_OVER: 'block' });
    assert.equal(off?.become, undefined);
    assert.deepEqual(play?.become, { user: 'root', password: undefined });
    assert.deepEqual(play?.env, { E_PLAY: 'p', E_OVER: 'p' });
  }
});
