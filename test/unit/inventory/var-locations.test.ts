import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLocation } from '../../../src/errors/problem.js';
import type { Inventory } from '../../../src/inventory/types.js';
import { load } from './helpers.js';

/** Where the inventory says a host's variable was set, as `file:line:col`. */
function at(inv: Inventory, host: string, key: string): string | undefined {
  const loc = inv.hosts.get(host)?.varLocs?.get(key);
  return loc && formatLocation(loc);
}

test('INI: a host-line variable at its key, a :port at the host, [group:vars] and parent groups at their lines', async () => {
  const { inventory, problems } = await load('ini/hosts.ini');
  assert.deepEqual(problems, []);
  assert.equal(at(inventory, 'bastion', 'ansible_port'), 'ini/hosts.ini:2:35');
  assert.equal(at(inventory, 'bastion', 'name'), 'ini/hosts.ini:2:83');
  assert.equal(at(inventory, 'master02', 'ansible_user'), 'ini/hosts.ini:8:15');
  assert.equal(at(inventory, 'worker-b', 'ansible_port'), 'ini/hosts.ini:9:1');
  assert.equal(at(inventory, 'master01', 'api_port'), 'ini/hosts.ini:12:1');
  assert.equal(at(inventory, 'etcd3.example.com', 'cluster'), 'ini/hosts.ini:20:1');
  assert.equal(inventory.groups.get('k8s')?.varLocs?.get('cluster')?.line, 20);
});

test('YAML: host and group variables at their keys, a :port at the host key', async () => {
  const { inventory, problems } = await load('yaml/hosts.yml');
  assert.deepEqual(problems, []);
  assert.equal(at(inventory, 'bastion', 'ansible_port'), 'yaml/hosts.yml:6:7');
  assert.equal(at(inventory, 'master01', 'ansible_user'), 'yaml/hosts.yml:25:15');
  assert.equal(at(inventory, 'master03', 'api_port'), 'yaml/hosts.yml:21:13');
  assert.equal(at(inventory, 'etcd1.example.com', 'cluster'), 'yaml/hosts.yml:14:9');
  assert.equal(at(inventory, 'worker-a', 'ansible_port'), 'yaml/hosts.yml:26:13');
});

test('group_vars/ and host_vars/: the location of the value that wins by precedence', async () => {
  const { inventory, problems } = await load('vars-dirs/hosts.ini');
  assert.deepEqual(problems, []);
  assert.equal(at(inventory, 'web01', 'listen'), 'vars-dirs/group_vars/web/20-override.yaml:1:1');
  assert.equal(at(inventory, 'web01', 'role'), 'vars-dirs/group_vars/web/10-base.yml:1:1');
  assert.equal(at(inventory, 'web01', 'ntp'), 'vars-dirs/group_vars/all.yml:2:1');
  assert.equal(at(inventory, 'web02', 'listen'), 'vars-dirs/host_vars/web02.yml:1:1');
  assert.equal(at(inventory, 'db1', 'role'), 'vars-dirs/host_vars/db1.json:1:2');
});

test('a host list has no file: its variables have no location', async () => {
  const { inventory } = await load('solo:2201,');
  assert.equal(inventory.hosts.get('solo')?.vars['ansible_port'], 2201);
  assert.equal(at(inventory, 'solo', 'ansible_port'), undefined);
});
