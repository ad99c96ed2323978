import type { Inventory } from '../inventory/types.js';
import type { Limiter } from '../util/limit.js';
import type { ConnectionPool } from './connections.js';
import type { EventSink } from './events.js';
import type { HostState } from './host-state.js';
import type { RunOptions } from './options.js';
import type { Redactor } from './redact.js';

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
  forks: Limiter;
  signal: AbortSignal;
  /** Parsed vars_files per play file path. */
  varsFiles: Map<string, Record<string, unknown>>;
}
