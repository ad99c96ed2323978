import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInventory } from '../../../src/inventory/index.js';
import { copyOf, edited } from './helpers.js';

const FIXTURE = 'yaml/cluster.yaml';

/** Runs one edit on a fresh copy, checks exit 0, the exact file text, and that the result loads without problems. */
async function expectEdit(args: string[], expected: (orig: string) => string) {
  const c = await copyOf(FIXTURE);
  const run = await c.inv(...args);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  assert.equal(await c.read(), expected(c.original));
  assert.deepEqual(await c.files(), ['cluster.yaml'], 'no temp file left');
  const { inventory, problems } = await loadInventory([c.path]);
  assert.deepEqual(problems, []);
  return inventory;
}

test('add-host appends to the group, typed values, comments and blank lines kept', async () => {
  const inv = await expectEdit(
    ['add-host', 'master04', '--group', 'masters', '--var', 'ansible_host=127.0.0.14', '--var', 'etcd_port=2380'],
    (o) =>
      edited(
        o,
        '          ansible_host: 127.0.0.13\n',
        '          ansible_host: 127.0.0.13\n        master04:\n          ansible_host: 127.0.0.14\n          etcd_port: 2380\n',
      ),
  );
  assert.equal(inv.hosts.get('master04')?.vars['etcd_port'], 2380);
});

test('add-host --create makes the group under all.children', async () => {
  const inv = await expectEdit(
    ['add-host', 'edge01', '--group', 'edge', '--create'],
    (o) => `${o}    edge:\n      hosts:\n        edge01:\n`,
  );
  assert.deepEqual(inv.groups.get('edge')?.hosts, ['edge01']);
});

test('remove-host removes every entry of the host; the blank line after it stays', async () => {
  await expectEdit(['remove-host', 'master02'], (o) =>
    edited(o, '        master02:\n          ansible_host: 127.0.0.12   # rack B\n          etcd_token: abc\n', ''),
  );
});

test('remove-host --group removes the host from that group only', async () => {
  const inv = await expectEdit(['remove-host', 'bastion', '--group', 'all'], (o) =>
    edited(o, '  hosts:\n    bastion:\n      ansible_host: 203.0.113.10\n', ''),
  );
  assert.equal(inv.hosts.has('bastion'), false);
});

test('add-group --parent adds a child reference', async () => {
  const inv = await expectEdit(['add-group', 'etcd', '--parent', 'k8s'], (o) => `${o}        etcd:\n`);
  assert.ok(inv.groups.get('k8s')?.children.includes('etcd'));
});

test('add-group without parent goes under all.children', async () => {
  await expectEdit(['add-group', 'storage'], (o) => `${o}    storage:\n`);
});

test('set-var --host replaces a value in place (comment kept) and adds a new one', async () => {
  const inv = await expectEdit(['set-var', '--host', 'master02', 'ansible_host=127.9.9.9', 'ansible_port=2222'], (o) =>
    edited(
      o,
      '          ansible_host: 127.0.0.12   # rack B\n          etcd_token: abc\n',
      '          ansible_host: 127.9.9.9 # rack B\n          etcd_token: abc\n          ansible_port: 2222\n',
    ),
  );
  assert.equal(inv.hosts.get('master02')?.vars['ansible_port'], 2222);
});

test('set-var --host on a flow mapping stays in flow style', async () => {
  await expectEdit(['set-var', '--host', 'master01', 'ansible_user=core'], (o) =>
    edited(o, 'master01: { ansible_host: 127.0.0.11 }', 'master01: { ansible_host: 127.0.0.11, ansible_user: core }'),
  );
});

test('set-var --group writes into the group vars', async () => {
  const inv = await expectEdit(['set-var', '--group', 'masters', 'etcd_port=2381', 'debug=true'], (o) =>
    edited(o, '        etcd_port: 2379\n', '        etcd_port: 2381\n        debug: true\n'),
  );
  assert.equal(inv.groups.get('masters')?.vars['debug'], true);
});

test('unset-var --host and --group', async () => {
  await expectEdit(['unset-var', '--host', 'master02', 'etcd_token'], (o) => edited(o, '          etcd_token: abc\n', ''));
  await expectEdit(['unset-var', '--group', 'masters', 'etcd_port'], (o) => edited(o, '      vars:\n        etcd_port: 2379\n', ''));
});

test('unset-var of the last host variable leaves an empty entry', async () => {
  await expectEdit(['unset-var', '--host', 'master01', 'ansible_host'], (o) =>
    edited(o, 'master01: { ansible_host: 127.0.0.11 }', 'master01:'),
  );
});
