import { emptyRecap, type HostRecap } from './events.js';

/** What the engine knows and has learned about one host during a run. */
export interface HostState {
  name: string;
  /** Inventory variables (authored: may contain templates). */
  inventoryVars: Record<string, unknown>;
  /** set_fact values (authored by the playbook, already rendered). */
  facts: Record<string, unknown>;
  /** Registered results (data from the host: never rendered as templates). */
  registered: Record<string, unknown>;
  failed: boolean;
  unreachable: boolean;
  /** Facts set by the last task (what run_once shares with the other hosts). */
  lastFacts: Record<string, unknown>;
  /** Handlers notified on this host, by handler name or listen topic. */
  notified: Set<string>;
  recap: HostRecap;
}

/** A fresh state for a host. */
export function newHostState(name: string, inventoryVars: Record<string, unknown>): HostState {
  return { name, inventoryVars, facts: {}, lastFacts: {}, registered: {}, failed: false, unreachable: false, notified: new Set(), recap: emptyRecap() };
}

/** True while the host still takes part in the play. */
export function isActive(h: HostState): boolean {
  return !h.failed && !h.unreachable;
}
