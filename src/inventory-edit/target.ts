import { stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import type { Problem } from '../errors/problem.js';
import { inventoryFilesIn } from '../inventory/sources.js';
import { unreadableReason } from '../util/file-check.js';
import { readInput } from '../util/read-input.js';
import { parseYaml } from '../util/yaml-source.js';
import type { EditTarget } from './types.js';

/** Resolves the one `-i` file an edit applies to and its format, or says why it cannot be edited (and what to edit instead). */
export async function editTarget(specs: readonly string[], cwd: string): Promise<EditTarget | Problem> {
  if (specs.length !== 1) return { message: `edits take exactly one -i FILE, got ${specs.length}` };
  const file = specs[0] ?? '';
  const path = resolve(cwd, file);
  const st = await stat(path).catch((e: unknown) => ({ message: `inventory file ${file} ${unreadableReason(path, e)}` }));
  if (!('isDirectory' in st)) return st;
  if (st.isDirectory()) {
    const files = (await inventoryFilesIn(path)).map((f) => f.slice(path.length + 1));
    return {
      message: `-i ${file} is a directory; edits change one inventory file`,
      hint: files.length
        ? `use -i with one of: ${files.map((f) => `${file.replace(/\/$/, '')}/${f}`).join(', ')}`
        : 'it holds no inventory file',
    };
  }
  const parts = dirname(path).split(sep);
  const varsDir = parts.find((p) => p === 'group_vars' || p === 'host_vars');
  if (varsDir) {
    const kind = varsDir === 'group_vars' ? '--group' : '--host';
    return {
      message: `${file} is a ${varsDir}/ file, not an inventory`,
      hint: `edit it with a text editor, or use set-var ${kind} ${basename(path, extname(path))} on the inventory file next to ${varsDir}/`,
    };
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.json')
    return {
      message: `${file}: JSON inventories are not edited (the result would no longer be JSON)`,
      hint: 'convert it to YAML, or edit it by hand',
    };
  if (ext === '.yml' || ext === '.yaml') return { file, path, format: 'yaml' };
  if (ext) return { file, path, format: 'ini' };
  const read = readInput(path, 'inventory file');
  if (read.problem) return read.problem;
  return { file, path, format: looksLikeYaml(file, read.text) ? 'yaml' : 'ini' };
}

/** Same rule as the loader for files without an extension: a mapping of groups, or a first `group:` line, is YAML. */
function looksLikeYaml(file: string, text: string): boolean {
  const { source, problems } = parseYaml(file, text);
  const data: unknown = problems.length ? undefined : source.doc.toJS();
  if (typeof data === 'object' && data !== null && !Array.isArray(data))
    return Object.values(data).every((v) => v === null || (typeof v === 'object' && !Array.isArray(v)));
  const first = text.split(/\r?\n/).find((l) => l.trim() && !/^\s*[#;]/.test(l) && l.trim() !== '---');
  return first !== undefined && /^[^\s[\]=]+:\s*(#.*)?$/.test(first);
}
