import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Problem } from '../errors/problem.js';
import { readInput } from '../util/read-input.js';
import { parseYaml } from '../util/yaml-source.js';
import { addHost, type RawInventory, type Vars } from './builder.js';
import { parseIni } from './ini.js';
import { splitHostPort } from './ranges.js';
import { YAML11_OPTIONS } from './yaml11.js';
import { isRecord, parseYamlInventory } from './yaml-format.js';

const YAML_EXTS = ['.yml', '.yaml', '.json'];
/** Ansible's INVENTORY_IGNORE_EXTS (REJECT_EXTS + .orig/.cfg/.retry) for files found in an inventory directory. */
const IGNORED_ENDINGS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry'];
const IGNORED_NAMES = ['group_vars', 'host_vars', 'vars_plugins'];

/** Adds the hosts of a comma-separated list (`a,b,` or `localhost,`) to `ungrouped`, as Ansible's host_list plugin. */
export function readHostList(spec: string, raw: RawInventory): void {
  for (const part of spec.split(',')) {
    const def = part.trim();
    if (!def) continue;
    const { host, port } = splitHostPort(def);
    const vars: Vars = port === undefined ? {} : { ansible_port: port };
    addHost(raw, 'ungrouped', host, vars);
  }
}

/** Every inventory file below `dir` in Ansible's order (sorted, recursive), skipping vars dirs, hidden and ignored files. */
export async function inventoryFilesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.') || IGNORED_NAMES.includes(name) || IGNORED_ENDINGS.some((e) => name.endsWith(e))) continue;
    const full = join(dir, name);
    const s = await stat(full).catch(() => undefined);
    if (s?.isDirectory()) out.push(...(await inventoryFilesIn(full)));
    else if (s?.isFile()) out.push(full);
  }
  return out;
}

/** Reads one inventory file (YAML or INI, detected like Ansible's plugin order) into `raw`. */
export async function readInventoryFile(file: string, raw: RawInventory): Promise<Problem[]> {
  const read = readInput(file, 'inventory file', { file, line: 1, col: 1 });
  if (read.problem) return [read.problem];
  const text = read.text;
  if (text.startsWith('#!')) {
    return [
      {
        message: 'dynamic inventory scripts are not supported',
        loc: { file, line: 1, col: 1 },
        hint: 'save its output as a YAML inventory file',
      },
    ];
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.toml' || (!YAML_EXTS.includes(ext) && looksLikeToml(text))) {
    return [
      {
        message: 'TOML inventories are not supported',
        loc: { file, line: 1, col: 1 },
        hint: 'write it as a YAML or INI inventory (ansible-inventory -i FILE --list -y prints it as YAML)',
      },
    ];
  }
  if (ext === '.ini' || (ext && !YAML_EXTS.includes(ext))) return parseIni(file, text, raw);
  const { source, problems } = parseYaml(file, text, YAML11_OPTIONS);
  if (YAML_EXTS.includes(ext) || looksLikeYaml(text, problems.length === 0 ? source.doc.toJS() : undefined)) {
    return problems.length ? problems : parseYamlInventory(source, raw);
  }
  return parseIni(file, text, raw);
}

/** TOML's dotted tables (`[all.hosts.web1]`, `[web.vars]`), which no INI inventory has. */
function looksLikeToml(text: string): boolean {
  return /^\s*\[[^\]\s:]+\.(?:hosts|vars|children)(?:\.[^\]]*)?\]\s*$/m.test(text);
}

/** For a file without extension: YAML when it parses to a mapping of groups, or starts with a `group:` line. */
function looksLikeYaml(text: string, data: unknown): boolean {
  if (isRecord(data)) return Object.values(data).every((v) => v === null || isRecord(v));
  const first = text.split(/\r?\n/).find((l) => l.trim() && !/^\s*[#;]/.test(l) && l.trim() !== '---');
  return first !== undefined && /^[^\s[\]=]+:\s*(#.*)?$/.test(first);
}
