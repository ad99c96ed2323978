import type { Duplex, Readable } from 'node:stream';
import type { Become } from '../connection/types.js';

/** The requests carry it: re-exported for the modules that build them. */
export type { Become } from '../connection/types.js';

/** One remote command: a POSIX shell command line run by the remote login shell (`sh -c`). */
export interface ExecRequest {
  command: string;
  stdin?: string | Buffer | Readable | undefined;
  env?: Record<string, string> | undefined;
  cwd?: string | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  become?: Become | undefined;
  /** Called with output as it arrives (for live progress); the full output is also in the result. */
  onOutput?: ((stream: 'stdout' | 'stderr', chunk: string) => void) | undefined;
}

/** What a finished command returned; failures and successes have the same shape. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status, or null when the command was killed by a signal or timed out. */
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** The request's AbortSignal fired and the command was killed (code is null). */
  aborted?: boolean | undefined;
  /** Output beyond the cap (32 MiB per stream) was dropped from the start; the tail is kept. */
  stdoutTruncated?: boolean | undefined;
  stderrTruncated?: boolean | undefined;
}

/** Write a file on the host from a buffer, a string or a stream (never staged whole in memory for streams). */
export interface PutRequest {
  path: string;
  content: string | Buffer | Readable;
  /** SHA-256 of `content` when the caller computes it anyway (settles once the stream ended); otherwise the transport hashes what it sends. */
  sha256?: Promise<string> | undefined;
  mode?: number | undefined;
  become?: Become | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** What the host reports about a written file. */
export interface PutResult {
  /** Hex SHA-256 of the bytes the host received and wrote, computed on the host while writing. */
  sha256: string;
}

/** Read a file from the host as a stream. */
export interface GetRequest {
  path: string;
  become?: Become | undefined;
  signal?: AbortSignal | undefined;
}

/** A connection to one host: the only way the engine touches a machine. */
export interface Transport {
  /** Inventory name of the host this transport reaches. */
  readonly host: string;
  connect(signal?: AbortSignal): Promise<void>;
  exec(req: ExecRequest): Promise<ExecResult>;
  /** Writes a file atomically; resolves with the SHA-256 the host computed of the bytes it wrote. */
  put(req: PutRequest): Promise<PutResult>;
  get(req: GetRequest): Promise<Readable>;
  /** A TCP stream to `address:port` as seen from the host (an SSH direct-tcpip channel; a plain socket for local). */
  openTunnel?(address: string, port: number): Promise<Duplex>;
  close(): Promise<void>;
}
