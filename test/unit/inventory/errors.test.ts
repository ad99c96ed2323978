import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblem } from '../../../src/errors/problem.js';
import { loadInventory } from '../../../src/inventory/index.js';
import { load } from './helpers.js';

// Exact text users see for broken inventories, each with file:line:col (paths relative to test/fixtures/inventory).
const BROKEN: [source: string, problems: string[]][] = [
  [
    'broken/typo-children.yml',
    [
      'broken/typo-children.yml:6:7: unknown key "chilren" in group "web" (did you mean "children"?)',
      'broken/typo-children.yml:8:7: unknown key "var" in group "web" (did you mean "vars"?)',
    ],
  ],
  [
    'broken/hosts-list.yml',
    [
      'broken/hosts-list.yml:5:9: "hosts" of group "web" must be a mapping of host names (found a list) (write each host as a key ("web1:" on its own line under "hosts:"), not as a list item)',
      'broken/hosts-list.yml:9:14: variables of host "db1" must be a mapping (found string "127.0.0.5") (write "ansible_host: 127.0.0.5" under the host)',
    ],
  ],
  ['broken/cycle.yml', ['broken/cycle.yml:7:13: group "a" cannot be a child of "b": that makes a cycle (b → a → b)']],
  ['broken/all-as-child.yml', ['broken/all-as-child.yml:5:9: group "all" cannot be a child of "web": it contains every group']],
  [
    'broken/bad-ranges.ini',
    [
      'broken/bad-ranges.ini:2:1: host range must have begin <= end in "web[3:1]"',
      'broken/bad-ranges.ini:3:1: host range must use equal-length begin and end when zero-padded in "db[01:3]"',
    ],
  ],
  [
    'broken/undefined-groups.ini',
    [
      'broken/undefined-groups.ini:5:1: section [app:children] includes group "dbz", which is not declared (did you mean "db"?)',
      'broken/undefined-groups.ini:7:1: section [cache:vars] is for group "cache", which is not declared (declare it with a [cache] section)',
    ],
  ],
  [
    'broken/bad-lines.ini',
    [
      'broken/bad-lines.ini:2:6: expected key=value host variable after "web1", got "port" (quote values that contain spaces: key="a b")',
      'broken/bad-lines.ini:2:11: expected key=value host variable after "web1", got "22" (quote values that contain spaces: key="a b")',
      'broken/bad-lines.ini:3:1: cannot parse host line "web2 name="unterminated": No closing quotation',
      'broken/bad-lines.ini:4:1: section [web:var] has unknown type "var" (did you mean [web:vars]?)',
      'broken/bad-lines.ini:6:1: section [db:vars] is for group "db", which is not declared (declare it with a [db] section)',
      'broken/bad-lines.ini:7:1: expected key=value in [db:vars], got "just-a-word"',
    ],
  ],
  [
    'broken/syntax.yml',
    ['broken/syntax.yml:6:1: YAML BAD_INDENT: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ],
  [
    'broken/top-level.yml',
    [
      'broken/top-level.yml:1:1: top-level key "hosts" is read as a group name: top-level keys must be groups (put it under a group: "all:" then "  hosts:" indented below it)',
    ],
  ],
  [
    'broken/many.yml',
    [
      'broken/many.yml:3:3: unknown key "hostss" in group "all" (did you mean "hosts"?)',
      'broken/many.yml:10:9: host range must have begin <= end in "bad[5:1]"',
      'broken/many.yml:11:13: "vars" of group "web" must be a mapping (found a list)',
      'broken/many.yml:13:7: unknown key "childen" in group "db" (did you mean "children"?)',
    ],
  ],
  [
    'broken/group-vars-list/hosts.ini',
    ['broken/group-vars-list/group_vars/web.yml:1:1: a variables file must be a mapping of variable names to values'],
  ],
  ['broken/script.py', ['broken/script.py:1:1: dynamic inventory scripts are not supported (save its output as a YAML inventory file)']],
  ['broken/missing.yml', ['broken/missing.yml:1:1: inventory source "broken/missing.yml" does not exist']],
  ['web1', ['web1:1:1: inventory source "web1" does not exist (to use it as a host name, add a comma: -i web1,)']],
];

for (const [source, problems] of BROKEN) {
  test(`broken inventory ${source}`, async () => {
    assert.deepEqual((await load(source)).problems, problems);
  });
}

test('the valid parts of a broken file are still loaded', async () => {
  const { inventory } = await load('broken/many.yml');
  assert.deepEqual(inventory.groups.get('web')?.hosts, ['web01', 'web02']);
  assert.equal(inventory.hosts.get('web02')?.vars['ansible_port'], 22);
});

test('problems of every source are reported together, in source order', async () => {
  const { problems } = await load('broken/cycle.yml', 'ini/hosts.ini', 'broken/bad-ranges.ini');
  assert.deepEqual(
    problems.map((p) => p.split(':')[0]),
    ['broken/cycle.yml', 'broken/bad-ranges.ini', 'broken/bad-ranges.ini'],
  );
});

test('an ansible_group_priority that is not an integer is a problem at the group', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-'));
  await writeFile(join(dir, 'hosts.ini'), '[web]\nweb1\n[web:vars]\nansible_group_priority=high\n');
  const r = await loadInventory(['hosts.ini'], { cwd: dir });
  assert.deepEqual(r.problems.map(formatProblem), ['hosts.ini:1:1: ansible_group_priority of group "web" must be an integer, got "high"']);
});

test('a vault-encrypted vars file is a located problem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-'));
  await writeFile(join(dir, 'hosts'), 'web1\n');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'host_vars'));
  await writeFile(join(dir, 'host_vars', 'web1.yml'), '$ANSIBLE_VAULT;1.1;AES256\n6162\n');
  const r = await loadInventory(['hosts'], { cwd: dir });
  assert.deepEqual(r.problems.map(formatProblem), [
    'host_vars/web1.yml:1:1: Ansible Vault files are not supported (decrypt it or pass secrets another way)',
  ]);
});

test('an unreadable inventory file is a located problem', {
  skip: process.getuid?.() === 0 ? 'root can read any file' : false,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-'));
  await writeFile(join(dir, 'hosts.yml'), 'all:\n');
  await chmod(join(dir, 'hosts.yml'), 0o000);
  const r = await loadInventory(['hosts.yml'], { cwd: dir });
  assert.equal(r.problems.length, 1);
  assert.match(formatProblem(r.problems[0]!), /^hosts\.yml:1:1: inventory file \S*hosts\.yml cannot be read \(permission denied\)$/);
});

test('a vars file that cannot be read is a located problem', async () => {
  const { readVarsFile } = await import('../../../src/inventory/vars-dirs.js');
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-'));
  const r = await readVarsFile(dir);
  assert.deepEqual(r.problems, [{ message: `variables file ${dir} is a directory`, loc: { file: dir, line: 1, col: 1 }, hint: undefined }]);
});
