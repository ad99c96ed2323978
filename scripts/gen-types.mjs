// Generates src/generated/<name>.ts from schema/<name>.schema.json (the single source of the input types).
// `node scripts/gen-types.mjs --check` exits 1 when a generated file is stale (the drift test runs this).
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';

const check = process.argv.includes('--check');
const schemaDir = 'schema';
const outDir = join('src', 'generated');
mkdirSync(outDir, { recursive: true });
const stale = [];
for (const file of readdirSync(schemaDir)
  .filter((f) => f.endsWith('.schema.json'))
  .sort()) {
  const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
  const name = file.replace(/\.schema\.json$/, '');
  const ts = await compile(schema, schema.title ?? name, {
    bannerComment: `/* Generated from schema/${file} by scripts/gen-types.mjs: do not edit. */`,
    additionalProperties: false,
    cwd: schemaDir,
    style: { singleQuote: true },
    unknownAny: true,
  });
  const out = join(outDir, `${name}.ts`);
  if (check) {
    if (!existsSync(out) || readFileSync(out, 'utf8') !== ts) stale.push(out);
  } else writeFileSync(out, ts);
}
// Precompiled validators (Ajv standalone): compiling the playbook schema at start-up cost ~70 ms per run.
// Options must match what src/playbook/schema-check.ts and src/inventory/schema-check.ts expect of the errors.
const validators = [
  {
    schema: 'playbook',
    options: { allErrors: true, strict: false, verbose: true },
    exports: { validatePlaybook: 'playbook', validateTasks: 'playbook#/definitions/TaskList' },
  },
  { schema: 'inventory', options: { allErrors: true, strict: true }, exports: { validateInventory: 'inventory' } },
];
for (const v of validators) {
  const file = `${v.schema}.schema.json`;
  const ajv = new Ajv({ ...v.options, code: { source: true, esm: true, lines: false } });
  ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')), v.schema);
  const code = standalone.default(ajv, v.exports);
  const text = `/* Generated from schema/${file} by scripts/gen-types.mjs (Ajv standalone code, options ${JSON.stringify(v.options)}): do not edit. */\n// @ts-nocheck\n${code}\n`;
  const out = join(outDir, `${v.schema}.validate.ts`);
  if (check) {
    if (!existsSync(out) || readFileSync(out, 'utf8') !== text) stale.push(out);
  } else writeFileSync(out, text);
}
if (stale.length) {
  console.error(`stale generated types (run npm run gen:types): ${stale.join(', ')}`);
  process.exit(1);
}
