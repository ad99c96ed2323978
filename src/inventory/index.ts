export { loadInventory } from './load.js';
export { matchHosts } from './patterns.js';
export type { Inventory, InventoryGroup, InventoryHost } from './types.js';
