import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConnectionSpec } from '../../../src/connection/connection-spec.js';
import { sshArgOptions } from '../../../src/connection/ssh-args.js';

test('UserKnownHostsFile and StrictHostKeyChecking are read from ansible_ssh_common_args / extra_args', () => {
  assert.deepEqual(
    sshArgOptions({ ansible_ssh_common_args: '-o UserKnownHostsFile=/lab/known_hosts -o StrictHostKeyChecking=yes -o ConnectTimeout=3' }),
    {
      knownHostsFiles: ['/lab/known_hosts'],
      acceptNewHostKeys: false,
    },
  );
  assert.deepEqual(sshArgOptions({ ansible_ssh_extra_args: "-oStrictHostKeyChecking=accept-new '-oUserKnownHostsFile=/a /b'" }), {
    acceptNewHostKeys: true,
    knownHostsFiles: ['/a', '/b'],
  });
  assert.deepEqual(sshArgOptions({}), {});
});

test('the CLI --known-hosts wins over the inventory, which wins over ~/.ssh/known_hosts', () => {
  const vars = { ansible_host: '127.0.1.1', ansible_ssh_common_args: '-o UserKnownHostsFile=/lab/known_hosts' };
  assert.deepEqual(resolveConnectionSpec('h', vars).spec?.knownHostsFiles, ['/lab/known_hosts']);
  assert.deepEqual(resolveConnectionSpec('h', vars, { knownHostsFiles: ['/cli'] }).spec?.knownHostsFiles, ['/cli']);
  assert.match(resolveConnectionSpec('h', { ansible_host: 'x' }).spec?.knownHostsFiles[0] ?? '', /\.ssh\/known_hosts$/);
});
