import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Problem } from '../errors/problem.js';
import { readInput } from '../util/read-input.js';
import { locatePath, parseYaml } from '../util/yaml-source.js';
import { mergeInto, type VarLocs, type Vars } from './builder.js';
import { YAML11_OPTIONS } from './yaml11.js';
import { isRecord, keyLocs } from './yaml-format.js';

const EXTENSIONS = ['.yml', '.yaml', '.json'];

/** Which `group_vars/` or `host_vars/` entries exist in one directory (read once, looked up per group/host). */
export interface VarsDirIndex {
  dir: string;
  entries: Set<string>;
}

/** Lists `<basedir>/<kind>/` (empty when it does not exist). */
export async function indexVarsDir(basedir: string, kind: 'group_vars' | 'host_vars'): Promise<VarsDirIndex> {
  const dir = join(basedir, kind);
  try {
    return { dir, entries: new Set(await readdir(dir)) };
  } catch {
    return { dir, entries: new Set() };
  }
}

/**
 * Variables for one group or host from an indexed vars dir, as Ansible's host_group_vars plugin finds them: the
 * first of `NAME` (a file, or a directory whose files are merged in lexical order), `NAME.yml`, `NAME.yaml`, `NAME.json`.
 */
export async function loadEntityVars(
  index: VarsDirIndex,
  name: string,
): Promise<{ vars: Vars; locs: VarLocs; files: string[]; problems: Problem[] }> {
  const entry = ['', ...EXTENSIONS].map((ext) => name + ext).find((e) => index.entries.has(e));
  const vars: Vars = {};
  const locs: VarLocs = new Map();
  const problems: Problem[] = [];
  if (entry === undefined) return { vars, locs, files: [], problems };
  const path = join(index.dir, entry);
  const files = (await isDirectory(path)) ? await filesIn(path) : [path];
  for (const file of files) {
    const r = await readVarsFile(file);
    problems.push(...r.problems);
    mergeInto(vars, r.vars, { into: locs, from: r.locs });
  }
  return { vars, locs, files, problems };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Files of a vars directory, recursively, sorted per level; hidden, `~` backups and other extensions are skipped. */
async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const ext = extname(name);
    const full = join(dir, name);
    if (await isDirectory(full)) {
      if (!ext) out.push(...(await filesIn(full)));
    } else if (!ext || EXTENSIONS.includes(ext)) out.push(full);
  }
  return out;
}

/** One YAML/JSON vars file: a mapping of variables (an empty file is no variables), with where each is set. */
export async function readVarsFile(file: string): Promise<{ vars: Vars; locs?: VarLocs; problems: Problem[] }> {
  const read = readInput(file, 'variables file', { file, line: 1, col: 1 });
  if (read.problem) return { vars: {}, problems: [read.problem] };
  const text = read.text;
  if (text.startsWith('$ANSIBLE_VAULT;')) {
    return {
      vars: {},
      problems: [
        {
          message: 'Ansible Vault files are not supported',
          loc: { file, line: 1, col: 1 },
          hint: 'decrypt it or pass secrets another way',
        },
      ],
    };
  }
  const { source, problems } = parseYaml(file, text, YAML11_OPTIONS);
  if (problems.length) return { vars: {}, problems };
  const data: unknown = source.doc.toJS();
  if (data === null || data === undefined) return { vars: {}, problems: [] };
  if (!isRecord(data)) {
    return {
      vars: {},
      problems: [{ message: 'a variables file must be a mapping of variable names to values', loc: locatePath(source, []) }],
    };
  }
  return { vars: data, locs: keyLocs(source, [], data), problems: [] };
}
