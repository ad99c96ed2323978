import { test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir, userInfo } from 'node:os';
import { resolveBecome } from '../../../src/connection/become-settings.js';
import { resolveConnectionSpec } from '../../../src/connection/connection-spec.js';

test('defaults: ssh to the host name on port 22 as the current user, ~/.ssh/known_hosts', () => {
  const { spec, problems } = resolveConnectionSpec('web1', {}, { useAgent: false });
  assert.deepEqual(problems, []);
  assert.deepEqual(spec, {
    host: 'web1',
    connection: 'ssh',
    address: 'web1',
    port: 22,
    user: userInfo().username,
    privateKeyFile: undefined,
    password: undefined,
    knownHostsFiles: [`${homedir()}/.ssh/known_hosts`],
    acceptNewHostKeys: false,
    connectTimeoutMs: 10000,
    keepaliveIntervalMs: 5000,
    maxChannels: 8,
    useAgent: false,
  });
});

test('Ansible vars win over CLI options; INI strings are parsed', () => {
  const vars = {
    ansible_host: '127.0.0.5',
    ansible_port: '2222',
    ansible_user: 'deploy',
    ansible_ssh_private_key_file: '~/.ssh/lab',
    ansible_ssh_pass: 'pw',
    ansible_connection: 'paramiko',
    ansible_timeout: '7',
  };
  const { spec } = resolveConnectionSpec('db1', vars, {
    user: 'cli-user',
    privateKeyFile: '/cli/key',
    knownHostsFiles: ['/k1', '/k2'],
    acceptNewHostKeys: true,
    connectTimeoutMs: 1000,
  });
  assert.equal(spec?.address, '127.0.0.5');
  assert.equal(spec?.port, 2222);
  assert.equal(spec?.user, 'deploy');
  assert.equal(spec?.privateKeyFile, `${homedir()}/.ssh/lab`);
  assert.equal(spec?.password, 'pw');
  assert.equal(spec?.connection, 'ssh');
  assert.equal(spec?.connectTimeoutMs, 7000);
  assert.deepEqual(spec?.knownHostsFiles, ['/k1', '/k2']);
  assert.equal(spec?.acceptNewHostKeys, true);
  const cli = resolveConnectionSpec('db1', {}, { user: 'cli-user', privateKeyFile: '/cli/key' }).spec;
  assert.deepEqual([cli?.user, cli?.privateKeyFile], ['cli-user', '/cli/key']);
  assert.equal(resolveConnectionSpec('x', { ansible_password: 'a', ansible_ssh_pass: 'b' }).spec?.password, 'a');
});

test('ansible_connection: local, smart and ssh accepted; others reported', () => {
  assert.equal(resolveConnectionSpec('localhost', { ansible_connection: 'local' }).spec?.connection, 'local');
  assert.equal(resolveConnectionSpec('h', { ansible_connection: 'smart' }).spec?.connection, 'ssh');
  const r = resolveConnectionSpec('h', { ansible_connection: 'winrm' });
  assert.equal(r.spec, undefined);
  assert.deepEqual(r.problems, [
    { host: 'h', message: 'ansible_connection "winrm" is not supported', hint: 'tsplay supports ssh and local' },
  ]);
});

test('every bad value is reported, with the variable name', () => {
  const r = resolveConnectionSpec('h', { ansible_port: 'ssh', ansible_timeout: '-3', ansible_connection: 'docker' });
  assert.deepEqual(
    r.problems.map((p) => p.message),
    [
      'ansible_connection "docker" is not supported',
      'ansible_port must be a port number (1-65535), got "ssh"',
      'ansible_timeout must be a positive number of seconds, got "-3"',
    ],
  );
  assert.match(resolveConnectionSpec('h', { ansible_port: 70000 }).problems[0]?.message ?? '', /70000/);
});

test('resolveBecome: keywords, vars overriding them (Ansible precedence), password, sudo only', () => {
  assert.deepEqual(resolveBecome({}, {}), { problems: [] });
  assert.deepEqual(resolveBecome({}, { become: true }), { become: { user: 'root', password: undefined }, problems: [] });
  assert.deepEqual(resolveBecome({ ansible_become_pass: 'pw' }, { become: true, become_user: 'etcd' }).become, {
    user: 'etcd',
    password: 'pw',
  });
  assert.deepEqual(
    resolveBecome({ ansible_become: 'yes', ansible_become_user: 'postgres', ansible_become_password: 'p2' }, { become_user: 'etcd' })
      .become,
    { user: 'postgres', password: 'p2' },
  );
  assert.equal(resolveBecome({ ansible_become: 'false' }, { become: true }).become, undefined);
  assert.match(
    resolveBecome({ ansible_become_method: 'su' }, { become: true }).problems[0]?.message ?? '',
    /become method "su" is not supported/,
  );
  assert.match(resolveBecome({ ansible_become: 'maybe' }).problems[0]?.message ?? '', /ansible_become must be a boolean/);
});
