// Generates src/generated/<name>.ts from schema/<name>.schema.json (the single source of the input types).
// `node scripts/gen-types.mjs --check` exits 1 when a generated file is stale (the drift test runs this).
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'json-schema-to-typescript';

const check = process.argv.includes('--check');
const schemaDir = 'schema';
const outDir = join('src', 'generated');
mkdirSync(outDir, { recursive: true });
let stale = [];
for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')).sort()) {
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
if (stale.length) {
  console.error(`stale generated types (run npm run gen:types): ${stale.join(', ')}`);
  process.exit(1);
}
