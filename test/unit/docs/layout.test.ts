// README's layout and docs/architecture.md must name every folder under src/ (a new folder without a line there
// fails here), and README must name no folder that does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../../..');
const folders = readdirSync(join(REPO, 'src'))
  .filter((n) => statSync(join(REPO, 'src', n)).isDirectory())
  .sort();

/** The fenced block under README's "## Layout" heading. */
function layoutBlock(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Layout\n'));
  const m = /```\n([\s\S]*?)```/.exec(section);
  assert.ok(m?.[1], 'README has no ## Layout section with a code block');
  return m[1];
}

test('README layout lists every folder under src/, each with a description', () => {
  const lines = layoutBlock().split('\n');
  for (const f of folders) {
    const line = lines.find((l) => l.startsWith(`src/${f}/ `));
    assert.ok(line, `README layout has no line for src/${f}/`);
    assert.match(line, new RegExp(`^src/${f}/\\s+\\S`), `src/${f}/ has no description`);
  }
});

test('README layout names only folders that exist', () => {
  for (const m of layoutBlock().matchAll(/^([\w./-]+\/)\s/gm))
    assert.ok(existsSync(join(REPO, m[1] ?? '')), `README layout names ${m[1]}, which does not exist`);
});

test('docs/architecture.md mentions every folder under src/', () => {
  const doc = readFileSync(join(REPO, 'docs/architecture.md'), 'utf8');
  for (const f of folders)
    assert.ok(doc.includes(`src/${f}/`) || doc.includes(`\`${f}/`), `docs/architecture.md does not mention src/${f}/`);
});
