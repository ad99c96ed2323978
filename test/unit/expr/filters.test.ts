import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FILTERS } from '../../../src/expr/filters.js';
import { failure, run } from './helpers.js';

const vars = { s: '  Hello World  ', l: ['a', 'b', 'c'], m: { x: 1, y: 2 }, n: null, j: '{"a": [1, 2]}', e: [], es: '' };

const CASES: Record<string, Array<[string, unknown]>> = {
  default: [
    ["missing | default('d')", 'd'],
    ["m.nope | default(5)", 5],
    ["n | default('d')", 'd'], // null is replaced too (YAML `key:` with no value)
    ["es | default('d')", ''],
    ["es | default('d', true)", 'd'], // second argument: also replace falsy values
    ["l | default([])", ['a', 'b', 'c']],
  ],
  int: [["'42' | int", 42], ["' 7 ' | int", 7], ["'3.9' | int", 3], ['-2.5 | int', -2], ["'abc' | int", 0], ["'abc' | int(-1)", -1], ['true | int', 1], ['n | int', 0]],
  float: [["'1.5' | float", 1.5], ['2 | float', 2], ["'x' | float", 0], ["'x' | float(0.5)", 0.5], ["'1e3' | float", 1000]],
  string: [['1 | string', '1'], ['true | string', 'true'], ['n | string', 'null'], ['l | string', '["a","b","c"]'], ["'x' | string", 'x']],
  bool: [["'yes' | bool", true], ["'True' | bool", true], ["'on' | bool", true], ["'1' | bool", true], ["'no' | bool", false], ["'off' | bool", false], ["'' | bool", false], ['0 | bool', false], ['2 | bool', true], ['n | bool', false], ['false | bool', false]],
  length: [['s | length', 15], ['l | length', 3], ['m | length', 2], ['e | length', 0]],
  lower: [['s | lower', '  hello world  ']],
  upper: [['s | upper', '  HELLO WORLD  ']],
  trim: [['s | trim', 'Hello World']],
  first: [['l | first', 'a'], ["'xyz' | first", 'x'], ["e | first | default('none')", 'none']],
  last: [['l | last', 'c'], ["'xyz' | last", 'z']],
  from_json: [['(j | from_json).a[1]', 2], ["'null' | from_json", null]],
  to_json: [['m | to_json', '{"x":1,"y":2}'], ["'a' | to_json", '"a"'], ['[1] | to_json(1)', '[\n 1\n]']],
  regex_search: [["s | regex_search('W\\\\w+')", 'World'], ["s | regex_search('^x')", null], ["s | regex_search('o+') | length", 1]],
  split: [["'a,b,,c' | split(',')", ['a', 'b', '', 'c']], ['s | split', ['Hello', 'World']], ["'' | split", []]],
  join: [["l | join(', ')", 'a, b, c'], ['l | join', 'abc'], ["[1, none, true] | join('-')", '1-null-true']],
};

test('every filter has cases', () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(FILTERS).sort());
});

for (const [name, cases] of Object.entries(CASES)) {
  test(`filter ${name}`, () => {
    for (const [src, want] of cases) assert.deepEqual(run(src, vars), want, src);
  });
}

test('filter errors name the filter and the wrong type', () => {
  const cases: Array<[string, string]> = [
    ['l | lower', 'lower expects a string, got list in expression "l | lower"'],
    ['1 | length', 'length expects a string, list or mapping, got number in expression "1 | length"'],
    ['m | first', 'first expects a list or string, got mapping in expression "m | first"'],
    ["'maybe' | bool", 'bool: cannot convert "maybe" to a boolean in expression "\'maybe\' | bool"'],
    ["s | regex_search('(')", 'regex_search: invalid regular expression "(" (Invalid regular expression: /(/: Unterminated group) in expression "s | regex_search(\'(\')"'],
    ["s | split('')", 'split: the separator must be a non-empty string in expression "s | split(\'\')"'],
    ['s | join', 'join expects a list, got string in expression "s | join"'],
    ['m | to_json(99)', 'indent must be a whole number from 0 to 10 in expression "m | to_json(99)"'],
    ['missing | upper', 'undefined variable "missing" in expression "missing | upper"'],
  ];
  for (const [src, msg] of cases) assert.equal(failure(src, vars), msg, src);
  // the JSON.parse detail differs between Node versions
  assert.match(failure("'{' | from_json"), /^from_json: invalid JSON \(.+\) in expression "'\{' \| from_json"$/);
});
