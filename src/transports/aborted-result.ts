import type { ExecResult } from './transport.js';

/** The result of a command that was cancelled before it started. */
export function abortedResult(start: number): ExecResult {
  return { stdout: '', stderr: '', code: null, signal: null, timedOut: false, aborted: true, durationMs: Date.now() - start };
}
