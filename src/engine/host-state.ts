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
  /**
   * Set (to why) when the host failed only because any_errors_fatal stopped the play after ANOTHER host failed or
   * was unreachable: it is out of the play (and its rescue runs) but no task of its own failed, so it is not counted
   * as failed in the recap or the exit code.
   */
  stoppedBy?: string | undefined;
  /** Facts set by the last task (what run_once shares with the other hosts). */
  lastFacts: Record<string, unknown>;
  /** Handlers notified on this host, by handler name or listen topic. */
  notified: Set<string>;
  recap: HostRecap;
  /** The last task that failed on this host and its result (ansible_failed_task/result in a rescue). */
  lastFailure?: { task: Record<string, unknown>; result: Record<string, unknown> } | undefined;
  /** `meta: end_host` ended this host's part of the current play (not a failure). */
  ended?: boolean;
}

/** A fresh state for a host. */
export function newHostState(name: string, inventoryVars: Record<string, unknown>): HostState {
  return {
    name,
    inventoryVars,
    facts: {},
    lastFacts: {},
    registered: {},
    failed: false,
    unreachable: false,
    notified: new Set(),
    recap: emptyRecap(),
  };
}

/** True while the host still takes part in the play. */
export function isActive(h: HostState): boolean {
  return !h.failed && !h.unreachable && !h.ended;
}
