// service/systemd over the fake transport: the probe is answered as a host would (SysV or systemd), the plan's
// commands are recorded. The lab hosts have no systemd, so the SysV path is the one drilled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTransport } from '../../../src/transports/fake.js';
import { serviceModule, systemdModule } from '../../../src/tasks/service.js';
import type { ModuleContext } from '../../../src/tasks/module.js';

function host(probeOut: string): FakeTransport {
  return new FakeTransport('m1').on(/run\/systemd\/system/, { stdout: probeOut }).on(() => true, { stdout: '' });
}

function ctx(t: FakeTransport, check = false): ModuleContext {
  return {
    host: 'm1',
    transport: t,
    check,
    signal: new AbortController().signal,
    become: undefined,
    timeoutMs: undefined,
    env: undefined,
    dir: '/',
    vars: {},
    verbosity: 0,
    render: (s) => s,
    evaluate: () => undefined,
    onOutput: () => undefined,
    confirm: async () => true,
  };
}

test('service on a SysV host starts a stopped script and leaves a running one alone', async () => {
  const stopped = host('sysv\n1 0 0\n');
  const r = await serviceModule.run({ name: 'etcd', state: 'started' }, ctx(stopped));
  assert.deepEqual(r, { name: 'etcd', state: 'started', changed: true });
  assert.equal(stopped.commands[1], '/etc/init.d/etcd start');
  const running = host('sysv\n1 1 0\n');
  const again = await serviceModule.run({ name: 'etcd', state: 'started' }, ctx(running));
  assert.equal(again.changed, false);
  assert.equal(running.commands.length, 1);
});

test('service stopped, restarted, reloaded and enabled on SysV', async () => {
  const t = host('sysv\n1 1 0\n');
  assert.equal((await serviceModule.run({ name: 'etcd', state: 'stopped' }, ctx(t))).changed, true);
  assert.equal(t.commands[1], '/etc/init.d/etcd stop');
  const r = host('sysv\n1 1 1\n');
  assert.equal((await serviceModule.run({ name: 'etcd', state: 'restarted', enabled: true }, ctx(r))).changed, true);
  assert.deepEqual(r.commands.slice(1), ['/etc/init.d/etcd restart']);
  const e = host('sysv\n1 0 0\n');
  const en = await serviceModule.run({ name: 'etcd', enabled: 'yes' }, ctx(e));
  assert.deepEqual([en.changed, en['enabled']], [true, true]);
  assert.match(e.commands[1] ?? '', /update-rc\.d etcd enable/);
  const rl = host('sysv\n1 0 1\n');
  await serviceModule.run({ name: 'etcd', state: 'reloaded' }, ctx(rl));
  assert.equal(rl.commands[1], '/etc/init.d/etcd start');
});

test('check mode reports the command and runs only the probe', async () => {
  const t = host('sysv\n1 0 0\n');
  const r = await serviceModule.run({ name: 'etcd', state: 'started' }, ctx(t, true));
  assert.deepEqual([r.changed, r['would_run']], [true, ['/etc/init.d/etcd start']]);
  assert.equal(t.commands.length, 1);
});

test('systemd hosts use systemctl; systemd on a SysV host and unknown services fail with a message', async () => {
  const t = host('systemd\n1 0 1\n');
  const r = await systemdModule.run({ name: 'kubelet', state: 'started', daemon_reload: true }, ctx(t));
  assert.deepEqual(t.commands.slice(1), ['systemctl daemon-reload', 'systemctl start kubelet']);
  assert.equal(r.changed, true);
  const none = host('none\n');
  const f = await systemdModule.run({ name: 'kubelet', state: 'started' }, ctx(none));
  assert.match(String(f.msg), /systemd is not running on m1/);
  const missing = host('sysv\n0 0 -\n');
  const m = await serviceModule.run({ name: 'nope', state: 'started' }, ctx(missing));
  assert.equal(m.failed, true);
  assert.match(String(m.msg), /cannot find 'service' binary or init script/);
  const bad = await serviceModule.run({ name: 'x; rm -rf /', state: 'started' }, ctx(host('')));
  assert.match(String(bad.msg), /invalid service name/);
});
