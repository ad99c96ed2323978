import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateError, isTemplate, renderString, renderValue, type TemplateWhere } from '../../../src/template/index.js';

const where: TemplateWhere = { loc: { file: 'playbooks/x.yaml', line: 12, col: 14 }, host: 'host01', task: 'wipe' };

function failure(tpl: string, vars: Record<string, unknown>, w: TemplateWhere = where): TemplateError {
  try {
    renderValue(tpl, vars, w);
  } catch (e) {
    assert.ok(e instanceof TemplateError, String(e));
    return e;
  }
  assert.fail(`expected ${tpl} to fail`);
}

test('isTemplate', () => {
  assert.equal(isTemplate('plain'), false);
  assert.equal(isTemplate('a {{x}}'), true);
  assert.equal(isTemplate('{ not: mustache }'), false);
});

test('an undefined variable names the variable, the template and where', () => {
  const e = failure('rm -rf {{data_dir}}/member', {});
  assert.equal(
    e.message,
    'undefined variable "data_dir" in template "rm -rf {{data_dir}}/member" (playbooks/x.yaml:12:14, host host01, task "wipe")',
  );
  assert.equal(e.variable, 'data_dir');
  assert.deepEqual(e.where, where);
  assert.equal(
    failure('{{data_dir}}', { data_dirs: [] }, { field: 'args.path' }).message,
    'undefined variable "data_dir" (did you mean "data_dirs"?) in template "{{data_dir}}" (args.path)',
  );
});

test('undefined nested keys, helper arguments and block arguments are errors too', () => {
  const vars = { r: { rc: 0, stdout: 'x' }, n: null };
  const cases: Array<[string, string, string]> = [
    [
      '{{r.stdout_lines}}',
      'r.stdout_lines',
      'undefined variable "r.stdout_lines" ("r" has no key "stdout_lines"; it has: rc, stdout) in template "{{r.stdout_lines}}"',
    ],
    ['{{n.x}}', 'n.x', 'undefined variable "n.x" ("n" is null) in template "{{n.x}}"'],
    ['{{q dir}}', 'dir', 'undefined variable "dir" in template "{{q dir}}"'],
    ['{{join (split csv ",") ","}}', 'csv', 'undefined variable "csv" in template "{{join (split csv ",") ","}}"'],
    ['{{#if flag}}x{{/if}}', 'flag', 'undefined variable "flag" in template "{{#if flag}}x{{/if}}"'],
    ['{{#each items}}{{name}}{{/each}}', 'name', 'undefined variable "name" in template "{{#each items}}{{name}}{{/each}}"'],
  ];
  const withItems = { ...vars, items: [{ other: 1 }] };
  for (const [tpl, variable, msg] of cases) {
    const e = failure(tpl, withItems, {});
    assert.equal(e.message, msg, tpl);
    assert.equal(e.variable, variable, tpl);
  }
});

test('default works for missing values in strict mode, at any depth and inside blocks', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['{{default x "fb"}}', {}, 'fb'],
    ['{{default a.b.c "fb"}}', {}, 'fb'],
    ['{{default a.b.c "fb"}}', { a: { b: null } }, 'fb'],
    ['{{default a.b "fb"}}', { a: { b: 'set' } }, 'set'],
    ['{{default a.b 0}}', { a: {} }, '0'],
    ['{{#if (default flag false)}}yes{{else}}no{{/if}}', {}, 'no'],
    ['{{#each l}}{{default this.x "-"}}{{/each}}', { l: [{ x: 1 }, {}] }, '1-'],
    ['{{q (default port 2379)}}', {}, "'2379'"],
  ];
  for (const [tpl, vars, want] of cases) assert.equal(renderString(tpl, vars, {}), want, tpl);
});

test('no HTML escaping', () => {
  assert.equal(renderString('{{x}}', { x: `<a href="x">&'\`=` }, {}), `<a href="x">&'\`=`);
});

test('printed values: lists and mappings as JSON, null is an error', () => {
  assert.equal(renderString('{{l}}', { l: [1, 'a'] }, {}), '[1,"a"]');
  assert.equal(renderString('x={{m}}', { m: { a: 1 } }, {}), 'x={"a":1}');
  assert.equal(renderString('{{n}} {{b}}', { n: 2.5, b: false }, {}), '2.5 false');
  assert.equal(
    failure('rm -rf {{dir}}/member', { dir: null }, {}).message,
    'variable "dir" is null (use {{default x ""}} to print a fallback) in template "rm -rf {{dir}}/member"',
  );
});

