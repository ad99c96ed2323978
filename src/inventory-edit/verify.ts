import type { Problem } from '../errors/problem.js';
import type { Inventory } from '../inventory/index.js';
import { expandHostRange } from '../inventory/ranges.js';
import { describeTarget, type Assignment, type Edit } from './types.js';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { parseIniValue } from '../inventory/ini-value.js';
import { IntegralFloat } from '../inventory/py-float.js';
import { readVarsFile } from '../inventory/vars-dirs.js';

/** Problems when the reloaded inventory does not show what the edit was meant to do (an editor bug, never expected). */
export function verifyEffect(inv: Inventory, edit: Edit): Problem[] {
  const fail = (what: string): Problem[] => [{ message: `the edited file does not ${what}; nothing was changed (this is a tsplay bug)` }];
  switch (edit.kind) {
    case 'add-host': {
      const hosts = expandHostRange(edit.host).hosts ?? [];
      return hosts.every((h) => inv.groups.get(edit.group)?.hosts.includes(h))
        ? []
        : fail(`list host "${edit.host}" in group "${edit.group}"`);
    }
    case 'remove-host':
      if (edit.group !== undefined)
        return inv.groups.get(edit.group)?.hosts.includes(edit.host) ? fail(`drop host "${edit.host}" from group "${edit.group}"`) : [];
      return inv.hosts.has(edit.host) ? fail(`drop host "${edit.host}"`) : [];
    case 'add-group':
      if (!inv.groups.has(edit.group)) return fail(`declare group "${edit.group}"`);
      return edit.parent === undefined || inv.groups.get(edit.parent)?.children.includes(edit.group)
        ? []
        : fail(`make "${edit.group}" a child of "${edit.parent}"`);
    case 'set-var':
    case 'unset-var':
      return [];
  }
}

/** What a written assignment reads back as (the edited file alone). */
function readBack(a: Assignment, format: 'yaml' | 'ini'): unknown {
  const v = format === 'yaml' ? a.value : parseIniValue(a.text);
  return v instanceof IntegralFloat ? v.value : v;
}

/**
 * Notes after an edit: a value written quoted so it reads back as given, and variables whose resolved value on some
 * host is not what was written (group_vars/, host_vars/ or a deeper group wins), naming the files that set them.
 */
export async function precedenceNotes(inv: Inventory, edit: Edit, format: 'yaml' | 'ini', dir: string): Promise<string[]> {
  if (edit.kind !== 'set-var' && edit.kind !== 'unset-var') return [];
  const who = describeTarget(edit.target);
  const hosts =
    'host' in edit.target
      ? [edit.target.host]
      : [...inv.hosts.values()].filter((h) => 'group' in edit.target && h.groups.includes(edit.target.group)).map((h) => h.name);
  const notes: string[] = [];
  if (edit.kind === 'unset-var') {
    for (const k of edit.keys) {
      const still = hosts.filter((h) => Object.hasOwn(inv.hosts.get(h)?.vars ?? {}, k));
      if (still.length)
        notes.push(
          `note: ${still.length === hosts.length ? `every host of ${who}` : still.join(', ')} still get${still.length === 1 ? 's' : ''} "${k}" from elsewhere${await setters(dir, k)}`,
        );
    }
    return notes;
  }
  for (const a of edit.vars) {
    const quoted =
      format === 'yaml'
        ? a.quotedBecause
        : a.given !== undefined && a.text !== a.given
          ? `unquoted, ansible-core reads ${JSON.stringify(readBack({ ...a, text: a.given }, 'ini'))}`
          : undefined;
    if (quoted)
      notes.push(`note: "${a.key}" written as the string ${JSON.stringify(a.given ?? a.text)} (${quoted}); it reads back as given`);
    const want = JSON.stringify(readBack(a, format));
    const differ = hosts.filter((h) => JSON.stringify(inv.hosts.get(h)?.vars[a.key]) !== want);
    if (!differ.length) continue;
    const got = [...new Set(differ.map((h) => JSON.stringify(inv.hosts.get(h)?.vars[a.key])))].join(' or ');
    const on = differ.length === hosts.length && hosts.length > 1 ? `every host of ${who}` : differ.join(', ');
    notes.push(
      `note: "${a.key}" resolves to ${got} on ${on}, not to what was written: something with higher precedence sets it${await setters(dir, a.key)}`,
    );
  }
  return notes;
}

/** ` (group_vars/all.yml, host_vars/x.yml)`: the vars files next to the inventory that set `key`. */
async function setters(dir: string, key: string): Promise<string> {
  const found: string[] = [];
  for (const kind of ['group_vars', 'host_vars']) {
    for (const file of await varsFiles(join(dir, kind))) {
      const { vars } = await readVarsFile(file);
      if (Object.hasOwn(vars, key)) found.push(relative(dir, file));
    }
  }
  return found.length ? ` (${found.join(', ')})` : ' (a group or a range entry)';
}

async function varsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir).catch(() => [] as string[])).sort()) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    const s = await stat(full).catch(() => undefined);
    if (s?.isDirectory()) out.push(...(await varsFiles(full)));
    else if (s?.isFile() && ['', '.yml', '.yaml', '.json'].includes(extname(name))) out.push(full);
  }
  return out;
}
