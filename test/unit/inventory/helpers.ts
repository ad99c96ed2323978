import { fileURLToPath } from 'node:url';
import { formatProblem, type Problem } from '../../../src/errors/problem.js';
import { loadInventory } from '../../../src/inventory/index.js';
import type { Inventory } from '../../../src/inventory/types.js';

/** Absolute path of test/fixtures/inventory (problem locations are shown relative to it). */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url));

/** Loads fixture sources (relative to FIXTURES) and renders the problems as `file:line:col: message (hint)`. */
export async function load(...specs: string[]): Promise<{ inventory: Inventory; problems: string[]; raw: Problem[] }> {
  const r = await loadInventory(specs, { cwd: FIXTURES });
  return { inventory: r.inventory, problems: r.problems.map(formatProblem), raw: r.problems };
}

/** The merged vars of one host (fails the test when the host is missing). */
export function varsOf(inv: Inventory, host: string): Record<string, unknown> {
  const h = inv.hosts.get(host);
  if (!h) throw new Error(`host ${host} not in inventory: ${[...inv.hosts.keys()].join(', ')}`);
  return h.vars;
}
