import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectError } from '../../../src/errors/connect-error.js';
import { authMethods, toConnectError } from '../../../src/transports/ssh-errors.js';
import type { ConnectionSpec } from '../../../src/connection/types.js';

const spec: ConnectionSpec = {
  host: 'etcd1',
  connection: 'ssh',
  address: '127.1.2.3',
  port: 2200,
  user: 'ops',
  password: 'hunter2',
  knownHostsFiles: [],
  acceptNewHostKeys: false,
  connectTimeoutMs: 4000,
  keepaliveIntervalMs: 5000,
  maxChannels: 8,
  useAgent: false,
};
const err = (props: Record<string, string>): Error => Object.assign(new Error(props['message'] ?? 'x'), props);

test('ssh2 and socket errors map to ConnectError kinds with host and address:port', () => {
  const cases: Array<[Error, string, RegExp]> = [
    [err({ code: 'ECONNREFUSED' }), 'refused', /^cannot connect to etcd1 \(127\.1\.2\.3:2200\): connection refused/],
    [err({ code: 'ENOTFOUND' }), 'dns', /cannot resolve host name 127\.1\.2\.3/],
    [err({ code: 'ETIMEDOUT' }), 'timeout', /timed out/],
    [err({ level: 'client-timeout' }), 'timeout', /no SSH handshake within 4000 ms/],
    [
      err({ level: 'client-authentication', message: 'All configured authentication methods failed' }),
      'auth',
      /authentication failed for user ops \(tried: password\)/,
    ],
    [err({ code: 'ECONNRESET' }), 'closed', /closed/],
    [err({ level: 'protocol', message: 'weird' }), 'other', /weird/],
  ];
  for (const [e, kind, re] of cases) {
    const c = toConnectError(e, spec, authMethods(spec, undefined, false));
    assert.equal(c.failure, kind);
    assert.match(c.message, re);
    assert.ok(!c.message.includes('hunter2'));
  }
  const same = new ConnectError('etcd1', 'key-file', 'k');
  assert.equal(toConnectError(same, spec, ''), same);
});

test('auth method list names files and methods, never secrets', () => {
  assert.equal(authMethods(spec, '/k/id', true), 'public key /k/id, ssh-agent, password');
  assert.match(authMethods({ ...spec, password: undefined }, undefined, false), /none configured/);
});
