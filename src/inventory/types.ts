import type { SourceLocation } from '../errors/problem.js';

/** A host with its inventory-level variables already merged in Ansible's precedence order. */
export interface InventoryHost {
  name: string;
  /** Every group the host belongs to, directly or through children, always including `all`; inventory order. */
  groups: string[];
  /** Inventory variables (inventory files, group_vars/, host_vars/) merged in Ansible's documented precedence. */
  vars: Record<string, unknown>;
  /** Where the value of each of `vars` was set (the key in an inventory file, group_vars/ or host_vars/ file), when known. */
  varLocs?: ReadonlyMap<string, SourceLocation>;
  /** Where the host was first declared. */
  source?: SourceLocation | undefined;
}

/** A group as declared: its direct hosts, child groups and own variables. */
export interface InventoryGroup {
  name: string;
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
  /** Where each of `vars` was set, when known. */
  varLocs?: ReadonlyMap<string, SourceLocation>;
  source?: SourceLocation | undefined;
}

/** The resolved inventory: every host and group from all `-i` sources. */
export interface Inventory {
  /** Insertion order = first declaration order, which patterns preserve. */
  hosts: Map<string, InventoryHost>;
  groups: Map<string, InventoryGroup>;
  /** The files/directories/host lists it was loaded from. */
  sources: string[];
  /**
   * group_vars/ files (next to the inventory sources) of groups the inventory does not have: a group add_host or
   * group_by creates during the run takes them, as ansible-core loads them then.
   */
  laterGroupVars?: Map<string, Record<string, unknown>>;
}
