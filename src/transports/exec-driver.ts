import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { saysPasswordRequired } from './become.js';
import { BecomeError } from '../errors/become-error.js';
import { StderrScanner, type Markers } from './markers.js';
import { DEFAULT_OUTPUT_CAP, OutputTail } from './output-tail.js';
import type { ExitStatus, RunningCommand } from './running-command.js';
import type { ExecRequest, ExecResult } from './transport.js';

/** Everything the driver needs besides the started command. */
export interface DriveOptions extends Pick<ExecRequest, 'become' | 'stdin' | 'timeoutMs' | 'signal' | 'onOutput'> {
  host: string;
  markers: Markers;
  /** Stream stdout here (not ended by the driver) instead of collecting it. */
  stdoutSink?: Writable | undefined;
  outputCap?: number | undefined;
  /** Kills the command's process tree on the host (run as the same user); used on timeout/abort. */
  killTree?: ((pid: number) => Promise<void>) | undefined;
  /** Rejects when the connection under the command is lost. */
  lost?: Promise<never> | undefined;
  /** Told the command's remote pid as soon as it is known (so a lost connection can still stop its tree later). */
  onPid?: ((pid: number) => void) | undefined;
}

/** How long a stop waits for the command's pid marker when it has not arrived yet. */
const PID_WAIT_MS = 3000;

/** How long to wait for a killed command to report its end before giving up on it. */
const KILL_GRACE_MS = 5000;

/**
 * Runs a started command to its end: feeds the sudo password at the marker, forwards stdin after
 * authentication, collects output (tail-capped), enforces timeout/abort by killing the remote tree.
 * Resolves with the same shape on success and failure; rejects only for become failures or a lost connection.
 */
export async function drive(cmd: RunningCommand, o: DriveOptions): Promise<ExecResult> {
  const start = Date.now();
  const out = new OutputTail(o.outputCap ?? DEFAULT_OUTPUT_CAP);
  const err = new OutputTail(o.outputCap ?? DEFAULT_OUTPUT_CAP);
  const state = {
    pid: undefined as number | undefined,
    prompts: 0,
    rejected: false,
    stop: undefined as 'timeout' | 'abort' | 'become' | undefined,
  };
  const forced = deferred<ExitStatus>();
  const pidKnown = deferred<void>();
  cmd.stdin.on('error', () => undefined);
  const stop = (why: 'timeout' | 'abort' | 'become'): void => {
    if (state.stop) return;
    state.stop = why;
    void (async () => {
      // A command stopped before it reported its pid (a loaded host) would outlive a bare channel close:
      // give the pid marker a moment to arrive so the whole tree can be killed.
      if (state.pid === undefined && o.killTree)
        await Promise.race([pidKnown.promise, new Promise((r) => setTimeout(r, PID_WAIT_MS).unref())]);
      if (state.pid !== undefined && o.killTree) await o.killTree(state.pid).catch(() => undefined);
      cmd.abandon();
      setTimeout(() => forced.resolve({ code: null, signal: 'SIGKILL' }), KILL_GRACE_MS).unref();
    })();
  };
  let stdinError: Error | undefined;
  // never forward a broken input: its EOF would let the remote side commit a partial file
  const feed = (): void => {
    if (!stdinError) feedStdin(cmd.stdin, o.stdin);
  };
  if (isStream(o.stdin)) {
    // The input may have failed (or closed early) before this command even started: a small download whose checksum
    // did not match ended that way, and piping a dead stream never sends EOF, so the remote `cat`/`tee` waited forever.
    const s = o.stdin;
    const broken = (e?: Error | null): void => {
      if (stdinError) return;
      stdinError = e ?? new Error('the input stream closed before its end');
      stop('abort');
    };
    if (s.errored) broken(s.errored);
    else if (s.destroyed && !s.readableEnded) broken();
    else {
      s.once('error', broken);
      s.once('close', () => {
        if (!s.readableEnded) broken();
      });
    }
  }
  collect(cmd.stdout, o.stdoutSink ? undefined : out, o.stdoutSink, (t) => o.onOutput?.('stdout', t));
  const errDecoder = new StringDecoder('utf8');
  const scanner = new StderrScanner(
    o.markers,
    {
      text: (b) => {
        err.push(b);
        if (o.onOutput) o.onOutput('stderr', errDecoder.write(b));
      },
      prompt: () => {
        state.prompts++;
        if (state.prompts === 1 && o.become?.password !== undefined) cmd.stdin.write(`${o.become.password}\n`);
        else {
          state.rejected = true;
          stop('become');
        }
      },
      ready: (pid) => {
        state.pid = pid;
        o.onPid?.(pid);
        pidKnown.resolve();
        if (o.become) feed();
      },
    },
    o.become?.password !== undefined,
  );
  cmd.stderr.on('data', (b: Buffer) => scanner.push(b));
  cmd.stderr.on('end', () => scanner.end());
  if (!o.become) feed();
  const timer = o.timeoutMs ? setTimeout(() => stop('timeout'), o.timeoutMs) : undefined;
  const onAbort = (): void => stop('abort');
  if (o.signal?.aborted) stop('abort');
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  let exit: ExitStatus;
  try {
    exit = await Promise.race([cmd.done, forced.promise, ...(o.lost ? [o.lost] : [])]);
  } catch (e) {
    cmd.abandon();
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    if (isStream(o.stdin)) o.stdin.unpipe(cmd.stdin);
  }
  if (stdinError) throw stdinError;
  scanner.end();
  const stderr = err.text();
  if (o.become && state.rejected) throw new BecomeError(o.host, 'rejected', o.become.user);
  if (o.become && state.pid === undefined && exit.code === 1 && saysPasswordRequired(stderr)) {
    throw new BecomeError(o.host, 'required', o.become.user);
  }
  const killed = state.stop !== undefined;
  return {
    stdout: out.text(),
    stderr,
    code: killed ? null : exit.code,
    signal: killed ? (exit.signal ?? 'SIGKILL') : exit.signal,
    timedOut: state.stop === 'timeout',
    durationMs: Date.now() - start,
    ...(state.stop === 'abort' ? { aborted: true } : {}),
    ...(out.truncated ? { stdoutTruncated: true } : {}),
    ...(err.truncated ? { stderrTruncated: true } : {}),
  };
}

/** Collects a stream into a tail buffer (with live text), or pipes it into a sink. */
function collect(src: Readable, tail: OutputTail | undefined, sink: Writable | undefined, live: (text: string) => void): void {
  if (sink) {
    src.pipe(sink, { end: false });
    return;
  }
  const dec = new StringDecoder('utf8');
  src.on('data', (b: Buffer) => {
    tail?.push(b);
    live(dec.write(b));
  });
}

/** Writes the request's stdin (string, bytes or stream) to the command and then EOF. */
function feedStdin(dst: Writable, stdin: ExecRequest['stdin']): void {
  if (stdin === undefined) dst.end();
  else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) dst.end(stdin);
  else stdin.pipe(dst);
}

/** True for stream stdin (as opposed to a string or bytes). */
function isStream(stdin: ExecRequest['stdin']): stdin is Readable {
  return stdin !== undefined && typeof stdin !== 'string' && !Buffer.isBuffer(stdin);
}

/** A promise with its resolve function exposed. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
