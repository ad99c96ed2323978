import { mergeInto, setVar } from './builder.js';
import { sortGroups } from './graph.js';
import type { Inventory, InventoryGroup } from './types.js';

/** What `add_host` asks for: the host, the groups to put it in, and its variables (Ansible's `add_host` result). */
export interface HostAddition {
  host_name: string;
  groups: string[];
  host_vars: Record<string, unknown>;
}

/**
 * Adds (or updates) a host in the run's inventory as ansible-core 2.14's strategy does for `add_host`: a new host,
 * changed variables, a new group or a new membership each make it "changed". A new host takes the variables of `all`
 * and of its groups (by depth, then name), then its own.
 */
export function applyAddHost(inv: Inventory, add: HostAddition): boolean {
  let changed = false;
  let host = inv.hosts.get(add.host_name);
  if (!host) {
    host = { name: add.host_name, groups: [], vars: {} };
    inv.hosts.set(add.host_name, host);
    changed = true;
  }
  for (const [k, v] of Object.entries(add.host_vars)) {
    if (k in host.vars && JSON.stringify(host.vars[k]) === JSON.stringify(v)) continue;
    setVar(host.vars, k, v);
    changed = true;
  }
  for (const name of add.groups) {
    const g = ensureGroup(inv, name);
    if (g.created) changed = true;
    if (!g.group.hosts.includes(host.name)) {
      g.group.hosts.push(host.name);
      changed = true;
    }
  }
  if (changed) refreshHost(inv, host.name);
  return changed;
}

/**
 * Puts a host in a group under parent groups, as ansible-core 2.14's strategy does for `group_by`: a new parent
 * group, a new parent link or a new membership make it "changed" (a new group alone does not).
 */
export function applyAddGroup(inv: Inventory, hostName: string, group: string, parents: string[]): boolean {
  let changed = false;
  const g = ensureGroup(inv, group).group;
  for (const p of parents) {
    const parent = ensureGroup(inv, p);
    if (parent.created) changed = true;
    if (p !== group && !parent.group.children.includes(group) && !isBelow(inv, p, group)) {
      parent.group.children.push(group);
      changed = true;
    }
  }
  // a group under a parent no longer hangs from `all` directly (as Ansible's reconcile leaves it)
  const all = inv.groups.get('all');
  if (all && !parents.includes('all')) all.children = all.children.filter((c) => c !== group);
  if (inv.hosts.has(hostName) && !g.hosts.includes(hostName)) {
    g.hosts.push(hostName);
    changed = true;
  }
  if (changed) for (const h of inv.hosts.keys()) refreshHost(inv, h);
  return changed;
}

/** The group `name`, created under `all` when new. */
function ensureGroup(inv: Inventory, name: string): { group: InventoryGroup; created: boolean } {
  const known = inv.groups.get(name);
  if (known) return { group: known, created: false };
  // its group_vars/ file, when there is one, as ansible-core reads it once the group exists
  const group: InventoryGroup = { name, hosts: [], children: [], vars: { ...(inv.laterGroupVars?.get(name) ?? {}) } };
  inv.groups.set(name, group);
  inv.groups.get('all')?.children.push(name);
  return { group, created: true };
}

/** True when `group` is an ancestor of `of` already (linking it below would make a cycle). */
function isBelow(inv: Inventory, group: string, of: string): boolean {
  const seen = new Set<string>();
  const down = (g: string): boolean => {
    if (seen.has(g)) return false;
    seen.add(g);
    return (inv.groups.get(g)?.children ?? []).some((c) => c === group || down(c));
  };
  return down(of);
}

/** Parents of each group. */
function parentsOf(inv: Inventory): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const g of inv.groups.values()) for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), g.name]);
  return parents;
}

/**
 * Recomputes a host's groups (direct and inherited, in group order; `ungrouped` only while in no other group) and
 * gives it the variables of the groups it joined that it does not have yet (its own, and those it had, win).
 */
function refreshHost(inv: Inventory, name: string): void {
  const host = inv.hosts.get(name);
  if (!host) return;
  const parents = parentsOf(inv);
  const member = new Set<string>(['all']);
  const up = (g: string): void => {
    if (member.has(g)) return;
    member.add(g);
    for (const p of parents.get(g) ?? []) up(p);
  };
  for (const g of inv.groups.values()) if (g.name !== 'ungrouped' && g.hosts.includes(name)) up(g.name);
  const ungrouped = inv.groups.get('ungrouped');
  if (ungrouped) {
    const grouped = member.size > 1;
    ungrouped.hosts = ungrouped.hosts.filter((h) => h !== name || !grouped);
    if (!grouped && !ungrouped.hosts.includes(name)) ungrouped.hosts.push(name);
    if (!grouped) member.add('ungrouped');
  }
  const before = new Set(host.groups);
  host.groups = [...inv.groups.keys()].filter((g) => member.has(g));
  const joined = host.groups.filter((g) => !before.has(g));
  if (joined.length === 0) return;
  const depth = depths(inv, parents);
  const inherited: Record<string, unknown> = {};
  for (const g of sortGroups(joined, depth, () => 1)) mergeInto(inherited, inv.groups.get(g)?.vars);
  for (const [k, v] of Object.entries(inherited)) if (!(k in host.vars)) setVar(host.vars, k, v);
}

function depths(inv: Inventory, parents: Map<string, string[]>): Map<string, number> {
  const depth = new Map<string, number>();
  const of = (g: string, seen: Set<string>): number => {
    const known = depth.get(g);
    if (known !== undefined) return known;
    if (seen.has(g)) return 0;
    seen.add(g);
    const d = Math.max(0, ...(parents.get(g) ?? []).map((p) => of(p, seen) + 1));
    depth.set(g, d);
    return d;
  };
  for (const g of inv.groups.keys()) of(g, new Set());
  return depth;
}
