import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRuntimeNames, runtimeNamesByPlay } from '../../../src/engine/runtime-names.js';
import { loadInventory, matchHosts } from '../../../src/inventory/index.js';
import { applyAddGroup, applyAddHost } from '../../../src/inventory/runtime-changes.js';
import type { Inventory } from '../../../src/inventory/types.js';
import { loadPlays } from '../../../src/playbook/normalize.js';
import { parseAddress, planAddHost } from '../../../src/tasks/add-host.js';
import { planGroupBy } from '../../../src/tasks/group-by.js';

// add_host and group_by (issue 14 item 3): what the modules plan (ansible-core 2.14's actions), how the run's
// inventory changes (its strategy: what counts as changed), and which play patterns validation lets through.
const dir = mkdtempSync(join(tmpdir(), 'tsplay-invchg-unit-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function inventory(): Promise<Inventory> {
  const file = join(dir, 'hosts.ini');
  writeFileSync(file, '[web]\nh1 role=primary\nh2\n\n[db]\n\n[db:vars]\ndb_port=5432\nshared=db\n\n[all:vars]\nshared=all\nlevel=all\n');
  const r = await loadInventory([file]);
  assert.deepEqual(r.problems, []);
  return r.inventory;
}

test('add_host plans the name (host:port sets ansible_ssh_port), the groups and every other key as a host variable', () => {
  assert.deepEqual(planAddHost({ name: 'n1', groups: 'a, b,a', ansible_host: '127.0.0.1', x: 1 }), {
    host_name: 'n1',
    groups: ['a', 'b'],
    host_vars: { ansible_host: '127.0.0.1', x: 1 },
  });
  // hostname, then host; `group` and `host` stay host variables (as ansible-core 2.14's special keys leave them)
  assert.deepEqual(planAddHost({ hostname: 'n2', host: 'other', group: 'g' }), {
    host_name: 'n2',
    groups: ['g'],
    host_vars: { host: 'other', group: 'g' },
  });
  assert.deepEqual(planAddHost({ host: '127.0.1.1:2200', groupname: ['x', 'y'] }), {
    host_name: '127.0.1.1',
    groups: ['x', 'y'],
    host_vars: { host: '127.0.1.1:2200', ansible_ssh_port: 2200 },
  });
  assert.equal(planAddHost({ groups: 'a' }), 'name, host or hostname needs to be provided');
  assert.equal(planAddHost({ name: 'n', groups: { a: 1 } }), 'Groups must be specified as a list.');
  assert.deepEqual(parseAddress('[::1]:22'), { name: '::1', port: 22 });
  assert.deepEqual(parseAddress('::1'), { name: '::1' });
  assert.deepEqual(parseAddress('node.example'), { name: 'node.example' });
});

test('group_by plans the group and its parents (default all), spaces made dashes', () => {
  assert.deepEqual(planGroupBy({ key: 'os Debian' }), { add_group: 'os-Debian', parent_groups: ['all'] });
  assert.deepEqual(planGroupBy({ key: 'k', parents: 'top one' }), { add_group: 'k', parent_groups: ['top-one'] });
  assert.deepEqual(planGroupBy({ key: 'k', parents: ['a', 'b'] }), { add_group: 'k', parent_groups: ['a', 'b'] });
});

test("add_host: a new host (with its groups' variables under its own), changed only when something is new", async () => {
  const inv = await inventory();
  assert.equal(applyAddHost(inv, { host_name: 'n1', groups: ['db', 'extra'], host_vars: { shared: 'own' } }), true);
  const n1 = inv.hosts.get('n1');
  assert.deepEqual(n1?.groups, ['all', 'db', 'extra']);
  assert.deepEqual(n1?.vars, { shared: 'own', level: 'all', db_port: 5432 });
  assert.equal(inv.groups.get('all')?.children.includes('extra'), true);
  // the same again: nothing new
  assert.equal(applyAddHost(inv, { host_name: 'n1', groups: ['extra'], host_vars: { shared: 'own' } }), false);
  // a changed variable is a change; an existing host joins a group
  assert.equal(applyAddHost(inv, { host_name: 'n1', groups: [], host_vars: { shared: 'new' } }), true);
  assert.equal(inv.hosts.get('n1')?.vars['shared'], 'new');
  assert.equal(applyAddHost(inv, { host_name: 'h2', groups: ['extra'], host_vars: {} }), true);
  assert.deepEqual(matchHosts(inv, 'extra').hosts, ['h2', 'n1']);
  // a host in no group is ungrouped
  applyAddHost(inv, { host_name: 'lonely', groups: [], host_vars: {} });
  assert.deepEqual(matchHosts(inv, 'ungrouped').hosts, ['lonely']);
  applyAddHost(inv, { host_name: 'lonely', groups: ['extra'], host_vars: {} });
  assert.equal(inv.groups.get('ungrouped')?.hosts.includes('lonely'), false);
});

test('group_by: membership and parent links are changes; a repeat is not; parents see the host', async () => {
  const inv = await inventory();
  assert.equal(applyAddGroup(inv, 'h1', 'role_primary', ['by_role']), true);
  assert.equal(applyAddGroup(inv, 'h1', 'role_primary', ['by_role']), false);
  assert.equal(applyAddGroup(inv, 'h2', 'plain', ['all']), true);
  assert.equal(applyAddGroup(inv, 'h2', 'plain', ['all']), false);
  assert.deepEqual(inv.hosts.get('h1')?.groups, ['all', 'web', 'role_primary', 'by_role']);
  assert.deepEqual(matchHosts(inv, 'by_role').hosts, ['h1']);
  assert.deepEqual(inv.groups.get('by_role')?.children, ['role_primary']);
  assert.equal(inv.groups.get('all')?.children.includes('role_primary'), false);
  // joining a group that has variables brings the ones the host lacks
  applyAddGroup(inv, 'h2', 'db', ['all']);
  assert.equal(inv.hosts.get('h2')?.vars['db_port'], 5432);
  assert.equal(inv.hosts.get('h2')?.vars['shared'], 'all');
});

test('play patterns: names add_host/group_by create are no typos; a templated name makes unknown names warnings; typos stay problems', async () => {
  const inv = await inventory();
  const literal = { names: new Set(['extra', 'n1', 'db']), templated: false };
  const ok = matchHosts(inv, 'extra:web', { emptyIsWarning: true, runtime: literal });
  assert.deepEqual([ok.hosts, ok.problems, ok.warnings, ok.deferred, ok.later], [['h1', 'h2'], [], [], [], true]);
  // an empty group add_host fills: matched again later, not "skipped"
  const filled = matchHosts(inv, 'db', { emptyIsWarning: true, runtime: literal });
  assert.deepEqual([filled.problems, filled.warnings, filled.later], [[], [], true]);
  const typo = matchHosts(inv, 'extar', { emptyIsWarning: true, runtime: literal });
  assert.equal(typo.problems[0]?.message, 'pattern "extar" matches no host');
  assert.equal(typo.problems[0]?.hint, 'did you mean "extra"?');
  const templated = matchHosts(inv, 'tier_x', { emptyIsWarning: true, runtime: { names: new Set(), templated: true } });
  assert.deepEqual(templated.problems, []);
  assert.match(
    templated.deferred?.[0]?.message ?? '',
    /pattern "tier_x" names no host or group of the inventory: a templated group_by or add_host may create it/,
  );
  // without runtime names, the same pattern is a problem (the typo guard), and --limit never defers
  assert.equal(matchHosts(inv, 'extra', { emptyIsWarning: true }).problems.length, 1);
  assert.equal(matchHosts(inv, 'extra').problems.length, 1);
});

test('the names a play may use are those of the add_host/group_by tasks of the plays before it', () => {
  const file = join(dir, 'play.yaml');
  writeFileSync(
    file,
    [
      '- hosts: web',
      '  tasks:',
      '    - add_host: { name: n1, groups: [extra] }',
      '    - block:',
      '        - group_by: { key: "k_{{ inventory_hostname }}", parents: top }',
      '- hosts: extra',
      '  tasks:',
      '    - group_by: { key: later }',
      '- hosts: later',
      '  tasks: []',
      '',
    ].join('\n'),
  );
  const problems: unknown[] = [];
  const plays = loadPlays(file, problems as never);
  assert.deepEqual(problems, []);
  const names = runtimeNamesByPlay(plays);
  assert.deepEqual(
    names.map((n) => [[...n.names].sort(), n.templated]),
    [
      [[], false],
      [['extra', 'n1', 'top'], true],
      [['all', 'extra', 'later', 'n1', 'top'], true],
    ],
  );
  // delegate_to may name any of them, the last play's included
  assert.deepEqual([...allRuntimeNames(plays).names].sort(), ['all', 'extra', 'later', 'n1', 'top']);
});