test('a string that is exactly one {{ path }} renders to the raw value', () => {
  const vars = { result: { stdout_lines: ['a', 'b'], rc: 0 }, items: [1, 2], n: 5, z: null };
  assert.deepEqual(renderValue('{{ result.stdout_lines }}', vars, {}), ['a', 'b']);
  assert.deepEqual(renderValue('{{items}}', vars, {}), [1, 2]);
  assert.equal(renderValue('{{ n }}', vars, {}), 5);
  assert.equal(renderValue('{{result.rc}}', vars, {}), 0);
  assert.equal(renderValue('{{z}}', vars, {}), null);
  assert.equal(renderValue(' {{n}}', vars, {}), ' 5');
  assert.equal(renderValue('{{n}}{{n}}', vars, {}), '55');
  assert.equal(renderString('{{items}}', vars, {}), '[1,2]'); // renderString always gives text
});

test('renderValue renders nested strings but not keys, and leaves other values alone', () => {
  const vars = { base: '/srv', port: 2379 };
  const v = { '{{base}}': ['{{base}}/a', 1, true, null, { p: '{{port}}' }], plain: 'no template' };
  assert.deepEqual(renderValue(v, vars, {}), { '{{base}}': ['/srv/a', 1, true, null, { p: 2379 }], plain: 'no template' });
});

test('values inserted from variables are never rendered again', () => {
  const vars = { out: '{{secret}}', secret: 'S' };
  assert.equal(renderString('got {{out}}', vars, {}), 'got {{secret}}');
  assert.equal(renderValue('{{out}}', vars, {}), '{{secret}}');
});

test('prototype access is refused at compile time', () => {
  const cases = [
    '{{constructor}}',
    '{{x.__proto__}}',
    '{{x.constructor.name}}',
    '{{q x.toString}}',
    '{{#with x.__proto__}}{{/with}}',
    '{{x.hasOwnProperty}}',
  ];
  for (const tpl of cases) {
    assert.match(
      failure(tpl, { x: {} }, {}).message,
      /^access to "(constructor|__proto__|toString|hasOwnProperty)" is not allowed in template /,
      tpl,
    );
  }
  // and at run time through lookup with a computed key
  assert.equal(
    failure('{{lookup x k}}', { x: {}, k: '__proto__' }, {}).message,
    'access to "__proto__" is not allowed in template "{{lookup x k}}"',
  );
  // inherited members are not variables
  assert.equal(failure('{{valueOf_}}', {}, {}).message, 'undefined variable "valueOf_" in template "{{valueOf_}}"');
});

test('context paths: this, ../, @index, @root, block params', () => {
  const vars = { top: 'T', l: [{ n: 'a' }, { n: 'b' }] };
  assert.equal(renderString('{{#each l}}{{@index}}:{{n}}:{{this.n}}:{{../top}}:{{@root.top}} {{/each}}', vars, {}), '0:a:a:T:T 1:b:b:T:T ');
  assert.equal(renderString('{{#each l as |it i|}}{{i}}={{it.n}};{{/each}}', vars, {}), '0=a;1=b;');
  assert.equal(renderString('{{#with l.[1]}}{{n}}{{/with}}', vars, {}), 'b');
  assert.equal(renderString('{{#unless (eq top "T")}}x{{else}}y{{/unless}}', vars, {}), 'y');
});

test('syntax and usage errors are TemplateErrors when rendering', () => {
  const cases: Array<[string, string]> = [
    ['{{foo}', 'template syntax error: a "{{" is not closed with "}}" in template "{{foo}"'],
    ['{{a}}}', 'template syntax error: unexpected "}}}" (expected "}}") in template "{{a}}}"'],
    ['a{{#if x}}b', 'template syntax error: unexpected end of template (is a {{/...}} or "}}" missing?) in template "a{{#if x}}b"'],
    ['{{upperr x}}', 'unknown helper "upperr" in template "{{upperr x}}" (did you mean "upper"?)'],
    ['{{> partial}}', 'partials ({{> name}}) are not supported in template "{{> partial}}"'],
  ];
  for (const [tpl, msg] of cases) assert.equal(failure(tpl, { x: 1 }, {}).message, msg, tpl);
});

test('each distinct template string is compiled once', async () => {
  const { compiled } = await import('../../../src/template/compile.js');
  const tpl = 'cached {{x}} template';
  const first = compiled(tpl);
  assert.equal(renderString(tpl, { x: 1 }, {}), 'cached 1 template');
  assert.equal(renderString(tpl, { x: 2 }, {}), 'cached 2 template');
  assert.equal(compiled(tpl), first);
});
