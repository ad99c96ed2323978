import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure, run } from './helpers.js';

// Every test's values are compared with Ansible in ansible-oracle.test.ts; here: tsplay's own messages.

const vars = { s: 'etcd-3.5.9', n: 3 };

test('test errors name the test and what is wrong', () => {
  const cases: Array<[string, string]> = [
    ['s is failed', 'test "failed" expects a registered task result (a mapping), got string in expression "s is failed"'],
    ['s is match(1)', 'test "match": the pattern must be a string, got number in expression "s is match(1)"'],
    ['nope is failed', 'undefined variable "nope" in expression "nope is failed"'],
    [
      "s is version('1', 'bigger')",
      'version: invalid operator "bigger" (one of ==, =, eq, <, lt, <=, le, >, gt, >=, ge, !=, <>, ne) in expression "s is version(\'1\', \'bigger\')"',
    ],
    [
      "'1.0a' is version('1.0.1')",
      'version comparison failed: "<" cannot compare string with number in expression "\'1.0a\' is version(\'1.0.1\')"',
    ],
    [
      "'x' is version('1', strict=true)",
      "version comparison failed: invalid version number 'x' in expression \"'x' is version('1', strict=true)\"",
    ],
    [
      "'1' is version('1', version_type='pep440')",
      "version: version_type \"pep440\" is not supported (loose, strict, semver, semantic) in expression \"'1' is version('1', version_type='pep440')\"",
    ],
  ];
  for (const [src, msg] of cases) assert.equal(failure(src, vars), msg, src);
});

test("Python regular expressions: (?P<name>), (?i), \\A and \\Z work on JavaScript's engine", () => {
  assert.equal(run("s is match('(?P<name>etcd)-(?P=name)?')", vars), true);
  assert.equal(run("s is search('(?i)ETCD')", vars), true);
  assert.equal(run("s is search('\\\\A3')", vars), false);
  assert.equal(run("s is search('9\\\\Z')", vars), true);
  assert.equal(run("s | regex_replace('(?P<v>\\\\d)', '<\\\\g<v>>')", vars), 'etcd-<3>.<5>.<9>');
});
