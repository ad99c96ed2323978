import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, varsOf } from './helpers.js';

test('group_vars/NAME.yml, a group_vars/NAME/ directory, an extension-less file, host_vars .yml and .json', async () => {
  const { inventory, problems } = await load('vars-dirs/hosts.ini');
  assert.deepEqual(problems, []);
  assert.deepEqual(varsOf(inventory, 'web01'), { role: 'web', ntp: 'pool.ntp.org', listen: 8080 });
  assert.deepEqual(varsOf(inventory, 'web02'), { role: 'web', ntp: 'pool.ntp.org', listen: 9090 });
  assert.deepEqual(varsOf(inventory, 'db1'), { role: 'primary-db', ntp: 'pool.ntp.org', port: 5432 });
});

test('group_vars/ next to the source also apply to hosts from other sources', async () => {
  const { inventory, problems } = await load('vars-dirs/hosts.ini', 'solo,');
  assert.deepEqual(problems, []);
  assert.deepEqual(varsOf(inventory, 'solo'), { role: 'any', ntp: 'pool.ntp.org' });
});

test('vars files only load for known groups and hosts (notes.txt and hidden files are ignored)', async () => {
  const { inventory } = await load('vars-dirs/hosts.ini');
  assert.equal('ignored' in varsOf(inventory, 'web01'), false);
});
