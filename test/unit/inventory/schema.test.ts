import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { inventorySchema } from '../../../src/inventory/schema-check.js';
import { FIXTURES } from './helpers.js';

test('the published schema is draft-07 with a title and descriptions', () => {
  const s = inventorySchema();
  assert.equal(s['$schema'], 'http://json-schema.org/draft-07/schema#');
  assert.equal(typeof s['title'], 'string');
  assert.match(String(s['description']), /inventory/);
});

test('src/generated/inventory.ts is up to date with the schema (same options as scripts/gen-types.mjs)', async () => {
  const schema = inventorySchema();
  const ts = await compile(schema as Parameters<typeof compile>[0], String(schema['title']), {
    bannerComment: '/* Generated from schema/inventory.schema.json by scripts/gen-types.mjs: do not edit. */',
    additionalProperties: false,
    cwd: 'schema',
    style: { singleQuote: true },
    unknownAny: true,
  });
  const current = await readFile(new URL('../../../src/generated/inventory.ts', import.meta.url), 'utf8');
  assert.equal(current, ts, 'run: npm run gen:types');
});

test('the valid YAML fixtures pass the schema as an editor would apply it', async () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(inventorySchema());
  for (const f of ['yaml/hosts.yml', 'precedence/hosts.yml', 'dir-source/20-more.yml', 'dir-source/sub/cache.yaml']) {
    const data: unknown = parse(await readFile(FIXTURES + f, 'utf8'));
    assert.equal(validate(data), true, `${f}: ${JSON.stringify(validate.errors)}`);
  }
});
