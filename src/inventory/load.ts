import { stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import type { Problem, SourceLocation } from '../errors/problem.js';
import { unreadableReason } from '../util/file-check.js';
import { newRawInventory, type RawInventory } from './builder.js';
import { finalize } from './merge.js';
import { inventoryFilesIn, readHostList, readInventoryFile } from './sources.js';
import type { Inventory } from './types.js';

/** Loads and merges every -i source (file, directory, or comma list "a,b,"). Never throws for bad input: returns all problems. */
export async function loadInventory(specs: string[], opts: { cwd?: string } = {}): Promise<{ inventory: Inventory; problems: Problem[] }> {
  const cwd = opts.cwd ?? process.cwd();
  const raw = newRawInventory();
  const problems: Problem[] = [];
  for (const spec of specs) problems.push(...(await readSource(spec, cwd, raw)));
  const done = await finalize(raw);
  problems.push(...done.problems);
  const show = (loc: SourceLocation | undefined): SourceLocation | undefined => loc && { ...loc, file: displayPath(loc.file, cwd) };
  for (const p of problems) p.loc = show(p.loc);
  for (const x of [...done.inventory.hosts.values(), ...done.inventory.groups.values()]) {
    x.source = show(x.source);
    x.varLocs = new Map([...(x.varLocs ?? [])].map(([k, loc]) => [k, { ...loc, file: displayPath(loc.file, cwd) }]));
  }
  return { inventory: done.inventory, problems: byPosition(problems) };
}

async function readSource(spec: string, cwd: string, raw: RawInventory): Promise<Problem[]> {
  raw.sources.push(spec);
  const path = resolve(cwd, spec);
  const st = await stat(path).catch((e: NodeJS.ErrnoException) => e);
  if (st instanceof Error) {
    if (spec.includes(',')) {
      readHostList(spec, raw);
      return [];
    }
    return [missingSource(spec, path, st)];
  }
  const dir = st.isDirectory() ? path : dirname(path);
  raw.varsDirs = [...raw.varsDirs.filter((d) => d !== dir), dir];
  if (!st.isDirectory()) return readInventoryFile(path, raw);
  const problems: Problem[] = [];
  const files = await inventoryFilesIn(path);
  if (files.length === 0) {
    return [
      {
        message: `inventory directory "${spec}" has no inventory file`,
        loc: { file: path, line: 1, col: 1 },
        hint: 'add an INI or YAML inventory file to it; hidden files, *.md, *.txt, group_vars/ and host_vars/ do not count',
      },
    ];
  }
  for (const file of files) problems.push(...(await readInventoryFile(file, raw)));
  return problems;
}

function missingSource(spec: string, path: string, e: NodeJS.ErrnoException): Problem {
  const bare = !spec.includes('/') && !['.yml', '.yaml', '.json', '.ini'].includes(extname(spec).toLowerCase());
  const what = unreadableReason(path, e);
  return {
    message: `inventory source "${spec}" ${what}`,
    loc: { file: path, line: 1, col: 1 },
    hint: bare ? `to use it as a host name, add a comma: -i ${spec},` : undefined,
  };
}

/** Problems of one file together (files in the order first seen), by line and column within a file. */
function byPosition(problems: Problem[]): Problem[] {
  const files = [...new Set(problems.map((p) => p.loc?.file ?? ''))];
  const key = (p: Problem): [number, number, number] => [files.indexOf(p.loc?.file ?? ''), p.loc?.line ?? 0, p.loc?.col ?? 0];
  return [...problems].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

/** A path relative to `cwd` when it lies below it, else absolute (what users see in problems). */
function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
