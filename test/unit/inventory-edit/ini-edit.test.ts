import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, stat } from 'node:fs/promises';
import { loadInventory } from '../../../src/inventory/index.js';
import { copyOf, edited } from './helpers.js';

const FIXTURE = 'ini/hosts.ini';

async function expectEdit(args: string[], expected: (orig: string) => string) {
  const c = await copyOf(FIXTURE);
  const run = await c.inv(...args);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  assert.equal(await c.read(), expected(c.original));
  assert.deepEqual(await c.files(), ['hosts.ini'], 'no temp file left');
  const { inventory, problems } = await loadInventory([c.path]);
  assert.deepEqual(problems, []);
  return inventory;
}

test('add-host inserts after the last host line of the section; values with spaces are quoted', async () => {
  const inv = await expectEdit(
    ['add-host', 'master04', '--group', 'masters', '--var', 'ansible_host=127.0.0.14', '--var', 'note=rack C'],
    (o) =>
      edited(o, 'master03 ansible_host=127.0.0.13\n', "master03 ansible_host=127.0.0.13\nmaster04 ansible_host=127.0.0.14 note='rack C'\n"),
  );
  assert.equal(inv.hosts.get('master04')?.vars['note'], 'rack C');
});

test('add-host to ungrouped goes to the lines before the first section', async () => {
  await expectEdit(['add-host', 'jump', '--group', 'ungrouped'], (o) =>
    edited(o, 'bastion ansible_host=203.0.113.10\n', 'bastion ansible_host=203.0.113.10\njump\n'),
  );
});

test('add-host --create appends a new section', async () => {
  await expectEdit(['add-host', 'edge01', '--group', 'edge', '--create'], (o) => `${o}\n[edge]\nedge01\n`);
});

test('remove-host deletes the host line only', async () => {
  await expectEdit(['remove-host', 'master02', '--group', 'masters'], (o) =>
    edited(o, 'master02 ansible_host=127.0.0.12 etcd_token=abc  # rack B\n', ''),
  );
});

test('add-group --parent declares the group and lists it under [parent:children]', async () => {
  const inv = await expectEdit(
    ['add-group', 'etcd', '--parent', 'k8s'],
    (o) => `${edited(o, 'masters\nworkers\n', 'masters\nworkers\netcd\n')}\n[etcd]\n`,
  );
  assert.ok(inv.groups.get('k8s')?.children.includes('etcd'));
});

test('set-var --host replaces and appends words before the inline comment', async () => {
  await expectEdit(['set-var', '--host', 'master02', 'ansible_host=127.9.9.9', 'ansible_port=2222'], (o) =>
    edited(
      o,
      'master02 ansible_host=127.0.0.12 etcd_token=abc  # rack B',
      'master02 ansible_host=127.9.9.9 etcd_token=abc ansible_port=2222  # rack B',
    ),
  );
});

test('set-var --group edits [g:vars] or creates the section', async () => {
  await expectEdit(['set-var', '--group', 'masters', 'etcd_port=2381', 'api=https://x'], (o) =>
    edited(o, 'etcd_port=2379\n', 'etcd_port=2381\napi=https://x\n'),
  );
  const inv = await expectEdit(['set-var', '--group', 'workers', 'etcd_port=2381'], (o) => `${o}\n[workers:vars]\netcd_port=2381\n`);
  assert.equal(inv.groups.get('workers')?.vars['etcd_port'], 2381, 'INI group vars are typed as ansible-core 2.14 types them');
});

test('unset-var removes a host word or a [g:vars] line', async () => {
  await expectEdit(['unset-var', '--host', 'master02', 'etcd_token'], (o) => edited(o, ' etcd_token=abc  # rack B', '  # rack B'));
  await expectEdit(['unset-var', '--group', 'all', 'etcd_password'], (o) => edited(o, 'etcd_password=s3cr3t\n', ''));
});

test('the file mode is kept', async () => {
  const c = await copyOf(FIXTURE);
  await chmod(c.path, 0o640);
  assert.equal((await c.inv('add-group', 'storage')).code, 0);
  assert.equal((await stat(c.path)).mode & 0o777, 0o640);
  assert.equal(await c.read(), `${c.original}\n[storage]\n`);
});

test('--dry-run prints a unified diff and leaves the file alone', async () => {
  const c = await copyOf(FIXTURE);
  const run = await c.inv('set-var', '--group', 'masters', 'etcd_port=2381', '--dry-run');
  assert.equal(run.code, 0);
  assert.equal(await c.read(), c.original);
  assert.deepEqual(await c.files(), ['hosts.ini']);
  assert.equal(
    run.stdout,
    [
      `--- ${c.path}`,
      `+++ ${c.path} (edited)`,
      '@@ -8,7 +8,7 @@',
      ' master03 ansible_host=127.0.0.13',
      ' ',
      ' [masters:vars]',
      '-etcd_port=2379',
      '+etcd_port=2381',
      ' ',
      ' # workers come and go',
      ' [workers]',
      '',
    ].join('\n'),
  );
});
