import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExprError, evaluate, parseExpression, test as check } from '../../../src/expr/index.js';
import { failure, parsed, run } from './helpers.js';

// Operator values are compared with Ansible in ansible-oracle.test.ts (fixtures operators.yaml and others).

test('test(): Jinja truthiness', () => {
  const cases: Array<[unknown, boolean]> = [
    ['', false],
    ['x', true],
    [0, false],
    [1, true],
    [-1, true],
    [null, false],
    [false, false],
    [true, true],
    [[], false],
    [[0], true],
    [{}, false],
    [{ a: 1 }, true],
  ];
  for (const [v, want] of cases) assert.equal(check(parsed('v'), { v }), want, JSON.stringify(v));
});

test('and/or short-circuit: the right side is not evaluated (so it may be undefined)', () => {
  assert.equal(run('x is defined and x.y > 1', {}), false);
  assert.equal(run('x is not defined or x > 1', {}), true);
});

test('an undefined variable is an error naming it and quoting the expression', () => {
  assert.equal(
    failure('data_dir == "/x"', { data_dirs: 1 }),
    'undefined variable "data_dir" (did you mean "data_dirs"?) in expression "data_dir == "/x""',
  );
  assert.equal(failure('nope'), 'undefined variable "nope" in expression "nope"');
  assert.equal(
    failure('r.rc == 0', { r: { failed: false, stdout: '' } }),
    'undefined variable "r.rc" ("r" has no key "rc"; it has: failed, stdout) in expression "r.rc == 0"',
  );
  assert.equal(failure('r.a.b', { r: { a: null } }), 'undefined variable "r.a.b" ("r.a" is null) in expression "r.a.b"');
  assert.equal(failure('l[5]', { l: [1] }), 'undefined variable "l[5]" ("l" has no index 5) in expression "l[5]"');
  assert.equal(failure('not x.y', {}), 'undefined variable "x" in expression "not x.y"');
  assert.equal(failure('[] | first'), 'first: the list is empty in expression "[] | first"');
  const e = (() => {
    try {
      run('a.b > 1', {});
    } catch (err) {
      return err;
    }
  })();
  assert.ok(e instanceof ExprError);
  assert.equal(e.variable, 'a');
});

test('undefined is fine under is defined / is not defined / is undefined / default', () => {
  assert.equal(run('x is defined'), false);
  assert.equal(run('x.y.z is defined', { x: {} }), false);
  assert.equal(run('x is not defined'), true);
  assert.equal(run('x is undefined'), true);
  assert.equal(run("x.y | default('d')", { x: {} }), 'd');
});

test('type errors are ExprErrors with the expression', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['n < s', { n: 1, s: 'a' }, '"<" cannot compare number with string in expression "n < s"'],
    ['n + s', { n: 1, s: 'a' }, 'cannot add number and string (use "~" to join as text) in expression "n + s"'],
    ['s - 1', { s: 'a' }, '"-" needs two numbers, got string and number in expression "s - 1"'],
    ['1 / 0', {}, 'division by zero ("/") in expression "1 / 0"'],
    ['1 in n', { n: 5 }, '"in" needs a string, list or mapping on the right, got number in expression "1 in n"'],
    ["1 in 'abc'", {}, '"in <string>" needs a string on the left, got number in expression "1 in \'abc\'"'],
    ['-s', { s: 'a' }, 'unary "-" needs a number, got string in expression "-s"'],
    ['m[k]', { m: {}, k: [] }, 'cannot index with a list in expression "m[k]"'],
  ];
  for (const [src, vars, msg] of cases) assert.equal(failure(src, vars), msg, src);
});

test('security: no prototype access, no JavaScript, even through computed keys or own data', () => {
  const vars = { m: { a: 1 }, k: '__proto__', c: 'constructor', s: 'abc' };
  assert.equal(failure('m[k]', vars), 'access to "__proto__" is not allowed in expression "m[k]"');
  assert.equal(failure('m[c]', vars), 'access to "constructor" is not allowed in expression "m[c]"');
  assert.equal(failure('s.length', vars), 'undefined variable "s.length" ("s" has no key "length") in expression "s.length"');
  assert.equal(
    failure('m.toString', vars),
    'undefined variable "m.toString" ("m" has no key "toString"; it has: a) in expression "m.toString"',
  );
  // inherited properties of the vars object itself are not variables
  assert.equal(failure('toString', {}), 'undefined variable "toString" in expression "toString"');
  // strings are data, never code
  assert.equal(run("'process.exit(1)' | length"), 15);
  for (const src of ['process.exit(1)', 'globalThis', '(() => 1)()', 'new Date()', '`x`', 'x => 1']) {
    const { expr, problems } = parseExpression(src);
    const threw = expr
      ? (() => {
          try {
            evaluate(expr, {});
            return false;
          } catch (e) {
            return e instanceof ExprError;
          }
        })()
      : true;
    assert.ok(problems.length > 0 || threw, src);
  }
});
