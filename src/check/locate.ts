// Where a problem about a task keyword or a host variable points: read from the model (the playbook's key
// locations, the inventory's variable locations), never by reading a file again.
import type { SourceLocation } from '../errors/problem.js';
import type { Inventory } from '../inventory/types.js';
import type { TaskNode } from '../playbook/model.js';

/** Where the value of a task's key (the first part of a field path like `environment.X`) is written, else the task. */
export function keyLoc(t: TaskNode, field: string): SourceLocation {
  return t.keyLocs?.[field.split('.')[0] ?? field] ?? t.loc;
}

/** Where the value a host has for an inventory variable was set (inventory file, group_vars/ or host_vars/), else where the host is declared. */
export function varLocation(inv: Inventory, host: string, key: string): SourceLocation | undefined {
  const h = inv.hosts.get(host);
  return h?.varLocs?.get(key) ?? h?.source;
}

/** `a, b, c` or `a, b, c and 4 more`: the hosts a problem shared by many hosts names. */
export function someHosts(hosts: readonly string[]): string {
  return hosts.length > 3 ? `${hosts.slice(0, 3).join(', ')} and ${hosts.length - 3} more` : hosts.join(', ');
}
