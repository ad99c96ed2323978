import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tsplay } from '../../support/cli.js';
import { FIXTURES } from './helpers.js';

const INI = join(FIXTURES, 'ini/hosts.ini');
const YAML = join(FIXTURES, 'yaml/cluster.yaml');

const masked = (extra: Record<string, unknown>) => ({ etcd_password: '********', ntp_server: 'pool.ntp.org', ...extra });

test('list --json has the shape of ansible-inventory --list, secrets masked', async () => {
  const run = await tsplay(['inventory', 'list', '--json', '-i', INI]);
  assert.equal(run.code, 0, run.stderr);
  const expected = {
    _meta: {
      hostvars: {
        bastion: masked({ ansible_host: '203.0.113.10' }),
        master01: masked({ ansible_host: '127.0.0.11', etcd_port: 2379 }),
        master02: masked({ ansible_host: '127.0.0.12', etcd_port: 2379, etcd_token: '********' }),
        master03: masked({ ansible_host: '127.0.0.13', etcd_port: 2379 }),
        worker01: masked({}),
        worker02: masked({}),
        worker03: masked({}),
      },
    },
    all: { children: ['ungrouped', 'k8s'] },
    k8s: { children: ['masters', 'workers'] },
    masters: { hosts: ['master01', 'master02', 'master03'] },
    ungrouped: { hosts: ['bastion'] },
    workers: { hosts: ['worker01', 'worker02', 'worker03'] },
  };
  assert.deepEqual(JSON.parse(run.stdout), expected);
  assert.ok(
    run.stdout.startsWith('{\n    "_meta": {\n        "hostvars": {\n            "bastion": {\n                "ansible_host"'),
    'sorted keys, 4-space indent',
  );
});

test('list --show-secrets shows the values; empty groups are left out of --json', async () => {
  const run = await tsplay(['inventory', 'list', '--json', '--show-secrets', '-i', INI, '-i', 'extra,']);
  const out = JSON.parse(run.stdout) as { _meta: { hostvars: Record<string, Record<string, unknown>> }; ungrouped: { hosts: string[] } };
  assert.equal(out._meta.hostvars['master02']?.['etcd_token'], 'abc');
  assert.equal(out._meta.hostvars['master02']?.['etcd_password'], 's3cr3t');
  assert.deepEqual(out.ungrouped.hosts, ['bastion', 'extra']);
  assert.equal('extra' in out._meta.hostvars, true);
});

test('graph is exactly ansible-inventory --graph', async () => {
  const run = await tsplay(['inventory', 'graph', '-i', INI]);
  assert.equal(run.code, 0);
  assert.equal(
    run.stdout,
    [
      '@all:',
      '  |--@k8s:',
      '  |  |--@masters:',
      '  |  |  |--master01',
      '  |  |  |--master02',
      '  |  |  |--master03',
      '  |  |--@workers:',
      '  |  |  |--worker01',
      '  |  |  |--worker02',
      '  |  |  |--worker03',
      '  |--@ungrouped:',
      '  |  |--bastion',
      '',
    ].join('\n'),
  );
  const sub = await tsplay(['inventory', 'graph', 'k8s', '-i', YAML]);
  assert.equal(sub.stdout.split('\n')[0], '@k8s:');
});

test('human list and show mask secrets unless --show-secrets', async () => {
  const list = await tsplay(['inventory', 'list', '-i', YAML]);
  assert.match(list.stdout, /^all\n {2}vars: ntp_server=pool\.ntp\.org etcd_password=\*{8}\n/);
  assert.doesNotMatch(list.stdout, /s3cr3t|abc/);
  const show = await tsplay(['inventory', 'show', 'master02', '-i', YAML]);
  assert.equal(show.code, 0);
  assert.match(show.stdout, /^host master02 {2}\(.*cluster\.yaml:15:9\)\ngroups: all, masters\*, k8s/);
  assert.match(show.stdout, /\n {2}etcd_port: 2379\n {2}etcd_token: "\*{8}"\n/);
  const plain = await tsplay(['inventory', 'show', 'master02', '--show-secrets', '-i', YAML]);
  assert.match(plain.stdout, /etcd_token: "abc"/);
  const missing = await tsplay(['inventory', 'show', 'master2', '-i', YAML]);
  assert.equal(missing.code, 5);
  assert.match(missing.stderr, /host "master2" is not in the inventory \(did you mean "master02"\?\)/);
});

test('read-only commands accept several -i and report inventory problems with file:line:col', async () => {
  const run = await tsplay(['inventory', 'graph', '-i', join(FIXTURES, 'broken/hosts.ini')]);
  assert.equal(run.code, 5);
  assert.match(run.stderr, /hosts\.ini:5:1: section \[k8s:children\] includes group "mastres"/);
});
