import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ansibleBoolean, canonicalPlay, canonicalTask, shortName } from '../../../src/playbook/ansible-forms.js';
import { parseKv, splitArgs } from '../../../src/playbook/kv-args.js';
import { loopItems } from '../../../src/playbook/loop-items.js';
import { MODULE_REGISTRY } from '../../../src/tasks/registry.js';

const canon = (raw: unknown) => canonicalTask(raw);

test('splitArgs keeps quotes and {{ }} inside one word, as ansible-core split_args', () => {
  assert.deepEqual(splitArgs('a=1 msg="hello world" b={{ x | default("a b") }}'), [
    'a=1',
    'msg="hello world"',
    'b={{ x | default("a b") }}',
  ]);
  assert.deepEqual(splitArgs("  echo 'a  b'   c "), ['echo', "'a  b'", 'c']);
  assert.throws(() => splitArgs('msg="open'), /unbalanced quote/);
  assert.throws(() => splitArgs('echo {{ x'), /unbalanced jinja2/);
});

test('parseKv: options unquoted, free-form keeps all but the command options in the command', () => {
  assert.deepEqual(parseKv('var=x'), { options: { var: 'x' }, raw: [] });
  assert.deepEqual(parseKv("msg='a = b' verbosity=0"), { options: { msg: 'a = b', verbosity: '0' }, raw: [] });
  assert.deepEqual(parseKv('ls -l a=b chdir=/tmp creates=/x', true), {
    options: { chdir: '/tmp', creates: '/x' },
    raw: ['ls', '-l', 'a=b'],
  });
  assert.deepEqual(parseKv('echo a\\=b'), { options: {}, raw: ['echo', 'a=b'] });
});

test('FQCN names map to the short name of every registry module and keyword-module, and nothing else', () => {
  for (const name of Object.keys(MODULE_REGISTRY)) {
    assert.equal(shortName(`ansible.builtin.${name}`), name);
    assert.equal(shortName(`ansible.legacy.${name}`), name);
  }
  assert.equal(shortName('ansible.builtin.meta'), 'meta');
  assert.equal(shortName('ansible.builtin.no_such_module'), undefined);
  assert.equal(shortName('community.general.debug'), undefined);
  const c = canon({ name: 'x', 'ansible.builtin.debug': { msg: 'hi' } });
  assert.deepEqual(c.task, { name: 'x', debug: { msg: 'hi' } });
  assert.deepEqual(c.aliases, [{ path: ['debug'], raw: 'ansible.builtin.debug' }]);
});

test('k=v strings become mappings typed by the module schema; extra params are refused except for command/shell', () => {
  assert.deepEqual(canon({ debug: 'var=x' }).task, { debug: { var: 'x' } });
  assert.deepEqual(canon({ file: 'path=/x state=directory recurse=yes' }).task, {
    file: { path: '/x', state: 'directory', recurse: true },
  });
  assert.deepEqual(canon({ debug: 'msg=hi verbosity=1' }).task, { debug: { msg: 'hi', verbosity: 1 } });
  assert.deepEqual(canon({ command: 'ls -l chdir=/tmp' }).task, { command: { cmd: 'ls -l', chdir: '/tmp' } });
  assert.deepEqual(canon({ command: 'ls -l' }).task, { command: 'ls -l' });
  assert.deepEqual(canon({ shell: 'echo a=b | cat' }).task, { shell: 'echo a=b | cat' });
  const bad = canon({ debug: 'hello there' });
  assert.match(bad.problems[0]?.message ?? '', /"debug" has extra params \(hello there\)/);
});

test('args: is merged under the module (the module line wins); action and local_action name the module', () => {
  assert.deepEqual(canon({ command: 'pwd', args: { chdir: '/tmp' } }).task, { command: { chdir: '/tmp', cmd: 'pwd' } });
  assert.deepEqual(canon({ file: { path: '/a' }, args: { path: '/b', state: 'touch' } }).task, { file: { path: '/a', state: 'touch' } });
  assert.deepEqual(canon({ action: 'debug msg=hi' }).task, { debug: { msg: 'hi' } });
  assert.deepEqual(canon({ action: { module: 'ansible.builtin.debug', msg: 'hi' } }).task, { debug: { msg: 'hi' } });
  assert.deepEqual(canon({ local_action: 'command echo hi' }).task, { command: 'echo hi', delegate_to: 'localhost' });
  assert.deepEqual(canon({ action: 'nosuch x=1' }).task, { nosuch: 'x=1' }, 'left for the schema check to name');
  assert.match(canon({ action: 'debug msg=a', debug: { msg: 'b' } }).problems[0]?.message ?? '', /conflicting action statements/);
});

