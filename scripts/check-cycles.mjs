// Fails when modules under src/ import each other in a cycle (type-only imports included): `node scripts/check-cycles.mjs`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.ts')) files.push(p);
  }
};
walk(root);

const importRe = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm;
const edges = new Map();
for (const file of files) {
  const targets = new Set();
  for (const m of readFileSync(file, 'utf8').matchAll(importRe)) {
    const spec = (m[1] ?? m[2]).replace(/\.js$/, '.ts');
    targets.add(resolve(dirname(file), spec));
  }
  edges.set(
    file,
    [...targets].filter((t) => edges.has(t) || files.includes(t)),
  );
}

// Tarjan's strongly connected components: every component with more than one module is a cycle.
let index = 0;
const stack = [];
const info = new Map();
const cycles = [];
const visit = (v) => {
  info.set(v, { index, low: index, onStack: true });
  index += 1;
  stack.push(v);
  for (const w of edges.get(v) ?? []) {
    if (!info.has(w)) {
      visit(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component);
  }
};
for (const f of files) if (!info.has(f)) visit(f);

if (cycles.length > 0) {
  for (const c of cycles)
    console.error(
      `import cycle: ${c
        .map((f) => relative(process.cwd(), f))
        .sort()
        .join(' <-> ')}`,
    );
  process.exit(1);
}
console.log(`no import cycles among ${files.length} modules`);
