import type { Problem } from '../errors/problem.js';
import type { Inventory } from '../inventory/index.js';
import { expandHostRange } from '../inventory/ranges.js';
import { closest } from '../util/did-you-mean.js';
import { groupNameProblem, hostNameProblem } from './values.js';
import type { Edit, VarTarget } from './types.js';

/** Everything wrong with an edit of `file` given the inventory it currently holds (names, existence, clashes, cycles). */
export function checkEdit(inv: Inventory, edit: Edit, file: string): Problem[] {
  const out: (Problem | undefined)[] = [];
  switch (edit.kind) {
    case 'add-host': {
      out.push(
        hostNameProblem(edit.host),
        groupNameProblem(edit.group),
        notGroup(inv, edit.host),
        notHost(inv, edit.group),
        isGroup(inv, edit.group, file, edit.create),
      );
      const hosts = expandHostRange(edit.host).hosts ?? [];
      const dup = hosts.filter((h) => inv.groups.get(edit.group)?.hosts.includes(h));
      if (dup.length) out.push({ message: `host "${dup.join('", "')}" is already in group "${edit.group}" in ${file}` });
      out.push(...hosts.filter((h) => h !== edit.host).map((h) => notGroup(inv, h)));
      break;
    }
    case 'remove-host': {
      out.push(isHost(inv, edit.host, file));
      if (edit.group !== undefined) {
        out.push(isGroup(inv, edit.group, file, false));
        const direct = [...inv.groups.values()].filter((g) => g.hosts.includes(edit.host)).map((g) => g.name);
        if (inv.hosts.has(edit.host) && inv.groups.has(edit.group) && !direct.includes(edit.group)) {
          out.push({
            message: `host "${edit.host}" is not a direct member of group "${edit.group}" in ${file}`,
            hint: `it is listed in: ${direct.join(', ') || 'no group'}`,
          });
        }
      }
      break;
    }
    case 'add-group':
      out.push(...addGroupProblems(inv, edit.group, edit.parent, edit.create, file));
      break;
    case 'set-var':
    case 'unset-var':
      out.push(targetExists(inv, edit.target, file));
      break;
  }
  return out.filter((p): p is Problem => p !== undefined);
}

function addGroupProblems(
  inv: Inventory,
  group: string,
  parent: string | undefined,
  create: boolean,
  file: string,
): (Problem | undefined)[] {
  const out = [groupNameProblem(group), notHost(inv, group)];
  if (group === 'all' || group === 'ungrouped') out.push({ message: `group "${group}" is built in and always exists` });
  if (parent === undefined) {
    if (inv.groups.has(group))
      out.push({ message: `group "${group}" already exists in ${file}`, hint: 'give --parent P to make it a child of another group' });
    return out;
  }
  out.push(groupNameProblem(parent), notHost(inv, parent), isGroup(inv, parent, file, create));
  if (inv.groups.get(parent)?.children.includes(group)) out.push({ message: `group "${group}" is already a child of "${parent}"` });
  const path = parent === group ? [group] : pathDown(inv, group, parent);
  if (path)
    out.push({ message: `group "${group}" cannot be a child of "${parent}": that makes a cycle (${[parent, ...path].join(' → ')})` });
  return out;
}

/** The chain of groups from `from` down to `to` through children, or undefined. */
function pathDown(inv: Inventory, from: string, to: string, seen = new Set<string>()): string[] | undefined {
  if (from === to) return [from];
  if (seen.has(from)) return undefined;
  seen.add(from);
  for (const c of inv.groups.get(from)?.children ?? []) {
    const rest = pathDown(inv, c, to, seen);
    if (rest) return [from, ...rest];
  }
  return undefined;
}

function targetExists(inv: Inventory, t: VarTarget, file: string): Problem | undefined {
  return 'host' in t ? isHost(inv, t.host, file) : isGroup(inv, t.group, file, false);
}

function isHost(inv: Inventory, host: string, file: string): Problem | undefined {
  if (inv.hosts.has(host)) return undefined;
  const near = closest(host, inv.hosts.keys());
  return { message: `host "${host}" is not in ${file}`, hint: near ? `did you mean "${near}"?` : undefined };
}

function isGroup(inv: Inventory, group: string, file: string, create: boolean): Problem | undefined {
  if (inv.groups.has(group) || create) return undefined;
  if (inv.hosts.has(group)) return { message: `"${group}" is a host, not a group` };
  const near = closest(group, inv.groups.keys());
  return {
    message: `group "${group}" does not exist in ${file}`,
    hint: near ? `did you mean "${near}"? or add --create` : 'add --create to create it',
  };
}

function notGroup(inv: Inventory, host: string): Problem | undefined {
  return inv.groups.has(host) ? { message: `"${host}" is already a group name; a host cannot have the same name` } : undefined;
}

function notHost(inv: Inventory, group: string): Problem | undefined {
  return inv.hosts.has(group) ? { message: `"${group}" is already a host name; a group cannot have the same name` } : undefined;
}
