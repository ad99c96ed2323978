import type { Readable, Writable } from 'node:stream';

/** How a process ended: exit code, or the signal (as `SIGKILL`) that ended it. */
export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

/** A started command seen the same way for an ssh channel and a local child process. */
export interface RunningCommand {
  stdout: Readable;
  stderr: Readable;
  stdin: Writable;
  /** Settles once the process has ended and its output has been delivered. */
  done: Promise<ExitStatus>;
  /** Ends the command from our side right away (closes the channel / kills the process group); never throws. */
  abandon(): void;
}

/** `KILL` → `SIGKILL`; passes through names already prefixed and null. */
export function signalName(sig: string | null | undefined): string | null {
  if (!sig) return null;
  return sig.startsWith('SIG') ? sig : `SIG${sig}`;
}
