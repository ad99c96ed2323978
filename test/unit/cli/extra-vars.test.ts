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
  const { problems } = parseExtraVars(['novalue', '{"a": ', '@/nonexistent/file.yaml', '1x=2', 'ok=1', '[1,2]']);
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      '-e #1 ("novalue"): expected key=value, got "novalue"',
      `-e #2 ("{"a": "): ${(() => { try { JSON.parse('{"a": '); } catch (e) { return (e as Error).message; } return ''; })()}`,
      '-e #3 ("@/nonexistent/file.yaml"): cannot read /nonexistent/file.yaml: ENOENT',
      '-e #4 ("1x=2"): invalid variable name "1x"',
      '-e #6 ("[1,2]"): expected key=value, got "[1,2]"',
    ],
  );
});
