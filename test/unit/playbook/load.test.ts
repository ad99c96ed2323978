import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { loadPlays, MODULES } from '../../../src/playbook/normalize.js';
import { formatProblem, type Problem } from '../../../src/errors/problem.js';

const dir = join(import.meta.dirname, '../../fixtures/playbooks');

function load(name: string) {
  const problems: Problem[] = [];
  const plays = loadPlays(join(dir, name), problems);
  problems.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0));
  const lines = problems.map((p) => formatProblem({ ...p, loc: p.loc && { ...p.loc, file: relative(dir, p.loc.file) } }));
  return { plays, lines };
}

test('a valid playbook loads with imports expanded and tags inherited', () => {
  const { plays, lines } = load('good.yaml');
  assert.deepEqual(lines, []);
  assert.equal(plays.length, 2);
  const [first, second] = plays;
  assert.equal(first?.name, 'first');
  assert.deepEqual(
    first?.tasks.map((t) => t.title),
    ['say', 'block', 'imported'],
  );
  assert.deepEqual(first?.tasks[0]?.tags, ['talk']);
  const imported = first?.tasks[2];
  assert.equal(imported?.kind === 'module' && imported.module, 'ping');
  assert.match(imported?.id ?? '', /tasks\/more\.yaml:1:3$/);
  assert.equal(second?.name, 'second');
});

test('every schema problem is reported at once with file:line:col', () => {
  const { lines } = load('bad-schema.yaml');
  assert.deepEqual(lines, [
    'bad-schema.yaml:3:13: "strategy" must be one of: linear, free',
    'bad-schema.yaml:4:11: "serial" must be >= 1',
    'bad-schema.yaml:7:7: unknown module or keyword "shel" in task (did you mean "shell"?)',
    'bad-schema.yaml:10:7: unknown module or keyword "regsiter" in task (did you mean "register"?)',
    'bad-schema.yaml:13:7: task has more than one module: command, shell',
    `bad-schema.yaml:14:7: task has no module (one of: ${MODULES.join(', ')})`,
    'bad-schema.yaml:18:16: "retries" has an invalid value (expected a number or a {{ template }})',
    'bad-schema.yaml:20:9: module "copy" needs argument "dest"',
  ]);
});

test('an unquoted {{ value gets a hint to quote it', () => {
  const { lines } = load('unquoted-template.yaml');
  assert.ok(lines.length >= 1);
  assert.match(lines[0] ?? '', /^unquoted-template\.yaml:5:\d+: YAML: .*must be quoted/);
});

test('import cycles are reported, not followed forever', () => {
  const { lines } = load('cycle-a.yaml');
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /^cycle-b\.yaml:1:20: import cycle: .*cycle-a\.yaml -> .*cycle-b\.yaml -> .*cycle-a\.yaml$/);
});

test('a missing playbook file is one clear problem', () => {
  const { lines } = load('nope.yaml');
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /^playbook .*nope\.yaml does not exist/);
});
