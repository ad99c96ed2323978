import type { Problem } from '../errors/problem.js';
import type { Inventory } from '../inventory/index.js';
import { closest } from '../util/did-you-mean.js';
import { maskVars } from './mask.js';
import type { ViewOptions } from './views.js';

/** `inventory show HOST`: where it is declared, its groups (direct ones marked) and its resolved variables. */
export function showHost(inv: Inventory, host: string, opts: ViewOptions): { lines: string[] } | { problem: Problem } {
  const h = inv.hosts.get(host);
  if (!h) {
    const near = closest(host, inv.hosts.keys());
    return { problem: { message: `host "${host}" is not in the inventory`, hint: near ? `did you mean "${near}"?` : undefined } };
  }
  const direct = new Set([...inv.groups.values()].filter((g) => g.hosts.includes(host)).map((g) => g.name));
  const lines = [`host ${host}${h.source ? `  (${h.source.file}:${h.source.line}:${h.source.col})` : ''}`];
  lines.push(`groups: ${h.groups.map((g) => (direct.has(g) ? `${g}*` : g)).join(', ')}   (* = listed directly)`);
  const vars = opts.showSecrets ? h.vars : maskVars(h.vars);
  const keys = Object.keys(vars).sort();
  lines.push(keys.length ? 'vars:' : 'vars: (none)');
  for (const k of keys) lines.push(`  ${k}: ${JSON.stringify(vars[k])}`);
  return { lines };
}
