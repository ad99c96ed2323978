// Public API of the inventory module: load -i sources, then select hosts by pattern.
/** Loads and merges every -i source (file, directory, or comma list "a,b,"). Never throws for bad input: returns all problems. */
export { loadInventory } from './load.js';
/** Hosts matching an Ansible pattern, in inventory order. A pattern (or a part of it) that matches no host is a problem. */
export { matchHosts } from './patterns.js';
/** The resolved inventory types. */
export type { Inventory, InventoryGroup } from './types.js';
