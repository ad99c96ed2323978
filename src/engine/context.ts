import type { Inventory } from '../inventory/types.js';
import type { Semaphore } from '../transports/semaphore.js';
import type { ConnectionPool } from './connections.js';
import type { CriticalSections } from './critical.js';
import type { EventSink } from './events.js';
import type { HostState } from './host-state.js';
import type { RunOptions } from './options.js';
import type { Redactor } from './redact.js';
import type { DryRunState } from '../tasks/dry-run-state.js';

/** The last task that completed, and why the run stopped early (if it did). */
export interface RunProgress {
  play: number;
  afterTaskId?: string | undefined;
  afterTask?: string | undefined;
  stopped?: string | undefined;
}

/** Everything shared by one run, passed explicitly (no globals). */
export interface RunContext {
  opts: RunOptions;
  inventory: Inventory;
  hosts: Map<string, HostState>;
  /** Emits an event after masking secrets. */
  emit: EventSink;
  redactor: Redactor;
  connections: ConnectionPool;
  /** Bounds how many hosts work at once (--forks). */
  forks: Semaphore;
  /** Hard abort: passed to commands in flight. */
  signal: AbortSignal;
  /** Graceful stop: checked before each task starts. */
  stop: AbortSignal;
  /** Where the run is, for the journal and for resuming. */
  progress: RunProgress;
  /** Critical sections: where a stop may take effect, and the signal tasks listen to. */
  critical: CriticalSections;
  /** Check mode: what the steps planned so far would have done (for the later steps' plans). */
  dryRun: DryRunState;
  /** Set once add_host or group_by changed the inventory: later plays match their host patterns again. */
  inventoryChanged?: boolean;
  /** Parsed vars_files per play file path. */
  varsFiles: Map<string, Record<string, unknown>>;
}
