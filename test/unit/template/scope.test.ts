import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateError, makeScope, renderString } from '../../../src/template/index.js';
import { parseExpression, evaluate } from '../../../src/expr/index.js';

const where = { loc: { file: 'playbooks/dr.yaml', line: 3, col: 1 } };

test('later layers override earlier ones by top-level key', () => {
  const s = makeScope(
    [
      { kind: 'authored', vars: { a: 1, b: { x: 1 }, c: 'inv' } },
      { kind: 'authored', vars: { b: { y: 2 }, c: 'play' } },
      { kind: 'data', vars: { c: 'registered' } },
    ],
    where,
  );
  assert.deepEqual({ ...s }, { a: 1, b: { y: 2 }, c: 'registered' });
});

test('authored values are rendered lazily against the whole scope', () => {
  const s = makeScope(
    [
      { kind: 'authored', vars: { data_dir: '{{base}}/etcd', list: ['{{base}}', '{{port}}'], base: '/var/lib' } },
      { kind: 'authored', vars: { port: 2379, base: '/srv' } },
    ],
    where,
  );
  assert.equal(s['data_dir'], '/srv/etcd');
  assert.deepEqual(s['list'], ['/srv', 2379]);
  assert.equal(renderString('{{data_dir}}/member', s, {}), '/srv/etcd/member');
  const expr = parseExpression("data_dir == '/srv/etcd'").expr;
  assert.ok(expr);
  assert.equal(evaluate(expr, s), true);
});

test('an unused broken variable does not break the others', () => {
  const s = makeScope([{ kind: 'authored', vars: { bad: '{{missing}}', good: 'ok' } }], where);
  assert.equal(renderString('{{good}}', s, {}), 'ok');
  assert.throws(() => s['bad'], { message: 'undefined variable "missing" in template "{{missing}}" (playbooks/dr.yaml:3:1, vars.bad)' });
});

test('cycles are reported with the chain', () => {
  const s = makeScope([{ kind: 'authored', vars: { a: '{{b}}/x', b: '{{c}}', c: 'pre-{{a}}', self: '{{self}}!' } }], where);
  assert.throws(
    () => s['a'],
    (e: unknown) => {
      assert.ok(e instanceof TemplateError);
      assert.equal(e.message, 'variable "a" refers to itself through "b" -> "c" (playbooks/dr.yaml:3:1)');
      assert.equal(e.variable, 'a');
      return true;
    },
  );
  assert.throws(() => s['self'], { message: 'variable "self" refers to itself (playbooks/dr.yaml:3:1)' });
  // the failed attempt left no state behind
  assert.throws(() => s['b'], { message: 'variable "b" refers to itself through "c" -> "a" (playbooks/dr.yaml:3:1)' });
});

test('data layers (registered results, facts) are never rendered as templates', () => {
  const s = makeScope(
    [
      { kind: 'authored', vars: { secret: 'S3CRET' } },
      { kind: 'data', vars: { result: { stdout: '{{secret}}', stdout_lines: ['{{secret}}'] }, fact: '{{ secret }}' } },
    ],
    where,
  );
  assert.deepEqual(s['result'], { stdout: '{{secret}}', stdout_lines: ['{{secret}}'] });
  assert.equal(s['fact'], '{{ secret }}');
  assert.equal(renderString('out={{result.stdout}} {{fact}}', s, {}), 'out={{secret}} {{ secret }}');
});

test('the scope has no prototype: inherited names are not variables', () => {
  const s = makeScope([{ kind: 'authored', vars: { a: 1 } }], where);
  assert.equal(Object.getPrototypeOf(s), null);
  assert.throws(() => renderString('{{toString_}}', s, {}), { message: 'undefined variable "toString_" in template "{{toString_}}"' });
  const expr = parseExpression('hasOwnProperty is defined').expr;
  assert.ok(expr);
  assert.equal(evaluate(expr, s), false);
});
