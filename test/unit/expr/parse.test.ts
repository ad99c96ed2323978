import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression, test as truth } from '../../../src/expr/index.js';
import '../../../src/template/index.js';
import { run } from './helpers.js';

// Values and precedence are compared with Ansible in ansible-oracle.test.ts; these are tsplay's own messages.

test('a single surrounding {{ }} is stripped without error', () => {
  assert.equal(run('{{ x > 1 }}', { x: 2 }), true);
  assert.equal(run('  {{x}}  ', { x: 'y' }), 'y');
  assert.equal(parseExpression('{{ x }}').expr?.source, 'x');
});

test('conditions read strings with Python escapes; unknown escapes keep the backslash', () => {
  assert.equal(run("'tab\\tnew\\nline'"), 'tab\tnew\nline');
  assert.equal(run("'3\\.5\\d'"), '3\\.5\\d');
  assert.equal(run("'\\x41\\u00e9'"), 'Aé');
  assert.equal(run('"it\'s" ~ \'"q"\''), 'it\'s"q"');
});

test('syntax errors say what, where (column inside the expression) and what to write instead', () => {
  const cases: Array<[string, string, string?]> = [
    ['x ==', 'at column 5: expected a value at the end of the expression'],
    ['x && y', 'at column 3: unexpected "&&"', 'use "and"'],
    ['x || y', 'at column 3: unexpected "||"', 'use "or"'],
    ['a = b', 'at column 3: unexpected "="', 'use "==" to compare'],
    ['!a', 'at column 1: unexpected "!"', 'use "not" or "!="'],
    ['x ? a : b', 'at column 3: unexpected "?"', 'use "A if CONDITION else B"'],
    ['x?.y', 'at column 2: unexpected "?."', 'use "x.y if x is defined" or "x | default(...)"'],
    ["'abc", "at column 1: unclosed quote (') of the string starting here"],
    ['(a', 'at column 1: unclosed "("'],
    ['a, b', 'at column 2: unexpected ","', 'one expression only; use "and"/"or" to combine conditions'],
    ['a b', 'at column 3: unexpected "b"'],
    ['x |', 'at column 4: expected a filter name after "|" but found end of expression'],
    ['x is', 'at column 5: expected a test name after "is" but found end of expression'],
    ['x and or y', 'at column 7: unexpected "or"'],
    ["{'a' 1}", 'at column 6: expected ":" after a mapping key but found "1"'],
    ['x[1:2:3:4]', 'at column 8: expected "]" to close the subscript but found ":"'],
    ['{{ x == }}', 'at column 9: expected a value at the end of the expression'],
  ];
  for (const [src, msg, hint] of cases) {
    const { expr, problems } = parseExpression(src);
    assert.equal(expr, undefined, src);
    assert.deepEqual(
      problems.map((p) => [p.message, p.hint]),
      [[`invalid expression "${src}" ${msg}`, hint]],
      src,
    );
  }
  assert.deepEqual(
    parseExpression('   ').problems.map((p) => p.message),
    ['empty expression ""'],
  );
  assert.deepEqual(
    parseExpression('{{ }}').problems.map((p) => p.message),
    ['empty expression "{{ }}"'],
  );
});