test('with_* become loop with the kind kept; unknown with_* and two loops are left for the messages', () => {
  assert.deepEqual(canon({ debug: { var: 'item' }, with_items: [1, [2, 3]] }).task, {
    debug: { var: 'item' },
    loop: [1, [2, 3]],
    loop_with: 'items',
  });
  assert.deepEqual(canon({ debug: 'var=item', with_dict: '{{ d }}' }).task, { debug: { var: 'item' }, loop: '{{ d }}', loop_with: 'dict' });
  assert.ok('with_first_found' in (canon({ debug: 'var=item', with_first_found: ['a'] }).task as object));
  assert.match(canon({ debug: 'var=item', with_items: [1], loop: [2] }).problems[0]?.message ?? '', /cannot be combined/);
});

test('YAML 1.1 and Ansible booleans where a boolean is taken, in tasks, blocks and plays', () => {
  for (const [v, b] of [
    ['yes', true],
    ['No', false],
    ['on', true],
    ['OFF', false],
    ['True', true],
    ['0', false],
    ['y', true],
  ] as const)
    assert.equal(ansibleBoolean(v), b);
  assert.equal(ansibleBoolean('maybe'), undefined);
  const t = canon({
    block: [{ debug: 'msg=a', ignore_errors: 'yes', run_once: 'no', changed_when: 'no', when: ['yes', 'x is defined'] }],
    become: 'on',
  }).task;
  assert.deepEqual(t, {
    block: [{ debug: { msg: 'a' }, ignore_errors: true, run_once: false, changed_when: false, when: [true, 'x is defined'] }],
    become: true,
  });
  assert.deepEqual(canon({ ping: null, become: '{{ b }}' }).task, { ping: null, become: '{{ b }}' });
  const p = canonicalPlay({ hosts: 'all', gather_facts: 'no', any_errors_fatal: 'yes', tasks: [{ 'ansible.legacy.ping': null }] }).task;
  assert.deepEqual(p, { hosts: 'all', gather_facts: false, any_errors_fatal: true, tasks: [{ ping: null }] });
});

test('the raw task is never changed', () => {
  const raw = { 'ansible.builtin.debug': 'var=x', with_items: [1], ignore_errors: 'yes' };
  const copy = structuredClone(raw);
  canon(raw);
  assert.deepEqual(raw, copy);
});

test('loop items have the shapes of the lookup plugins', () => {
  assert.deepEqual(loopItems('items', [1, [2, [3]], 'a']), [1, 2, [3], 'a']);
  assert.deepEqual(loopItems('items', 'a'), ['a']);
  assert.deepEqual(loopItems('indexed_items', ['a', 'b']), [
    [0, 'a'],
    [1, 'b'],
  ]);
  assert.deepEqual(loopItems('dict', { a: 1, b: 2 }), [
    { key: 'a', value: 1 },
    { key: 'b', value: 2 },
  ]);
  assert.deepEqual(
    loopItems('nested', [
      ['a', 'b'],
      [1, 2],
    ]),
    [
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['b', 2],
    ],
  );
  assert.deepEqual(loopItems('together', [['a', 'b'], [1]]), [
    ['a', 1],
    ['b', null],
  ]);
  assert.deepEqual(loopItems('sequence', 'start=1 end=3'), ['1', '2', '3']);
  assert.deepEqual(loopItems('sequence', 'count=3 start=0 stride=2 format=h%02d'), ['h00', 'h02', 'h04']);
  assert.deepEqual(loopItems('sequence', '2-6/2'), ['2', '4', '6']);
  assert.deepEqual(loopItems('sequence', 'start=10 end=0 stride=-5'), ['10', '5', '0']);
  assert.throws(() => loopItems('dict', [1]), /expects a dict/);
  assert.throws(() => loopItems('sequence', 'start=5 end=1'), /count backwards/);
});
