/* Generated from schema/inventory.schema.json by scripts/gen-types.mjs: do not edit. */

/**
 * A group: its hosts, its variables and its child groups. An empty value (`web:`) declares an empty group.
 */
export type InventoryGroupSpec = {
  /**
   * Hosts of this group, each a key (`web1:`) with its variables as the value (or nothing). Ranges such as `web[01:03]` and a `:port` suffix are allowed in the key.
   */
  hosts?: {
    [k: string]: InventoryVars;
  } | null;
  vars?: InventoryVars;
  /**
   * Child groups, each a key with its own group definition (or nothing to just reference a group defined elsewhere). Hosts of a child are hosts of this group.
   */
  children?: {
    [k: string]: InventoryGroupSpec;
  } | null;
} | null;
/**
 * Variables of every host in this group (or of this host): a mapping of variable name to any YAML value, e.g. `ansible_host: 127.0.0.5`, `ansible_port: 2222`, `ansible_user: admin`.
 */
export type InventoryVars = {
  [k: string]: unknown;
} | null;

/**
 * An Ansible-style YAML inventory read by tsplay (-i FILE). Top-level keys are group names (usually just `all`); each group may have `hosts`, `vars` and `children`. Host names may use ranges such as `web[01:03]` or `db-[a:c]`. Point yaml-language-server at this file for completion and checks.
 */
export interface YamlInventory {
  [k: string]: InventoryGroupSpec;
}
