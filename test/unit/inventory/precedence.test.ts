import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, varsOf } from './helpers.js';

// Host h1 is in: all → parent (depth 1) → child (depth 2); alpha, beta (depth 1); aprio (depth 1, ansible_group_priority 10).
// Merge order (lowest first): all-inv, alpha, beta, parent, aprio, child (inventory files), then group_vars/all,
// group_vars/<same order>, then host inventory vars, then host_vars/h1.
const CASES: { v: string; want: string; rule: string }[] = [
  { v: 'a', want: 'all-inv', rule: 'all group vars from the inventory file' },
  { v: 'b', want: 'parent-inv', rule: 'a group beats all' },
  { v: 'e', want: 'child-inv', rule: 'a child group beats its parent' },
  { v: 'c', want: 'all-file', rule: 'group_vars/all.yml beats inventory-file all vars' },
  { v: 'f', want: 'parent-file', rule: 'group_vars/parent.yml beats inventory-file parent vars' },
  {
    v: 'r',
    want: 'all-file',
    rule: 'group_vars/all beats inventory-file vars of any group (Ansible: all inventory-file group vars < all group_vars files)',
  },
  { v: 'k', want: 'parent-file', rule: 'group_vars/parent beats the child group inventory-file vars (same reason)' },
  { v: 'g', want: 'host-inv', rule: 'inventory host vars beat every group var' },
  { v: 'm', want: 'host-file', rule: 'host_vars/h1.yml beats inventory host vars' },
  { v: 'n', want: 'beta', rule: 'same depth: alphabetical, the later name wins' },
  { v: 'q', want: 'aprio', rule: 'same depth: higher ansible_group_priority wins over the name order' },
  { v: 's', want: 'child-dir-1', rule: 'group_vars/child/ directory files are merged' },
  { v: 't', want: 'child-dir-2', rule: 'group_vars/child/ directory files: lexical order, later wins' },
];

for (const c of CASES) {
  test(`precedence: ${c.v} = ${c.want} (${c.rule})`, async () => {
    const { inventory, problems } = await load('precedence/hosts.yml');
    assert.deepEqual(problems, []);
    assert.equal(varsOf(inventory, 'h1')[c.v], c.want);
  });
}

const LATER_SOURCE: { v: string; want: string; rule: string }[] = [
  { v: 'a', want: 'second-source', rule: 'a later -i source overrides inventory-file vars of the same group' },
  { v: 'n', want: 'second-beta', rule: 'a later -i source sets beta.n, and beta still sorts after alpha' },
  { v: 'c', want: 'all-file', rule: 'group_vars/ files still beat inventory-file vars of any source' },
];

for (const c of LATER_SOURCE) {
  test(`precedence with a second -i: ${c.v} = ${c.want} (${c.rule})`, async () => {
    const { inventory, problems } = await load('precedence/hosts.yml', 'precedence/second/override.ini');
    assert.deepEqual(problems, []);
    assert.equal(varsOf(inventory, 'h1')[c.v], c.want);
  });
}

test('group vars exposed on the group include its group_vars/ files', async () => {
  const { inventory } = await load('precedence/hosts.yml');
  assert.deepEqual(inventory.groups.get('parent')?.vars, {
    b: 'parent-inv',
    e: 'parent-inv',
    f: 'parent-file',
    g: 'parent-inv',
    r: 'parent-inv',
    k: 'parent-file',
  });
});
