import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { renderString, quoteShellWords } from '../../../src/template/index.js';

const NASTY = [
  '',
  ' ',
  "'",
  "''",
  "it's",
  "'; rm -rf / #",
  'a;b',
  '$(echo pwned)',
  '`echo pwned`',
  '${HOME}',
  '$HOME',
  '"double"',
  'back\\slash\\',
  'new\nline',
  '\n',
  'tab\there',
  '*',
  '~',
  '-n',
  '--',
  '!',
  '&& echo pwned',
  '| cat',
  '> /tmp/x',
  "x'\"'\"'y",
  'ünïcödé ✓',
  "'\\''",
];

function sh(script: string): Buffer {
  const r = spawnSync('/bin/sh', ['-c', script]);
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

test('q: the shell sees exactly the original bytes, whatever they are', () => {
  for (const v of NASTY) {
    assert.deepEqual(sh(`printf %s ${quoteShellWords(v)}`), Buffer.from(v), JSON.stringify(v));
    // and the same through a template
    assert.deepEqual(sh(renderString('printf %s {{q v}}', { v }, {})), Buffer.from(v), JSON.stringify(v));
  }
});

test('q: a list becomes one shell word per element', () => {
  const out = sh(`printf '%s\\0' ${quoteShellWords(NASTY)}`);
  assert.deepEqual(out, Buffer.from(NASTY.map((v) => `${v}\0`).join('')));
  assert.equal(quoteShellWords([]), '');
});

test('q: numbers and booleans are quoted as text', () => {
  assert.equal(quoteShellWords(2379), "'2379'");
  assert.equal(quoteShellWords(1.5), "'1.5'");
  assert.equal(quoteShellWords(true), "'true'");
  assert.equal(quoteShellWords(['a b', 1]), "'a b' '1'");
});

test('q: refuses what cannot be one shell word', () => {
  const cases: Array<[unknown, string]> = [
    [null, 'q: cannot quote null (only strings, numbers, booleans and lists of them)'],
    [undefined, 'q: cannot quote null (only strings, numbers, booleans and lists of them)'],
    [{ a: 1 }, 'q: cannot quote mapping (only strings, numbers, booleans and lists of them)'],
    [[['nested']], 'q: cannot quote list (only strings, numbers, booleans and lists of them)'],
    ['a\0b', 'q: a shell argument cannot contain a NUL byte'],
    [Number.NaN, 'q: cannot quote the number NaN'],
  ];
  for (const [v, msg] of cases) assert.throws(() => quoteShellWords(v), { message: msg }, String(v));
});
