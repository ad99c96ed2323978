import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure, run } from './helpers.js';

// Every filter's values are compared with Ansible in ansible-oracle.test.ts; here: tsplay's own messages, the
// filter that ansible-core does not have (ipwrap, from ansible.utils) and the safety rules of quote.

const vars = { s: 'Hello World', l: ['a', 'b'], m: { x: 1 }, n: null };

test('filter errors name the filter and what is wrong', () => {
  const cases: Array<[string, string]> = [
    ['1 | length', 'length expects a string, list or mapping, got number in expression "1 | length"'],
    ['1 | first', 'first expects a list, got number in expression "1 | first"'],
    ["s | regex_search('(')", 'regex_search: invalid regular expression "(" (Unterminated group) in expression "s | regex_search(\'(\')"'],
    ["s | split('')", 'split: empty separator in expression "s | split(\'\')"'],
    ['m | to_json(indent=99)', 'indent must be a whole number from 0 to 16 in expression "m | to_json(indent=99)"'],
    ['missing | upper', 'undefined variable "missing" in expression "missing | upper"'],
    ["[1, 'a'] | sort", '"sort" cannot compare string with number in expression "[1, \'a\'] | sort"'],
    ["m | combine('x')", 'combine expects a mapping, got string in expression "m | combine(\'x\')"'],
    ["l | map(attribute='k') | list", 'map: string has no attribute "k" in expression "l | map(attribute=\'k\') | list"'],
    ['missing | mandatory', 'mandatory variable "missing" is not defined in expression "missing | mandatory"'],
    [
      "missing | mandatory('set etcd_version with -e')",
      'set etcd_version with -e in expression "missing | mandatory(\'set etcd_version with -e\')"',
    ],
  ];
  for (const [src, msg] of cases) assert.equal(failure(src, vars), msg, src);
  assert.match(failure("'{' | from_json"), /^from_json: invalid JSON \(.+\) in expression "'\{' \| from_json"$/);
});

test('quote: one shell word as Ansible quotes it, never an empty word from null, no list reprs', () => {
  assert.equal(run("'safe-word_1.2:3@x%y+z=w,v/u' | quote"), 'safe-word_1.2:3@x%y+z=w,v/u');
  assert.equal(run(`"it's $(rm -rf /)" | quote`), `'it'"'"'s $(rm -rf /)'`);
  assert.equal(run("'' | quote"), "''");
  assert.equal(run('7 | quote'), '7');
  assert.equal(run("l | map('quote') | join(' ')", vars), 'a b');
  assert.equal(
    failure('n | quote', vars),
    'quote got null: an empty shell word would change the command (use default(\'\', true) if empty is meant) in expression "n | quote"',
  );
  assert.equal(
    failure('l | quote', vars),
    "quote expects a string or number, got list (for one word per element write: | map('quote') | join(' ')) in expression \"l | quote\"",
  );
});

test('ipwrap (ansible.utils): IPv6 addresses in brackets, everything else as it is', () => {
  assert.equal(run("'fd00::1' | ipwrap"), '[fd00::1]');
  assert.equal(run("'fd00::1/64' | ansible.utils.ipwrap"), '[fd00::1]/64');
  assert.equal(run("'127.0.1.11' | ipwrap"), '127.0.1.11');
  assert.equal(run("'etcd-0.local' | ansible.netcommon.ipwrap"), 'etcd-0.local');
  assert.deepEqual(run("['::1', '127.0.0.1', 'h'] | ipwrap"), ['[::1]', '127.0.0.1', 'h']);
  assert.equal(failure('1 | ipwrap'), 'ipwrap expects an address or a list of them, got number in expression "1 | ipwrap"');
});
