import type { Problem } from '../errors/problem.js';
import { mergeInto, type RawInventory, type VarLocs, type Vars } from './builder.js';
import { analyse, reconcile, sortGroups } from './graph.js';
import type { Inventory, InventoryGroup, InventoryHost } from './types.js';
import { indexVarsDir, loadEntityVars } from './vars-dirs.js';

/** Variables found in group_vars/ or host_vars/ (with where each is set): one map (name → vars) per source directory, in source order. */
type DirVars = Map<string, { vars: Vars; locs: VarLocs }>[];

/**
 * Turns what the sources declared into the final inventory, applying Ansible's inventory variable precedence
 * (lowest first): inventory-file group vars (`all`, then groups by depth / ansible_group_priority / name),
 * group_vars/all, group_vars/<group> in the same group order, inventory-file host vars, host_vars/<host>.
 * Like Ansible, vars files are applied source by source (a later source's files win over an earlier source's).
 */
export async function finalize(raw: RawInventory): Promise<{ inventory: Inventory; problems: Problem[] }> {
  reconcile(raw);
  const problems: Problem[] = [];
  const { depth, hostGroups } = analyse(raw);
  const groupFiles = await loadDirs(raw.varsDirs, 'group_vars', [...raw.groups.keys()], problems);
  const hostFiles = await loadDirs(raw.varsDirs, 'host_vars', [...raw.hosts.keys()], problems);
  const priority = groupPriorities(raw, problems);
  const prio = (g: string): number => priority.get(g) ?? 1;

  const groups = new Map<string, InventoryGroup>();
  for (const g of raw.groups.values()) {
    const vars: Vars = {};
    const varLocs: VarLocs = new Map();
    const add = (from: { vars: Vars; locs: VarLocs } | undefined): void => mergeInto(vars, from?.vars, { into: varLocs, from: from?.locs });
    add({ vars: g.vars, locs: g.varLocs });
    for (const dir of groupFiles) add(dir.get(g.name));
    groups.set(g.name, { name: g.name, hosts: [...g.hosts], children: [...g.children], vars, varLocs, source: g.source });
  }
  const hosts = new Map<string, InventoryHost>();
  for (const h of raw.hosts.values()) {
    const memberOf = hostGroups.get(h.name) ?? ['all'];
    const ordered = [
      'all',
      ...sortGroups(
        memberOf.filter((g) => g !== 'all'),
        depth,
        prio,
      ),
    ];
    const vars: Vars = {};
    const varLocs: VarLocs = new Map();
    const add = (from: { vars: Vars; locs: VarLocs } | undefined): void => mergeInto(vars, from?.vars, { into: varLocs, from: from?.locs });
    for (const g of ordered) {
      const group = raw.groups.get(g);
      add(group && { vars: group.vars, locs: group.varLocs });
    }
    for (const dir of groupFiles) add(dir.get('all'));
    for (const dir of groupFiles) for (const g of ordered.slice(1)) add(dir.get(g));
    add({ vars: h.vars, locs: h.varLocs });
    for (const dir of hostFiles) add(dir.get(h.name));
    hosts.set(h.name, { name: h.name, groups: memberOf, vars, varLocs, source: h.source });
  }
  const later = await laterGroupVars(raw, problems);
  return { inventory: { hosts, groups, sources: [...raw.sources], ...(later.size ? { laterGroupVars: later } : {}) }, problems };
}

/** The group_vars/ of groups the inventory does not declare (a later source's files win), for groups the run creates. */
async function laterGroupVars(raw: RawInventory, problems: Problem[]): Promise<Map<string, Vars>> {
  const out = new Map<string, Vars>();
  for (const basedir of raw.varsDirs) {
    const index = await indexVarsDir(basedir, 'group_vars');
    const names = new Set(
      [...index.entries].map((e) => e.replace(/\.(yml|yaml|json)$/, '')).filter((n) => !raw.groups.has(n) && !n.startsWith('.')),
    );
    for (const name of names) {
      const r = await loadEntityVars(index, name);
      problems.push(...r.problems);
      if (r.files.length === 0) continue;
      const into = out.get(name) ?? {};
      mergeInto(into, r.vars);
      out.set(name, into);
    }
  }
  return out;
}

async function loadDirs(dirs: string[], kind: 'group_vars' | 'host_vars', names: string[], problems: Problem[]): Promise<DirVars> {
  const out: DirVars = [];
  for (const basedir of dirs) {
    const found = new Map<string, { vars: Vars; locs: VarLocs }>();
    out.push(found);
    const index = await indexVarsDir(basedir, kind);
    if (index.entries.size === 0) continue;
    const loaded = await Promise.all(names.map((n) => loadEntityVars(index, n)));
    loaded.forEach((r, i) => {
      problems.push(...r.problems);
      if (r.files.length) found.set(names[i] ?? '', { vars: r.vars, locs: r.locs });
    });
  }
  return out;
}

/** `ansible_group_priority` from inventory files only (as in Ansible, group_vars/ cannot set it); default 1. */
function groupPriorities(raw: RawInventory, problems: Problem[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of raw.groups.values()) {
    const v = g.vars['ansible_group_priority'];
    if (v === undefined) continue;
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (Number.isInteger(n)) out.set(g.name, n);
    else
      problems.push({ message: `ansible_group_priority of group "${g.name}" must be an integer, got ${JSON.stringify(v)}`, loc: g.source });
  }
  return out;
}
