import type { Inventory, InventoryGroup } from '../inventory/index.js';
import { isFloatAt, pyFloat } from '../inventory/py-float.js';
import { maskVars } from './mask.js';

/** How read-only views show variables. */
export interface ViewOptions {
  showSecrets: boolean;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The object `ansible-inventory --list` prints: `_meta.hostvars`, then each non-empty group's `hosts`/`children`. */
export function inventoryList(inv: Inventory, opts: ViewOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const visit = (g: InventoryGroup): void => {
    if (seen.has(g.name)) return;
    seen.add(g.name);
    const entry: Record<string, string[]> = {};
    if (g.name !== 'all' && g.hosts.length) entry['hosts'] = [...g.hosts];
    // declaration order, as ansible-inventory (2.14) lists children
    const children = [...g.children];
    if (children.length) entry['children'] = children;
    if (Object.keys(entry).length) out[g.name] = entry;
    for (const c of children) {
      const child = inv.groups.get(c);
      if (child) visit(child);
    }
  };
  const all = inv.groups.get('all');
  if (all) visit(all);
  const hostvars: Record<string, unknown> = {};
  for (const h of inv.hosts.values()) if (Object.keys(h.vars).length) hostvars[h.name] = opts.showSecrets ? h.vars : maskVars(h.vars);
  out['_meta'] = { hostvars };
  return out;
}

/**
 * JSON text as `ansible-inventory --list` prints it (Python's json.dumps, sort_keys, indent 4): keys sorted at every
 * level, floats as floats (`3.0`, `1e+16`), `Infinity`/`NaN` as Python writes them.
 */
export function sortedJson(value: unknown): string {
  return `${pyJson(value, '')}\n`;
}

function pyJson(v: unknown, pad: string, float = false): string {
  const inner = `${pad}    `;
  if (typeof v === 'number') return float || !Number.isInteger(v) ? pyFloat(v) : String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x, i) => `${inner}${pyJson(x, inner, isFloatAt(v, i))}`).join(',\n')}\n${pad}]`;
  }
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v).sort(byName);
    if (keys.length === 0) return '{}';
    const obj = v as Record<string, unknown>;
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${pyJson(obj[k], inner, isFloatAt(obj, k))}`).join(',\n')}\n${pad}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A value as the readable views show it: strings as they are, floats as `3.0`, the rest as JSON. */
export function showValue(v: unknown, float = false): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return float || !Number.isInteger(v) ? pyFloat(v) : String(v);
  return JSON.stringify(v) ?? 'null';
}

/** The lines of `ansible-inventory --graph`: `@all:`, `  |--@group:`, `  |  |--host` (children and hosts sorted by name). */
export function inventoryGraph(inv: Inventory, root = 'all'): string[] {
  const out: string[] = [];
  const name = (text: string, depth: number): string => (depth ? `${'  |'.repeat(depth)}--${text}` : text);
  const walk = (g: string, depth: number, path: Set<string>): void => {
    const group = inv.groups.get(g);
    out.push(name(`@${g}:`, depth));
    if (!group || path.has(g)) return;
    const below = new Set([...path, g]);
    for (const c of [...group.children].sort(byName)) walk(c, depth + 1, below);
    if (g !== 'all') for (const h of [...group.hosts].sort(byName)) out.push(name(h, depth + 1));
  };
  walk(root, 0, new Set());
  return out;
}

/** A readable tree: every group (indented under its parents) with its own vars, and its hosts with their resolved vars. */
export function inventoryTree(inv: Inventory, opts: ViewOptions): string[] {
  const out: string[] = [];
  const show = (vars: Record<string, unknown>): string =>
    Object.entries(opts.showSecrets ? vars : maskVars(vars))
      .map(([k, v]) => `${k}=${showValue(v, isFloatAt(vars, k))}`)
      .join(' ');
  const walk = (g: string, depth: number, path: Set<string>): void => {
    const group = inv.groups.get(g);
    if (!group || path.has(g)) return;
    const pad = '  '.repeat(depth);
    const hosts = g === 'all' ? [] : group.hosts;
    out.push(`${pad}${g}${hosts.length ? ` (${hosts.length} host${hosts.length === 1 ? '' : 's'})` : ''}`);
    if (Object.keys(group.vars).length) out.push(`${pad}  vars: ${show(group.vars)}`);
    for (const c of group.children) walk(c, depth + 1, new Set([...path, g]));
    for (const h of hosts) {
      const vars = inv.hosts.get(h)?.vars ?? {};
      out.push(`${pad}  - ${h}${Object.keys(vars).length ? `  ${show(vars)}` : ''}`);
    }
  };
  walk('all', 0, new Set());
  return out;
}
