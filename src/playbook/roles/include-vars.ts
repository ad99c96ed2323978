import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Problem } from '../../errors/problem.js';
import { readYamlFile } from '../read-yaml-file.js';

/** What an include_vars names: one file, or a directory (every .yml/.yaml/.json file in it and below, by name). */
export interface IncludeVarsSpec {
  file?: string;
  dir?: string;
  /** Put the variables under this one name. */
  name?: string;
}

/** The variables of an include_vars: files relative to the role's vars/ (in a role) or the task's directory. */
export function readIncludeVars(
  spec: IncludeVarsSpec,
  taskDir: string,
  roleDir: string | undefined,
  loc: Problem['loc'],
): { vars: Record<string, unknown>; problems: Problem[] } {
  const problems: Problem[] = [];
  const where = (p: string): string => {
    if (isAbsolute(p)) return p;
    const inRole = roleDir === undefined ? undefined : join(roleDir, 'vars', p);
    return inRole !== undefined && existsSync(inRole) ? inRole : resolve(taskDir, p);
  };
  const files: string[] = [];
  if (spec.dir !== undefined) {
    const dir = where(spec.dir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) problems.push({ message: `include_vars: ${dir} is not a directory`, loc });
    else files.push(...varsFilesUnder(dir));
  } else if (spec.file !== undefined) files.push(where(spec.file));
  else problems.push({ message: 'include_vars needs a file (or "file:" or "dir:")', loc });
  let vars: Record<string, unknown> = {};
  for (const f of files) {
    const r = readYamlFile(f, loc);
    problems.push(...r.problems);
    if (r.data === undefined || r.data === null) continue;
    if (typeof r.data !== 'object' || Array.isArray(r.data)) {
      problems.push({ message: `include_vars: ${f} must be a mapping of variables`, loc: { file: f, line: 1, col: 1 } });
      continue;
    }
    vars = { ...vars, ...(r.data as Record<string, unknown>) };
  }
  return { vars: spec.name !== undefined ? { [spec.name]: vars } : vars, problems };
}

/** The vars files in a directory tree, in the order ansible-core reads them (sorted, directory by directory). */
function varsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) if (e.isFile() && /\.(ya?ml|json)$/.test(e.name)) out.push(join(d, e.name));
    for (const e of entries) if (e.isDirectory()) walk(join(d, e.name));
  };
  walk(dir);
  return out;
}
