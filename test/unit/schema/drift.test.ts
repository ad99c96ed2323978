import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { MODULE_REGISTRY } from '../../../src/tasks/registry.js';
import { MODULES } from '../../../src/playbook/normalize.js';

test('generated TypeScript types match schema/*.schema.json (run npm run gen:types after editing a schema)', () => {
  const r = spawnSync(process.execPath, ['scripts/gen-types.mjs', '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('every published schema is valid JSON with a title and $schema', () => {
  for (const f of readdirSync('schema').filter((n) => n.endsWith('.json'))) {
    const s = JSON.parse(readFileSync(`schema/${f}`, 'utf8')) as { title?: string; $schema?: string };
    assert.ok(s.title, `${f} has a title`);
    assert.match(s.$schema ?? '', /json-schema\.org/, `${f} declares $schema`);
  }
});

test('the schema lists exactly the modules the registry implements', () => {
  const schema = JSON.parse(readFileSync('schema/playbook.schema.json', 'utf8')) as {
    definitions: { Task: { properties: Record<string, { $ref?: string }> } };
  };
  const inSchema = Object.entries(schema.definitions.Task.properties)
    .filter(([, v]) => v.$ref?.endsWith('Args'))
    .map(([k]) => k)
    .sort();
  assert.deepEqual(inSchema, Object.keys(MODULE_REGISTRY).sort());
  assert.deepEqual([...MODULES].sort(), Object.keys(MODULE_REGISTRY).sort());
});
