import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsep from 'jsep';
import { parseExpression } from '../../../src/expr/index.js';
import { run } from './helpers.js';

test('precedence follows Jinja', () => {
  const cases: Array<[string, Record<string, unknown>, unknown]> = [
    ['not a == b', { a: 1, b: 2 }, true], // not (a == b)
    ['a or b and c', { a: true, b: false, c: false }, true], // a or (b and c)
    ['not a or b', { a: true, b: true }, true], // (not a) or b
    ['1 + 2 * 3', {}, 7],
    ['(1 + 2) * 3', {}, 9],
    ['-x | int + 1', { x: '4' }, -3], // -(x|int) + 1
    ['items | length > 2', { items: [1, 2, 3] }, true], // (items|length) > 2
    ['x is defined and x > 1', { x: 2 }, true],
    ['a not in b', { a: 'z', b: ['x'] }, true],
    ['a  not   in b', { a: 'x', b: ['x'] }, false],
    ["'a' ~ 1 ~ 2 * 3", {}, 'a16'], // * binds tighter than ~
  ];
  for (const [src, vars, want] of cases) assert.deepEqual(run(src, vars), want, src);
});

test('literals: numbers, strings, booleans, none, lists, mappings', () => {
  const cases: Array<[string, unknown]> = [
    ['42', 42],
    ['1.5e2', 150],
    ["'single'", 'single'],
    ['"double"', 'double'],
    ["'tab\\tnew\\nline'", 'tab\tnew\nline'],
    ["'it\\'s' ~ \"\\\"q\\\"\"", 'it\'s"q"'],
    ["'3\\.5\\d'", '3\\.5\\d'], // unknown escapes keep the backslash, as in Python/Jinja
    ["'a\\\\b'", 'a\\b'],
    ['true', true],
    ['True', true],
    ['false', false],
    ['False', false],
    ['none', null],
    ['None', null],
    ['null', null],
    ['[1, "a", [true]]', [1, 'a', [true]]],
    ['[]', []],
    ["{'a': 1, 'b': [2]}", { a: 1, b: [2] }],
    ['{}', {}],
    ["{'a': {'b': 3}}['a'].b", 3],
    ['[1, 2, 3][-1]', 3],
  ];
  for (const [src, want] of cases) assert.deepEqual(run(src), want, src);
});

test('a single surrounding {{ }} is stripped without error', () => {
  assert.equal(run('{{ x > 1 }}', { x: 2 }), true);
  assert.equal(run('  {{x}}  ', { x: 'y' }), 'y');
  assert.equal(parseExpression('{{ x }}').expr?.source, 'x');
});

test('syntax errors say what and where (column inside the expression)', () => {
  const cases: Array<[string, string]> = [
    ['x ==', 'invalid expression "x ==" at column 5: expected a value at the end of the expression'],
    ['x && y', 'invalid expression "x && y" at column 3: unexpected "&" (use "and")'],
    ['x || y', 'invalid expression "x || y" at column 3: unexpected "|" (use "or")'],
    ['a = b', 'invalid expression "a = b" at column 3: unexpected "=" (use "==" to compare)'],
    ['!a', 'invalid expression "!a" at column 1: unexpected "!"'],
    ["'abc", 'invalid expression "\'abc" at column 5: unclosed quote after "abc"'],
    ['(a', 'invalid expression "(a" at column 3: unclosed "("'],
    ['(1, 2)', 'invalid expression "(1, 2)" at column 3: expected ")" but found ","'],
    ['a, b', 'invalid expression "a, b" at column 2: unexpected ","'],
    ['a b', 'invalid expression "a b" at column 3: unexpected "b"'],
    ['a < b < c', 'invalid expression "a < b < c" at column 7: chained comparisons are not supported, combine them with "and"'],
    ['x |', 'invalid expression "x |" at column 4: expected a filter name'],
    ['x is', 'invalid expression "x is" at column 5: expected a test name'],
    ['x and or y', 'invalid expression "x and or y" at column 7: unexpected "or"'],
    ["{'a' 1}", 'invalid expression "{\'a\' 1}" at column 6: expected ":" after a mapping key'],
    ['{{ x == }}', 'invalid expression "{{ x == }}" at column 9: expected a value at the end of the expression'],
    ['   ', 'empty expression ""'],
    ['{{ }}', 'empty expression "{{ }}"'],
  ];
  for (const [src, msg] of cases) {
    const { expr, problems } = parseExpression(src);
    assert.equal(expr, undefined, src);
    assert.equal(problems.length, 1, src);
    assert.equal(problems[0]?.message, msg, src);
  }
});

test('unknown filters and tests get a "did you mean" hint; argument counts are checked', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['x | lowr', 'invalid expression "x | lowr" at column 5: unknown filter "lowr"', 'did you mean "lower"?'],
    ['x is defind', 'invalid expression "x is defind" at column 6: unknown test "defind"', 'did you mean "defined"?'],
    ['x | default', 'invalid expression "x | default" at column 5: filter "default" takes 1 to 2 argument(s), got 0', undefined],
    ['x is match', 'invalid expression "x is match" at column 6: test "match" takes 1 argument(s), got 0', undefined],
    ['x | eval', 'invalid expression "x | eval" at column 5: unknown filter "eval"', undefined],
  ];
  for (const [src, msg, hint] of cases) {
    const [p] = parseExpression(src).problems;
    assert.equal(p?.message, msg, src);
    assert.equal(p?.hint, hint, src);
  }
});

test('refused syntax: calls, prototype names, optional chaining', () => {
  const cases: Array<[string, string]> = [
    ['f(1)', 'invalid expression "f(1)": function calls are not supported; use a filter (value | name(args)) or a test (value is name(args))'],
    ["x.lower()", 'invalid expression "x.lower()": function calls are not supported; use a filter (value | name(args)) or a test (value is name(args))'],
    ['x.constructor', 'invalid expression "x.constructor": access to "constructor" is not allowed'],
    ["x['__proto__']", 'invalid expression "x[\'__proto__\']": access to "__proto__" is not allowed'],
    ['constructor', 'invalid expression "constructor": access to "constructor" is not allowed'],
    ['x.prototype', 'invalid expression "x.prototype": access to "prototype" is not allowed'],
    ['x?.y', 'invalid expression "x?.y": "?." is not supported'],
  ];
  for (const [src, msg] of cases) assert.equal(parseExpression(src).problems[0]?.message, msg, src);
  // `this` is an ordinary (here undefined) variable name, not JavaScript's this
  assert.equal(run('this', { this: 1 }), 1);
});

test("jsep's global configuration is restored after parsing", () => {
  const before = jsep('a && b || !c');
  parseExpression('a and not b | length');
  parseExpression('x ==');
  assert.deepEqual(jsep('a && b || !c'), before);
  assert.equal(jsep('a ? b : c').type, 'ConditionalExpression'); // the ternary plugin hook is back
});
