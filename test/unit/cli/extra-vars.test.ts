import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExtraVars } from '../../../src/cli/extra-vars.js';

test('-e accepts k=v pairs (quoted), JSON, and @file; later values win', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ev-'));
  const file = join(dir, 'vars.yaml');
  writeFileSync(file, 'snapshot: Full-00000000-00000010-1700000000\nkeep_last: 3\n');
  const { vars, problems } = parseExtraVars(['a=1 b="two words"', '{"a": 2, "list": [1]}', `@${file}`]);
  assert.deepEqual(problems, []);
  assert.deepEqual(vars, { a: 2, b: 'two words', list: [1], snapshot: 'Full-00000000-00000010-1700000000', keep_last: 3 });
});

test('bad -e values are reported with which -e and why', () => {
  const { problems } = parseExtraVars([
    'novalue',
    '{"a": ',
    '@/nonexistent/file.yaml',
    '1x=2',
    'ok=1',
    '[1,2]',
    '{"a": 1,}',
    'keep-last=3',
  ]);
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      '-e #1 ("novalue"): expected key=value, got "novalue"',
      '-e #2 ("{"a": "): not valid JSON: unexpected end (at column 6)',
      '-e #3: variables file /nonexistent/file.yaml does not exist',
      '-e #4 ("1x=2"): invalid variable name "1x" (letters, digits and _, not starting with a digit)',
      '-e #6 ("[1,2]"): expected key=value, got "[1,2]"',
      '-e #7 ("{"a": 1,}"): not valid JSON: Expected double-quoted property name at column 9',
      '-e #8 ("keep-last=3"): invalid variable name "keep-last" (letters, digits and _, not starting with a digit)',
    ],
  );
  assert.equal(problems[6]?.hint, 'did you mean "keep_last"?');
});

test('a broken -e @file is reported at its file:line:col', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ev-'));
  const file = join(dir, 'vars.yaml');
  writeFileSync(file, 'snapshot: Full-1\nkeep_last: [3\n');
  const { problems } = parseExtraVars([`@${file}`]);
  assert.equal(problems.length, 1);
  assert.deepEqual(problems[0]?.loc && { ...problems[0].loc, file: 'vars.yaml' }, { file: 'vars.yaml', line: 3, col: 1 });
  assert.match(problems[0]?.message ?? '', /^-e #1: YAML/);
});

test('a bad -e that sets a secret never echoes the secret (or a piece of it)', () => {
  const { problems } = parseExtraVars([
    'db_password=two words other=1',
    '{"api_token": "tok-1234", }',
    "vault_secret='tok-5678",
    'x=1 db_password=tok-9999 1x=2',
  ]);
  const text = problems.map((p) => p.message).join('\n');
  for (const s of ['words', 'tok-1234', 'tok-5678', 'tok-9999']) assert.ok(!text.includes(s), `${s} in:\n${text}`);
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      '-e #1 ("db_password=******** other=1"): expected key=value, got a word without "="',
      '-e #2 ("{"api_token": "********", }"): not valid JSON: Expected double-quoted property name at column 27',
      '-e #3 ("vault_secret=********"): unterminated single quote',
      '-e #4 ("x=1 db_password=********"): invalid variable name "1x" (letters, digits and _, not starting with a digit)',
    ],
  );
});
