import { addChild, type RawInventory } from './builder.js';

/** Facts about the group tree that precedence and patterns need. */
export interface GroupGraph {
  /** Longest distance from `all` (all = 0, its children = 1, …), as Ansible's group depth. */
  depth: Map<string, number>;
  /** For each host, every group it belongs to (directly or through children), in group declaration order. */
  hostGroups: Map<string, string[]>;
}

/** Finishes the tree like Ansible's reconcile: parentless groups go under `all`, hosts in no group go to `ungrouped`. */
export function reconcile(raw: RawInventory): void {
  const hasParent = new Set([...raw.groups.values()].flatMap((g) => g.children));
  for (const name of raw.groups.keys()) if (name !== 'all' && !hasParent.has(name)) addChild(raw, 'all', name);
  const ungrouped = raw.groups.get('ungrouped');
  if (!ungrouped) return;
  const grouped = new Set<string>();
  for (const g of raw.groups.values()) if (g.name !== 'all' && g.name !== 'ungrouped') for (const h of g.hosts) grouped.add(h);
  ungrouped.hosts = ungrouped.hosts.filter((h) => !grouped.has(h));
  const listed = new Set(ungrouped.hosts);
  for (const h of raw.hosts.keys()) if (!grouped.has(h) && !listed.has(h)) ungrouped.hosts.push(h);
}

/** Depths and host memberships of a reconciled, acyclic inventory. */
export function analyse(raw: RawInventory): GroupGraph {
  const parents = new Map<string, string[]>();
  for (const g of raw.groups.values()) for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), g.name]);
  const depth = new Map<string, number>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const d = Math.max(0, ...(parents.get(name) ?? []).map((p) => depthOf(p) + 1));
    depth.set(name, d);
    return d;
  };
  for (const name of raw.groups.keys()) depthOf(name);

  const ancestors = (name: string, into: Set<string>): void => {
    if (into.has(name)) return;
    into.add(name);
    for (const p of parents.get(name) ?? []) ancestors(p, into);
  };
  const member = new Map<string, Set<string>>();
  for (const g of raw.groups.values()) {
    for (const h of g.hosts) {
      const set = member.get(h) ?? new Set<string>(['all']);
      ancestors(g.name, set);
      member.set(h, set);
    }
  }
  const order = [...raw.groups.keys()];
  const hostGroups = new Map<string, string[]>();
  for (const h of raw.hosts.keys()) {
    const set = member.get(h) ?? new Set(['all']);
    hostGroups.set(
      h,
      order.filter((g) => set.has(g)),
    );
  }
  return { depth, hostGroups };
}

/** Ansible's group order for variable merging: by depth, then `ansible_group_priority`, then name. */
export function sortGroups(groups: string[], depth: Map<string, number>, priority: (g: string) => number): string[] {
  return [...groups].sort((a, b) => {
    const d = (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || priority(a) - priority(b);
    if (d !== 0) return d;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
