import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (dir: string) => spawnSync(process.execPath, ['scripts/check-cycles.mjs', dir], { encoding: 'utf8' });

test('check-cycles names a cycle through a type-only import, across folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  try {
    mkdirSync(join(dir, 'engine'));
    writeFileSync(join(dir, 'engine', 'a.ts'), "import type { B } from '../b.js';\nexport interface A { b?: B }\n");
    writeFileSync(join(dir, 'b.ts'), "import { x } from './c.js';\nexport interface B { n: number }\nexport const y = x;\n");
    writeFileSync(join(dir, 'c.ts'), "export type { A } from './engine/a.js';\nexport const x = 1;\n");
    writeFileSync(join(dir, 'd.ts'), "import { x } from './c.js';\nexport const z = x;\n");
    const r = run(dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /import cycle: .*b\.ts <-> .*c\.ts <-> .*engine\/a\.ts/);
    assert.doesNotMatch(r.stderr, /d\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check-cycles passes on the source tree', () => {
  const r = run('src');
  assert.equal(r.status, 0, r.stderr);
});
