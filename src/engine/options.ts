import type { Transport, ConnectionSpec } from '../transports/transport.js';

/** Connection settings from the CLI that apply to every host unless its inventory vars say otherwise. */
export interface ConnectionOptions {
  user?: string | undefined;
  privateKeyFile?: string | undefined;
  knownHostsFiles?: string[] | undefined;
  acceptNewHostKeys?: boolean | undefined;
  connectTimeoutMs?: number | undefined;
}

/** Everything a run needs; the CLI builds it, tests build it directly. */
export interface RunOptions {
  playbook: string;
  inventory: string[];
  limit?: string | undefined;
  /** Already parsed `-e` values in order (later wins). */
  extraVars: Record<string, unknown>;
  check: boolean;
  forks: number;
  tags: string[];
  skipTags: string[];
  startAtTask?: string | undefined;
  verbosity: number;
  /** --yes: confirmations are answered yes. */
  yes: boolean;
  /** A terminal is attached, so the UI can ask. */
  interactive: boolean;
  /** Asks the operator (provided by the UI when interactive). */
  ask?: ((message: string) => Promise<boolean>) | undefined;
  connection: ConnectionOptions;
  /** Default per-task timeout in seconds (0: none). */
  taskTimeoutS?: number | undefined;
  /** Injected transport factory (tests use the fake); default: SSH/local transports. */
  transportFactory?: ((spec: ConnectionSpec) => Transport) | undefined;
  signal?: AbortSignal | undefined;
  /** Only validate: never connect. */
  validateOnly?: boolean | undefined;
}
