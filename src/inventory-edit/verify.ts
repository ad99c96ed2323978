import type { Problem } from '../errors/problem.js';
import type { Inventory } from '../inventory/index.js';
import { expandHostRange } from '../inventory/ranges.js';
import { describeTarget, type Edit } from './types.js';

/** Problems when the reloaded inventory does not show what the edit was meant to do (an editor bug, never expected). */
export function verifyEffect(inv: Inventory, edit: Edit): Problem[] {
  const fail = (what: string): Problem[] => [{ message: `the edited file does not ${what}; nothing was changed (this is a tsplay bug)` }];
  switch (edit.kind) {
    case 'add-host': {
      const hosts = expandHostRange(edit.host).hosts ?? [];
      return hosts.every((h) => inv.groups.get(edit.group)?.hosts.includes(h)) ? [] : fail(`list host "${edit.host}" in group "${edit.group}"`);
    }
    case 'remove-host':
      if (edit.group !== undefined) return inv.groups.get(edit.group)?.hosts.includes(edit.host) ? fail(`drop host "${edit.host}" from group "${edit.group}"`) : [];
      return inv.hosts.has(edit.host) ? fail(`drop host "${edit.host}"`) : [];
    case 'add-group':
      if (!inv.groups.has(edit.group)) return fail(`declare group "${edit.group}"`);
      return edit.parent === undefined || inv.groups.get(edit.parent)?.children.includes(edit.group) ? [] : fail(`make "${edit.group}" a child of "${edit.parent}"`);
    case 'set-var':
    case 'unset-var':
      return [];
  }
}

/** Notes for variables whose resolved value is not what was written (something with higher precedence wins). */
export function precedenceNotes(inv: Inventory, edit: Edit): string[] {
  if (edit.kind !== 'set-var' && edit.kind !== 'unset-var') return [];
  const vars = 'host' in edit.target ? inv.hosts.get(edit.target.host)?.vars : inv.groups.get(edit.target.group)?.vars;
  const who = describeTarget(edit.target);
  if (edit.kind === 'unset-var') {
    return edit.keys.filter((k) => vars && Object.hasOwn(vars, k)).map((k) => `note: ${who} still gets "${k}" from elsewhere (a group, group_vars/ or host_vars/)`);
  }
  return edit.vars
    .filter((a) => typeof a.value !== 'object' && vars && String(vars[a.key]) !== String(a.value) && String(vars[a.key]) !== a.text)
    .map((a) => `note: "${a.key}" of ${who} resolves to ${JSON.stringify(vars?.[a.key])}: something with higher precedence sets it (group_vars/, host_vars/, a range entry)`);
}