test('filters, tests, methods and functions are checked when parsing: names (did you mean), arguments', () => {
  const cases: Array<[string, string, string?]> = [
    ['x | lowr', 'at column 5: unknown filter "lowr"', 'did you mean "lower"?'],
    ['x is defind', 'at column 6: unknown test "defind"', 'did you mean "defined"?'],
    ['x | defined', 'at column 5: unknown filter "defined"', '"defined" is a test: write VALUE is defined'],
    ['x is uper', 'at column 6: unknown test "uper"', 'did you mean "upper"?'],
    ['x | default(1, 2, 3)', 'at column 5: filter "default" takes at most 2 arguments (default_value, boolean), got 3'],
    ['x | default(nope=1)', 'at column 5: filter "default" has no parameter "nope" (it takes: default_value, boolean)'],
    ['x | upper(1)', 'at column 5: filter "upper" takes no arguments, got 1'],
    ['x is version', 'at column 6: test "version" needs "version"'],
    ["x | map('uper')", 'at column 9: map: unknown filter "uper"', 'did you mean "upper"?'],
    ["x | selectattr('k', 'equalsto', 1)", 'at column 21: selectattr: unknown test "equalsto"', 'did you mean "equalto"?'],
    ['x | first.name', 'at column 5: unknown filter "first.name"', 'to read a key of the result, use parentheses: (VALUE | first).name'],
    [
      'x | community.general.json_query("a")',
      'at column 5: unknown filter "community.general.json_query"; filters and tests of collections other than ansible.builtin are not available',
    ],
    [
      'x.foo()',
      'at column 3: unknown method ".foo()" (supported: split, rsplit, splitlines, replace, strip, lstrip, rstrip, startswith, endswith, lower, upper, capitalize, title, find, isdigit, zfill, join, format, count, index, get, keys, values, items, update)',
    ],
    [
      'x.length()',
      'at column 3: unknown method ".length()" (supported: split, rsplit, splitlines, replace, strip, lstrip, rstrip, startswith, endswith, lower, upper, capitalize, title, find, isdigit, zfill, join, format, count, index, get, keys, values, items, update)',
      'use the filter: VALUE | length',
    ],
    ['f(1)', 'at column 1: unknown function "f()" (the functions are: range)'],
    ['length(x)', 'at column 1: unknown function "length()" (the functions are: range)', '"length" is a filter: write VALUE | length'],
    [
      "lookup('env', 'HOME')",
      "at column 1: lookup('env', ...) is an Ansible lookup plugin: tsplay has no lookup plugins (templates never read the controller's files, environment or commands)",
      'pass the value with -e NAME=VALUE, or read it on a host with a task (command: printenv NAME, register)',
    ],
    [
      "query('file', 'x')",
      "at column 1: query('file', ...) is an Ansible lookup plugin: tsplay has no lookup plugins (templates never read the controller's files, environment or commands)",
      'put the values in vars_files, or read a host file with slurp',
    ],
    [
      'now()',
      'at column 1: now() is not available (templates are rendered the same way everywhere)',
      'run command: date -u +%Y%m%dT%H%M%SZ in a task and register it',
    ],
    ['x(1)', 'at column 1: unknown function "x()" (the functions are: range)'],
    [
      'x.y(1)',
      'at column 3: unknown method ".y()" (supported: split, rsplit, splitlines, replace, strip, lstrip, rstrip, startswith, endswith, lower, upper, capitalize, title, find, isdigit, zfill, join, format, count, index, get, keys, values, items, update)',
    ],
  ];
  for (const [src, msg, hint] of cases) {
    assert.deepEqual(
      parseExpression(src).problems.map((p) => [p.message, p.hint]),
      [[`invalid expression "${src}" ${msg}`, hint]],
      src,
    );
  }
  // ansible.builtin. and ansible.legacy. names are ours
  assert.equal(run("'a' | ansible.builtin.upper"), 'A');
  assert.equal(run("'a' is ansible.legacy.string"), true);
});

test('refused names: prototypes and constructors cannot be reached', () => {
  for (const [src, col, name] of [
    ['x.constructor', 3, 'constructor'],
    ["x['__proto__']", 2, '__proto__'],
    ['constructor', 1, 'constructor'],
    ['x.prototype', 3, 'prototype'],
  ] as const) {
    assert.deepEqual(
      parseExpression(src).problems.map((p) => p.message),
      [`invalid expression "${src}" at column ${col}: access to "${name}" is not allowed`],
      src,
    );
  }
  // `this` is an ordinary variable name, not JavaScript's this
  assert.equal(run('this', { this: 1 }), 1);
});

test('a condition with {{ }} or {% %} inside a longer expression is rendered first, then its text evaluated (ansible-core)', () => {
  const vars = { x: 'a', a: 'A', y: true, hosts: ['m1', 'm2'], me: 'm2' };
  const holds = (src: string): boolean => {
    const r = parseExpression(src);
    assert.ok(r.expr, JSON.stringify(r.problems));
    assert.match(r.warning ?? '', /^conditional statements should not include jinja2 templating delimiters/);
    return truth(r.expr, vars);
  };
  // "{{ x }} == 'a'" renders to "a == 'a'": the variable a is compared, as in Ansible
  assert.equal(holds("{{ x }} == 'a' and {{ y }}"), false);
  assert.equal(holds("{{ x }} == 'A'"), true);
  assert.equal(holds("'{{ x }}' == 'a'"), true);
  assert.equal(holds('{% for h in hosts %}{% if h == me %}True{% endif %}{% endfor %}'), true);
  assert.throws(() => holds('{{ hosts | join(" ") }} == 1'), /the condition rendered to "m1 m2 == 1", which is no valid expression/);
  // the template's own problems are found when it is parsed
  assert.deepEqual(
    parseExpression('{{ x | nope }} == 1').problems.map((p) => p.message),
    [
      'in condition "{{ x | nope }} == 1": invalid expression "x | nope" at column 5: unknown filter "nope" in template "{{ x | nope }} == 1"',
    ],
  );
});

test('a condition that is one {{ e }} or not {{ e }} is read as e or not (e), with ansible-core warning', () => {
  const whole = parseExpression('{{ a and b }}');
  assert.equal(whole.expr?.source, 'a and b');
  assert.equal(
    whole.warning,
    'conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: {{ a and b }}',
  );
  const negated = parseExpression('not {{ a or b }}');
  assert.deepEqual(negated.problems, []);
  assert.equal(negated.expr?.source, 'not ( a or b )');
  assert.match(negated.warning ?? '', /Found: not \{\{ a or b \}\}$/);
  assert.equal(parseExpression('a and b').warning, undefined);
});
