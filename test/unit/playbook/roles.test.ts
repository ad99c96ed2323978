import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatProblem, type Problem } from '../../../src/errors/problem.js';
import type { BlockTask, Play, TaskNode } from '../../../src/playbook/model.js';
import { loadPlays } from '../../../src/playbook/normalize.js';
import { canonicalStructureKeys, writtenName } from '../../../src/playbook/roles/structure-keys.js';
import { runFake } from '../../support/engine.js';

/** Writes FILES (path → text) under a fresh directory and returns it. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-roles-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

function load(dir: string, file = 'play.yml'): { plays: Play[]; lines: string[] } {
  const problems: Problem[] = [];
  const plays = loadPlays(join(dir, file), problems);
  return { plays, lines: problems.map(formatProblem) };
}

const titles = (nodes: TaskNode[]): string[] =>
  nodes.flatMap((n) => (n.kind === 'module' ? [n.title] : n.include !== undefined ? [`[${n.include}]`] : titles(n.block)));
const blocks = (nodes: TaskNode[]): BlockTask[] => nodes.flatMap((n) => (n.kind === 'block' ? [n, ...blocks(n.block)] : []));

test('FQCN names of the roles/includes keywords become their short names; the written name stays readable', () => {
  const t = canonicalStructureKeys({ name: 'x', 'ansible.builtin.include_tasks': 'a.yml', 'ansible.builtin.debug': { msg: 1 } });
  assert.deepEqual(Object.keys(t), ['name', 'include_tasks', 'ansible.builtin.debug']);
  assert.equal(writtenName(t, 'include_tasks'), 'ansible.builtin.include_tasks');
  assert.equal(writtenName({ include_tasks: 'a' }, 'include_tasks'), 'include_tasks');
  const same = { 'ansible.legacy.import_role': { name: 'r' } };
  assert.equal(writtenName(canonicalStructureKeys(same), 'import_role'), 'ansible.legacy.import_role');
});

test('play roles expand in order with dependencies first, `role : task` names, handlers and role layers', () => {
  const dir = tree({
    'play.yml': `- hosts: g
  pre_tasks:
    - debug: { msg: pre }
  roles:
    - app
    - { role: app }
    - role: app
      flavour: other
    - again
    - again
  tasks:
    - name: own
      debug: { msg: own }
`,
    'roles/app/meta/main.yml': 'dependencies:\n  - base\n',
    'roles/app/tasks/main.yml': '- name: app task\n  debug: { msg: a }\n  notify: restart app\n- debug: { msg: b }\n',
    'roles/app/handlers/main.yaml': '- name: restart app\n  debug: { msg: r }\n',
    'roles/app/defaults/main.yml': 'x: 1\n',
    'roles/app/vars/main.yml': 'y: 2\n',
    'roles/base/tasks/main': '- name: base task\n  debug: { msg: base }\n',
    'roles/again/tasks/main.yml': '- name: again task\n  debug: { msg: again }\n',
    'roles/again/meta/main.yml': 'allow_duplicates: true\n',
  });
  const { plays, lines } = load(dir);
  assert.deepEqual(lines, []);
  const play = plays[0];
  assert.ok(play);
  assert.deepEqual(titles(play.tasks), [
    'debug',
    'base : base task',
    'app : app task',
    'debug',
    'base : base task',
    'app : app task',
    'debug',
    'base : base task',
    'app : app task',
    'debug',
    'again : again task',
    'again : again task',
    'own',
  ]);
  // the second plain `app` (and its dependency) is a duplicate: listed, never run; other parameters or allow_duplicates run again
  const roleBlocks = blocks(play.tasks).filter((b) => b.title.startsWith('role '));
  assert.deepEqual(
    roleBlocks.map((b) => `${b.title}${b.duplicate ? ' (dup)' : ''}`),
    ['role app', 'role base', 'role app (dup)', 'role base (dup)', 'role app', 'role base (dup)', 'role again', 'role again'],
  );
  assert.deepEqual(roleBlocks[4]?.keywords.vars, { flavour: 'other' });
  assert.deepEqual(
    play.handlers.map((h) => h.title),
    ['app : restart app'],
  );
  assert.deepEqual(play.roleDefaults, [join(dir, 'roles/app/defaults/main.yml')]);
  assert.deepEqual(play.roleVars, [join(dir, 'roles/app/vars/main.yml')]);
  const appTask = roleBlocks[0]?.block.find((n) => n.title === 'app : app task');
  assert.equal(appTask?.role?.dir, join(dir, 'roles/app'));
  // a file expanded twice gets distinct task ids
  const ids = blocks(play.tasks).flatMap((b) => b.block.filter((n) => n.kind === 'module').map((n) => n.id));
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.some((id) => id.endsWith('#2')));
});

test('roles are found through the roles_path of an ansible.cfg next to the playbook, and by path', () => {
  const dir = tree({
    'play.yml': '- hosts: g\n  roles: [far, ./local/near]\n',
    'ansible.cfg': '[defaults]\nroles_path = ./elsewhere:./more\n',
    'more/far/tasks/main.yml': '- name: far task\n  debug: { msg: far }\n',
    'local/near/tasks/main.yml': '- name: near task\n  debug: { msg: near }\n',
  });
  const { plays, lines } = load(dir);
  assert.deepEqual(lines, []);
  assert.deepEqual(titles(plays[0]?.tasks ?? []), ['far : far task', 'near : near task']);
});

test('import_role/include_role/include_tasks/include_vars: from files, includes listed as one task, literal loops expanded', () => {
  const dir = tree({
    'play.yml': `- hosts: g
  tasks:
    - import_role: { name: r, tasks_from: other, handlers_from: alt }
    - name: inc
      include_role: { name: r }
      when: false
    - ansible.builtin.include_tasks: step.yml
      loop: [1, 2]
      loop_control: { loop_var: n, index_var: i }
    - include_vars: { dir: vars, name: bag }
`,
    'roles/r/tasks/main.yml': '- name: main\n  debug: { msg: m }\n',
    'roles/r/tasks/other.yaml': '- name: other\n  debug: { msg: o }\n',
    'roles/r/handlers/alt.yml': '- name: h\n  debug: { msg: h }\n',
    'step.yml': '- name: step\n  debug: { msg: "{{ n }}" }\n',
    'vars/b.yml': 'k: 2\n',
    'vars/a.yml': 'k: 1\nj: 1\n',
  });
  const { plays, lines } = load(dir);
  assert.deepEqual(lines, []);
  const tasks = plays[0]?.tasks ?? [];
  assert.deepEqual(titles(tasks), ['r : other', '[inc]', '[ansible.builtin.include_tasks]', 'include_vars']);
  assert.deepEqual(
    plays[0]?.handlers.map((h) => h.title),
    ['r : h'],
  );
  const loop = tasks[2];
  assert.deepEqual(loop?.kind === 'block' ? loop.block.map((b) => b.keywords.vars) : undefined, [
    { n: 1, i: 0 },
    { n: 2, i: 1 },
  ]);
  const iv = tasks[3];
  assert.deepEqual(iv?.kind === 'module' && [iv.module, iv.args], ['set_fact', { bag: { k: 2, j: 1 } }]);
});

test('what cannot be expanded before the run is refused where it is written, all at once', () => {
  const dir = tree({
    'play.yml': `- hosts: g
  roles:
    - "{{ pick }}"
    - missing
  tasks:
    - include_role: { name: r, apply: { tags: [x] } }
      become: true
    - import_tasks: step.yml
      loop: [1]
    - include_tasks: "{{ f }}"
`,
    'roles/r/tasks/main.yml': '- debug: { msg: m }\n',
    'step.yml': '- debug: { msg: s }\n',
  });
  const { lines } = load(dir);
  const short = lines.map((l) => l.replace(`${dir}/`, ''));
  assert.equal(short.length, 5, short.join('\n'));
  assert.match(short[0] ?? '', /^play\.yml:3:7: a templated role name/);
  assert.match(short[1] ?? '', /^play\.yml:4:7: role "missing" not found/);
  assert.match(short[2] ?? '', /^play\.yml:7:7: "become" is not a valid keyword on include_role/);
  assert.match(short[3] ?? '', /^play\.yml:9:7: import_tasks cannot be combined with "loop" \(loops work on include_tasks/);
  assert.match(short[4] ?? '', /^play\.yml:10:\d+: include_tasks "\{\{ f \}\}": the last part of the name is only a template/);
});

test('precedence: role defaults < inventory < play vars < role vars < task vars < extra vars; a role sees its own defaults first', async () => {
  const roles = tree({
    'r/defaults/main.yml': 'a: r-default\nb: r-default\nc: r-default\nd: r-default\ne: r-default\nf: r-default\n',
    'r/vars/main.yml': 'c: r-vars\nd: r-vars\n',
    'r/tasks/main.yml': '- name: show\n  debug: { msg: "{{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ f }} {{ p }}" }\n  vars: { e: task }\n',
    'r2/defaults/main.yml': 'a: r2-default\n',
    'r2/tasks/main.yml': '- name: r2\n  debug: { msg: "{{ a }}" }\n',
  });
  const run = await runFake(
    `- hosts: g
  vars: { c: play, d: play }
  roles:
    - role: ${join(roles, 'r')}
      p: param
    - ${join(roles, 'r2')}
  tasks:
    - name: after
      debug: { msg: "{{ a }} {{ c }}" }
`,
    { hosts: 1, inventory: '[g]\nhost1 b=inv c=inv\n', options: { extraVars: { f: 'extra' } } },
  );
  assert.equal(run.code, 0);
  assert.equal(run.results('r : show')[0]?.result['msg'], 'r-default inv r-vars r-vars task extra param');
  assert.equal(run.results('r2 : r2')[0]?.result['msg'], 'r2-default');
  // after the roles, the play sees every role's defaults (the last one wins) and vars
  assert.equal(run.results('after')[0]?.result['msg'], 'r2-default r-vars');
});

test('a templated loop on include_tasks runs per host at run time: each host its own items, when per item', async () => {
  const dir = tree({ 'step.yml': '- name: step\n  debug: { msg: "{{ inventory_hostname }} {{ item }} {{ idx }}" }\n' });
  const run = await runFake(
    `- hosts: g
  tasks:
    - name: per item
      include_tasks: ${join(dir, 'step.yml')}
      loop: "{{ mine }}"
      loop_control: { index_var: idx }
      when: item != 'skip'
    - name: none
      include_tasks: ${join(dir, 'step.yml')}
      loop: "{{ mine }}"
      loop_control: { index_var: idx }
      when: false
`,
    { hosts: 2, inventory: `[g]\nhost1 mine='["a","skip","c"]'\nhost2 mine='["a","b"]'\n` },
  );
  assert.equal(run.code, 0);
  assert.deepEqual(
    run.results('step').map((e) => e.result['msg']),
    ['host1 a 0', 'host2 a 0', 'host2 b 1', 'host1 c 2'],
  );
  assert.deepEqual(
    run.results('none').map((e) => `${e.host} ${e.status}`),
    ['host1 skipped', 'host2 skipped'],
  );
  // each pass has its own task id
  const ids = new Set(run.results('step').map((e) => e.taskId));
  assert.equal(ids.size, 3);
});

test("an include's when is judged once per host as it is reached, not again for each included task", async () => {
  const dir = tree({ 'flip.yml': '- set_fact: { go: false }\n- name: still runs\n  debug: { msg: "{{ inventory_hostname }}" }\n' });
  const run = await runFake(
    `- hosts: g
  vars: { go: true }
  tasks:
    - include_tasks: ${join(dir, 'flip.yml')}
      when: go and inventory_hostname == 'host1'
`,
    { hosts: 2 },
  );
  assert.equal(run.code, 0);
  assert.deepEqual(
    run.results('still runs').map((e) => `${e.host} ${e.status}`),
    ['host1 ok'],
  );
  assert.deepEqual(
    run.results('include_tasks').map((e) => `${e.host} ${e.status}`),
    ['host2 skipped'],
  );
});
