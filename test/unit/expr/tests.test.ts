import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TESTS } from '../../../src/expr/tests.js';
import { failure, run } from './helpers.js';

const ok = { failed: false, changed: true, rc: 0 };
const bad = { failed: true, changed: false, rc: 2 };
const skip = { skipped: true, changed: false };
const vars = { ok, bad, skip, s: 'etcd-3.5.9', n: 3, l: [1], m: { a: 1 }, z: null, b: false };

const CASES: Record<string, Array<[string, boolean]>> = {
  defined: [['s is defined', true], ['nope is defined', false], ['ok.rc is defined', true], ['ok.nope is defined', false], ['z is defined', true]],
  undefined: [['nope is undefined', true], ['s is undefined', false]],
  none: [['z is none', true], ['s is none', false], ['z is not none', false]],
  string: [['s is string', true], ['n is string', false]],
  number: [['n is number', true], ['s is number', false], ['b is number', false]],
  boolean: [['b is boolean', true], ['n is boolean', false]],
  mapping: [['m is mapping', true], ['l is mapping', false]],
  sequence: [['l is sequence', true], ['s is sequence', true], ['m is sequence', true], ['n is sequence', false]], // as in Jinja
  failed: [['bad is failed', true], ['ok is failed', false], ['ok is not failed', true], ['{} is failed', false]],
  succeeded: [['ok is succeeded', true], ['bad is succeeded', false]],
  success: [['ok is success', true], ['bad is success', false]],
  changed: [['ok is changed', true], ['bad is changed', false]],
  skipped: [['skip is skipped', true], ['ok is skipped', false]],
  match: [["s is match('etcd')", true], ["s is match('3\\\\.5')", false], ["s is match('.*3\\\\.5')", true], ["s is not match('x')", true]],
  search: [["s is search('3\\\\.5')", true], ["s is search('^3')", false]],
};

test('every test has cases', () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(TESTS).sort());
});

for (const [name, cases] of Object.entries(CASES)) {
  test(`test ${name}`, () => {
    for (const [src, want] of cases) assert.equal(run(src, vars), want, src);
  });
}

test('test errors', () => {
  const cases: Array<[string, string]> = [
    ['s is failed', 'test "failed" expects a registered task result (a mapping), got string in expression "s is failed"'],
    ["n is match('3')", 'test "match" expects a string, got number in expression "n is match(\'3\')"'],
    ['s is match(1)', 'match: the pattern must be a string, got number in expression "s is match(1)"'],
    ['nope is failed', 'undefined variable "nope" in expression "nope is failed"'],
  ];
  for (const [src, msg] of cases) assert.equal(failure(src, vars), msg, src);
});

test("regex literals written as in Ansible keep their backslashes: '3\\.5' matches a literal dot", () => {
  assert.equal(run("v is match('3\\.5')", { v: '3.5.9' }), true);
  assert.equal(run("v is match('3\\.5')", { v: '3x5' }), false);
});
