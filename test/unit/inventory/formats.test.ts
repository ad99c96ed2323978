import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, varsOf } from './helpers.js';

const HOSTS = [
  'bastion',
  'etcd1.example.com',
  'etcd2.example.com',
  'etcd3.example.com',
  'master01',
  'master02',
  'master03',
  'worker-a',
  'worker-b',
  'worker-c',
  'n1',
  'n5',
  'n9',
];

for (const file of ['ini/hosts.ini', 'yaml/hosts.yml']) {
  test(`${file}: hosts (with ranges) in declaration order, no problems`, async () => {
    const { inventory, problems } = await load(file);
    assert.deepEqual(problems, []);
    assert.deepEqual([...inventory.hosts.keys()], HOSTS);
  });

  test(`${file}: groups, children, all and ungrouped`, async () => {
    const { inventory } = await load(file);
    const g = (name: string) => inventory.groups.get(name);
    assert.deepEqual(g('ungrouped')?.hosts, ['bastion']);
    assert.deepEqual(g('k8s')?.children, ['etcd', 'control_plane']);
    assert.deepEqual([...(g('all')?.children ?? [])].sort(), ['k8s', 'odd', 'ungrouped']);
    assert.deepEqual(inventory.hosts.get('master02')?.groups.slice().sort(), ['all', 'control_plane', 'k8s']);
    assert.deepEqual(inventory.hosts.get('bastion')?.groups.slice().sort(), ['all', 'ungrouped']);
  });

  test(`${file}: variables (host, group, parent group, :port suffix)`, async () => {
    const { inventory } = await load(file);
    assert.deepEqual(varsOf(inventory, 'bastion'), {
      ansible_host: '203.0.113.10',
      ansible_port: 2222,
      check: true,
      raw: 'true',
      mode: '0644',
      name: 'two words',
    });
    assert.deepEqual(varsOf(inventory, 'master01'), { cluster: 'prod', api_port: 6443, label: 'quoted value', ansible_user: 'admin' });
    assert.deepEqual(varsOf(inventory, 'worker-b'), { cluster: 'prod', api_port: 6443, label: 'quoted value', ansible_port: 2200 });
    assert.deepEqual(varsOf(inventory, 'etcd2.example.com'), { cluster: 'prod' });
  });
}

test('both formats load to the same hosts, memberships and variables', async () => {
  const ini = (await load('ini/hosts.ini')).inventory;
  const yaml = (await load('yaml/hosts.yml')).inventory;
  for (const [name, h] of ini.hosts) {
    const y = yaml.hosts.get(name);
    assert.deepEqual(y?.vars, h.vars, name);
    assert.deepEqual(y?.groups.slice().sort(), h.groups.slice().sort(), name);
  }
});

test('host and group sources point at their declaration', async () => {
  const { inventory } = await load('yaml/hosts.yml');
  assert.deepEqual(inventory.hosts.get('master02')?.source, { file: 'yaml/hosts.yml', line: 24, col: 13 });
  assert.deepEqual(inventory.groups.get('odd')?.source, { file: 'yaml/hosts.yml', line: 27, col: 5 });
  const ini = (await load('ini/hosts.ini')).inventory;
  assert.deepEqual(ini.hosts.get('n5')?.source, { file: 'ini/hosts.ini', line: 23, col: 1 });
});

test('comma-separated host lists, localhost, and :port', async () => {
  const { inventory, problems } = await load('localhost,');
  assert.deepEqual(problems, []);
  assert.deepEqual([...inventory.hosts.keys()], ['localhost']);
  assert.deepEqual(inventory.groups.get('ungrouped')?.hosts, ['localhost']);
  const two = (await load('a, b:2222,')).inventory;
  assert.deepEqual([...two.hosts.keys()], ['a', 'b']);
  assert.deepEqual(varsOf(two, 'b'), { ansible_port: 2222 });
  assert.deepEqual(two.sources, ['a, b:2222,']);
});

test('a directory source loads every inventory file (recursively, sorted), skipping ignored ones', async () => {
  const { inventory, problems } = await load('dir-source');
  assert.deepEqual(problems, []);
  assert.deepEqual([...inventory.hosts.keys()], ['web1', 'web2', 'db1', 'web3', 'cache1']);
  assert.equal(inventory.groups.has('junk'), false);
  assert.deepEqual(inventory.groups.get('web')?.hosts, ['web1', 'web2', 'web3']);
  assert.deepEqual(varsOf(inventory, 'cache1'), { dc: 'eu-1' });
});

test('repeated -i sources are merged: hosts declared twice are the same host', async () => {
  const { inventory, problems } = await load('ini/hosts.ini', 'yaml/hosts.yml', 'bastion,extra,');
  assert.deepEqual(problems, []);
  assert.deepEqual([...inventory.hosts.keys()], [...HOSTS, 'extra']);
  assert.deepEqual(inventory.sources, ['ini/hosts.ini', 'yaml/hosts.yml', 'bastion,extra,']);
  assert.equal(varsOf(inventory, 'bastion')['raw'], 'true');
});
