import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInput } from '../../../src/util/read-input.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-read-input-'));
const at = { file: 'playbook.yaml', line: 3, col: 5 };

test('a readable UTF-8 file gives its text (a BOM is kept, as readFileSync does)', () => {
  writeFileSync(join(dir, 'ok.yaml'), '\uFEFFa: 1\n');
  assert.deepEqual(readInput(join(dir, 'ok.yaml'), 'file', at), { text: '\uFEFFa: 1\n' });
});

test('one wording for every reason a file cannot be read, located where it is named', () => {
  mkdirSync(join(dir, 'sub'));
  symlinkSync('/nonexistent/tsplay-target.yaml', join(dir, 'dangling.yaml'));
  writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
  writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(11));
  const cases: Array<[string, string, string | undefined]> = [
    ['missing.yaml', `variables file ${dir}/missing.yaml does not exist`, 'ENOENT'],
    [
      'dangling.yaml',
      `variables file ${dir}/dangling.yaml is a symbolic link to /nonexistent/tsplay-target.yaml, which does not exist`,
      'ENOENT',
    ],
    ['sub', `variables file ${dir}/sub is a directory`, 'EISDIR'],
    ['latin1.yaml', `variables file ${dir}/latin1.yaml is not UTF-8 text`, undefined],
    ['big.yaml', `variables file ${dir}/big.yaml is too large (11 bytes; at most 10)`, 'EFBIG'],
  ];
  for (const [name, message, code] of cases) {
    const r = readInput(join(dir, name), 'variables file', at, 10);
    assert.equal(r.text, undefined, name);
    assert.equal(r.problem?.message, message, name);
    assert.deepEqual(r.problem?.loc, at, name);
    assert.equal(r.code, code, name);
  }
});

test('a file that cannot be opened says so', { skip: process.getuid?.() === 0 ? 'root can read any file' : false }, () => {
  writeFileSync(join(dir, 'secret.yaml'), 'a: 1\n', { mode: 0o000 });
  assert.equal(
    readInput(join(dir, 'secret.yaml'), 'inventory file').problem?.message,
    `inventory file ${dir}/secret.yaml cannot be read (permission denied)`,
  );
});
