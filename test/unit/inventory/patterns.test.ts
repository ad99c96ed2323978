import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProblem } from '../../../src/errors/problem.js';
import { matchHosts } from '../../../src/inventory/index.js';
import { splitPattern } from '../../../src/inventory/pattern-syntax.js';
import { load } from './helpers.js';

// ini/hosts.ini: bastion (ungrouped); etcd[1:3].example.com (etcd); master[01:03], worker-[a:c] (control_plane);
// k8s = etcd + control_plane; n1, n5, n9 (odd).
const ETCD = ['etcd1.example.com', 'etcd2.example.com', 'etcd3.example.com'];
const CP = ['master01', 'master02', 'master03', 'worker-a', 'worker-b', 'worker-c'];
const CASES: [pattern: string | string[], hosts: string[]][] = [
  ['all', ['bastion', ...ETCD, ...CP, 'n1', 'n5', 'n9']],
  ['*', ['bastion', ...ETCD, ...CP, 'n1', 'n5', 'n9']],
  ['ungrouped', ['bastion']],
  ['master*', ['master01', 'master02', 'master03']],
  ['master0?', ['master01', 'master02', 'master03']],
  ['etcd', ETCD],
  ['etcd*', ETCD],
  ['bastion', ['bastion']],
  ['odd:etcd', [...ETCD, 'n1', 'n5', 'n9']],
  ['odd,etcd', [...ETCD, 'n1', 'n5', 'n9']],
  [
    ['odd', 'etcd'],
    [...ETCD, 'n1', 'n5', 'n9'],
  ],
  ['k8s:!etcd', CP],
  ['k8s:!worker-*', [...ETCD, 'master01', 'master02', 'master03']],
  ['!k8s', ['bastion', 'n1', 'n5', 'n9']],
  ['k8s:&control_plane', CP],
  ['&control_plane:k8s', CP],
  ['all:!k8s:&odd', ['n1', 'n5', 'n9']],
  ['~worker-[ab]', ['worker-a', 'worker-b']],
  ['~(etcd|master)0?1', ['etcd1.example.com', 'master01']],
  ['control_plane[0]', ['master01']],
  ['control_plane[-1]', ['worker-c']],
  ['control_plane[0:2]', ['master01', 'master02', 'master03']],
  ['control_plane[4:]', ['worker-b', 'worker-c']],
  ['k8s[1]:odd[0]', ['etcd2.example.com', 'n1']],
  ['odd:bastion', ['bastion', 'n1', 'n5', 'n9']],
];

for (const [pattern, hosts] of CASES) {
  test(`pattern ${JSON.stringify(pattern)}`, async () => {
    const { inventory } = await load('ini/hosts.ini');
    const r = matchHosts(inventory, pattern);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.hosts, hosts);
  });
}

const BAD: [pattern: string, problems: string[]][] = [
  ['etcdd', ['pattern "etcdd" matches no host (did you mean "etcd"?)']],
  ['k8s:!odds', ['pattern "!odds" matches no host (did you mean "odd"?)']],
  ['k8s:&nothing*', ['pattern "&nothing*" matches no host']],
  ['etcd:&odd', ['pattern "etcd:&odd" matches no host']],
  ['odd[3]', ['pattern "odd[3]" selects nothing: "odd" has 3 hosts (subscripts count from 0)']],
  ['~(unclosed', ['pattern "~(unclosed" is not a valid regular expression: unterminated group']],
  ['', ['empty host pattern "" (use "all" for every host)']],
  [
    'localhost',
    [
      'pattern "localhost" matches no host (there is no implicit localhost: use -i localhost, or declare "localhost ansible_connection=local")',
    ],
  ],
];

for (const [pattern, problems] of BAD) {
  test(`bad pattern ${JSON.stringify(pattern)}`, async () => {
    const { inventory } = await load('ini/hosts.ini');
    assert.deepEqual(matchHosts(inventory, pattern).problems.map(formatProblem), problems);
  });
}

test('an empty group that exists is a problem when included, not when excluded', async () => {
  const { inventory } = await load('ini/hosts.ini', 'empty-group,');
  inventory.groups.set('empty', { name: 'empty', hosts: [], children: [], vars: {} });
  assert.deepEqual(matchHosts(inventory, 'empty').problems.map(formatProblem), [
    'pattern "empty" matches no host (group "empty" is empty)',
  ]);
  assert.deepEqual(matchHosts(inventory, 'odd:!empty'), { hosts: ['n1', 'n5', 'n9'], problems: [] });
});

test('for a play, a pattern of known names that matches no host is a warning; an unknown name stays a problem', async () => {
  const { inventory } = await load('ini/hosts.ini', 'empty-group,');
  inventory.groups.set('empty', { name: 'empty', hosts: [], children: [], vars: {} });
  const empty = matchHosts(inventory, 'empty', { emptyIsWarning: true });
  assert.deepEqual(
    [empty.hosts, empty.problems, (empty.warnings ?? []).map(formatProblem)],
    [[], [], ['pattern "empty" matches no host (group "empty" is empty)']],
  );
  const disjoint = matchHosts(inventory, 'odd:&empty', { emptyIsWarning: true });
  assert.deepEqual([disjoint.hosts, disjoint.problems.length, disjoint.warnings?.length], [[], 0, 1]);
  const typo = matchHosts(inventory, 'empty:nosuch', { emptyIsWarning: true });
  assert.deepEqual(
    [typo.problems.map((p) => p.message), typo.warnings],
    [['pattern "empty" matches no host (group "empty" is empty)', 'pattern "nosuch" matches no host'], []],
  );
});

test('a name that is both a group and a host is ambiguous', async () => {
  const { inventory } = await load('ini/hosts.ini', 'odd,');
  assert.deepEqual(matchHosts(inventory, 'odd').problems.map(formatProblem), [
    'pattern "odd" is ambiguous: "odd" is both a group and a host (rename the group or the host; Ansible warns "Found both group and host with same name")',
  ]);
});

test('splitting follows Ansible: commas first, else colons outside brackets', () => {
  assert.deepEqual(splitPattern('a:b:!c:&d'), ['a', 'b', '!c', '&d']);
  assert.deepEqual(splitPattern('web[0:2]:db'), ['web[0:2]', 'db']);
  assert.deepEqual(splitPattern('a, b ,'), ['a', 'b']);
  assert.deepEqual(splitPattern('fe80::1'), ['fe80::1']);
});
