import { IntegralFloat, isFloatAt, markFloat, unboxFloats } from './py-float.js';
import type { Problem, SourceLocation } from '../errors/problem.js';

/** Variables of a group or host, as a plain mapping. */
export type Vars = Record<string, unknown>;

/** Where each variable of a mapping was set (its key's `file:line:col`), recorded as the sources are parsed. */
export type VarLocs = Map<string, SourceLocation>;

/** A group while sources are still being read: inventory-file vars only, edges with their locations. */
export interface RawGroup {
  name: string;
  hosts: string[];
  children: string[];
  vars: Vars;
  /** Where each of `vars` was set. */
  varLocs: VarLocs;
  source?: SourceLocation | undefined;
  /** Where each child edge was declared (for cycle problems). */
  childLocs: Map<string, SourceLocation | undefined>;
}

/** A host while sources are still being read: the vars written next to it in inventory files. */
export interface RawHost {
  name: string;
  vars: Vars;
  /** Where each of `vars` was set. */
  varLocs: VarLocs;
  source?: SourceLocation | undefined;
}

/** Everything read from all `-i` sources, before group_vars/host_vars and precedence are applied. */
export interface RawInventory {
  groups: Map<string, RawGroup>;
  hosts: Map<string, RawHost>;
  /** Directories whose group_vars/ and host_vars/ apply, in source order. */
  varsDirs: string[];
  sources: string[];
}

/** An empty inventory with the implicit `all` and `ungrouped` groups. */
export function newRawInventory(): RawInventory {
  const raw: RawInventory = { groups: new Map(), hosts: new Map(), varsDirs: [], sources: [] };
  ensureGroup(raw, 'all');
  ensureGroup(raw, 'ungrouped');
  addChild(raw, 'all', 'ungrouped');
  return raw;
}

/** Sets one variable without ever touching the prototype (a key may be `__proto__`); a boxed float is stored as a marked number. */
export function setVar(vars: Vars, key: string, value: unknown): void {
  markFloat(vars, key, value instanceof IntegralFloat);
  Object.defineProperty(vars, key, { value: unboxFloats(value), enumerable: true, writable: true, configurable: true });
}

/**
 * Copies every variable of `from` into `into`, later values replacing earlier ones (Ansible's `hash_behaviour=replace`);
 * with `locs`, where each copied variable was set goes along (a variable set where no location is known loses its old one).
 */
export function mergeInto(into: Vars, from: Vars | null | undefined, locs?: { into: VarLocs; from: VarLocs | undefined }): void {
  if (!from) return;
  for (const [k, v] of Object.entries(from)) {
    setVar(into, k, isFloatAt(from, k) ? new IntegralFloat(v as number) : v);
    if (!locs) continue;
    const loc = locs.from?.get(k);
    if (loc) locs.into.set(k, loc);
    else locs.into.delete(k);
  }
}

/** The group `name`, created (and its first location recorded) when new. */
export function ensureGroup(raw: RawInventory, name: string, loc?: SourceLocation): RawGroup {
  let g = raw.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], vars: {}, varLocs: new Map(), source: loc, childLocs: new Map() };
    raw.groups.set(name, g);
  } else if (!g.source && loc) g.source = loc;
  return g;
}

/** Declares `host` as a direct member of `group`, merging the inventory-file `vars` (set where `varLocs` says) into the host. */
export function addHost(raw: RawInventory, group: string, host: string, vars: Vars, loc?: SourceLocation, varLocs?: VarLocs): void {
  let h = raw.hosts.get(host);
  if (!h) {
    h = { name: host, vars: {}, varLocs: new Map(), source: loc };
    raw.hosts.set(host, h);
  }
  mergeInto(h.vars, vars, { into: h.varLocs, from: varLocs });
  const g = ensureGroup(raw, group);
  if (!g.hosts.includes(host)) g.hosts.push(host);
}

/** Makes `child` a child group of `parent`; refuses (with a problem) an edge that would make a cycle. */
export function addChild(raw: RawInventory, parent: string, child: string, loc?: SourceLocation): Problem | undefined {
  if (child === 'all') return { message: `group "all" cannot be a child of "${parent}": it contains every group`, loc };
  const p = ensureGroup(raw, parent);
  ensureGroup(raw, child, loc);
  if (p.children.includes(child)) return undefined;
  const path = child === parent ? [child] : pathBetween(raw, child, parent);
  if (path) {
    const cycle = [parent, ...path].join(' → ');
    return { message: `group "${child}" cannot be a child of "${parent}": that makes a cycle (${cycle})`, loc };
  }
  p.children.push(child);
  p.childLocs.set(child, loc);
  return undefined;
}

/** The chain of groups from `from` down to `to` through children, or undefined when `to` is not below `from`. */
function pathBetween(raw: RawInventory, from: string, to: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (name: string): string[] | undefined => {
    if (name === to) return [name];
    if (seen.has(name)) return undefined;
    seen.add(name);
    for (const c of raw.groups.get(name)?.children ?? []) {
      const rest = walk(c);
      if (rest) return [name, ...rest];
    }
    return undefined;
  };
  return walk(from);
}
