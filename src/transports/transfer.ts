import { createHash, randomBytes, type Hash } from 'node:crypto';
import { Transform, type Readable, type Writable } from 'node:stream';
import { sha256StdinSnippet } from '../util/sha256-command.js';
import { shellQuote } from '../util/shell-quote.js';
import { TransferError } from '../errors/transfer-error.js';
import type { ExecRequest, ExecResult, GetRequest, PutRequest, PutResult } from './transport.js';

/** Runs one command holding a channel until it ends; stdout goes to `sink` when given. */
export type CommandRunner = (req: ExecRequest, sink?: Writable) => Promise<ExecResult>;

/** A temp name beside `path` (same directory, so the final mv is an atomic rename). */
export function tempPathFor(path: string): string {
  return `${path}.tsplay-${randomBytes(6).toString('hex')}.tmp`;
}

/** The block size of a put's synchronous writes: what one write may queue ahead of the host's other fsyncs (etcd's WAL). */
export const PUT_BLOCK = '4M';

/**
 * Step 1 of a put: `tee | sha256`. The host hashes the bytes while it writes them (no second pass over a large file)
 * and prints the digest. Where `dd` has `oflag=dsync` (GNU coreutils), tee hands the bytes on to `dd`, which writes
 * them in synchronous 4 MiB blocks: a large snapshot streaming in never piles up as dirty pages for the kernel to
 * write back at once, which stalls the fsyncs of a running etcd on the same disk (its WAL's) for a second and more,
 * and with them its writes and the API, before anything is stopped (bench/RESULTS.md section 7). A second `dd` in
 * front of it holds the next block while one is being written, so the stream does not wait for the disk. Elsewhere
 * tee writes the file itself. Each writer's exit status (a full disk, say) is carried out of the pipeline through
 * fd 3, since POSIX sh has no pipefail; the put succeeds only when every one of them reported 0 (the digest is of
 * what tee read, so the dds' statuses are what prove the file whole). A failed write removes tmp. The temp file is
 * created under umask 077: a snapshot or key streaming in is never readable by others, even for a moment, whatever
 * the final mode.
 */
export function writeCommand(tmp: string): string {
  const block = `dd bs=${PUT_BLOCK} iflag=fullblock status=none`;
  const hash = sha256StdinSnippet();
  return [
    `umask 077; t=${shellQuote(tmp)}; exec 4>&1`,
    `if [ -d /dev/fd ] && ${block} oflag=dsync if=/dev/null of=/dev/null 2>/dev/null; then`,
    `  n=3; rc=$( { { { tee -- /dev/fd/5; echo tee=$? >&3; } | ${hash} >&4; } 5>&1 | { ${block}; echo buf=$? >&3; } | { ${block} oflag=dsync of="$t"; echo dd=$? >&3; }; } 3>&1 )`,
    'else',
    `  n=1; rc=$( { { tee -- "$t"; echo tee=$? >&3; } | ${hash} >&4; } 3>&1 )`,
    'fi',
    `[ "$(printf '%s\\n' "$rc" | grep -c '=0$')" = "$n" ] && exit 0`,
    // the writer's code first: when it fails (a full disk), the others only see their pipe close
    `code() { printf '%s\\n' "$rc" | sed -n "s/^$1=\\([1-9][0-9]*\\)$/\\1/p"; }`,
    `rm -f -- "$t"; c=$(code dd); [ -n "$c" ] || c=$(code buf); [ -n "$c" ] || c=$(code tee); exit "\${c:-1}"`,
  ].join('\n');
}

/** Step 2 of a put, run only once the controller has matched the host's digest with what it sent: `chmod MODE tmp && mv -f tmp path`. */
export function commitCommand(path: string, tmp: string, mode: number): string {
  const m = (mode & 0o7777).toString(8).padStart(4, '0');
  return `t=${shellQuote(tmp)}; chmod -- ${m} "$t" && mv -f -- "$t" ${shellQuote(path)} || { rc=$?; rm -f -- "$t"; exit $rc; }`;
}

/**
 * Streams `content` into a file on the host, atomically (mode 0644 unless given). The rename is a separate command
 * run only after the host's SHA-256 of what it wrote equals the SHA-256 of what was sent: a stream cut short (the
 * controller killed, the source failing) ends the host's input early, and that must never become the file.
 */
export async function putFile(run: CommandRunner, host: string, req: PutRequest): Promise<PutResult> {
  const tmp = tempPathFor(req.path);
  const cleanup = (): Promise<unknown> =>
    run({ command: `rm -f -- ${shellQuote(tmp)}`, become: req.become, timeoutMs: 10_000 }).catch(() => undefined);
  // one hash of the content on the controller: the caller's (a download checks the object's digest anyway) or ours
  const known = req.sha256;
  known?.catch(() => undefined); // settled by the caller's stream; awaited below only once the host is done
  const sent = known ? undefined : createHash('sha256');
  if (typeof req.content === 'string' || Buffer.isBuffer(req.content)) sent?.update(req.content);
  const stdin =
    typeof req.content === 'string' || Buffer.isBuffer(req.content) ? req.content : sent ? hashing(req.content, sent) : req.content;
  let r: ExecResult;
  try {
    r = await run({ command: writeCommand(tmp), stdin, become: req.become, signal: req.signal, timeoutMs: req.timeoutMs });
  } catch (e) {
    await cleanup();
    throw e;
  }
  if (r.code !== 0) {
    if (r.code === null) await cleanup();
    throw new TransferError(host, 'write', req.path, failureDetail(r));
  }
  if (typeof stdin !== 'string' && !Buffer.isBuffer(stdin) && !stdin.readableEnded) {
    // the source failed or stopped early: what reached the host is partial even if it hashes the same
    await cleanup();
    throw new TransferError(
      host,
      'write',
      req.path,
      `the input stream ended before its end${stdin.errored ? ` (${stdin.errored.message})` : ''}; nothing was written`,
    );
  }
  const sha256 = /^([0-9a-f]{64})$/m.exec(r.stdout)?.[1];
  const expected = sent
    ? sent.digest('hex')
    : await (known as Promise<string>).catch(async (e: unknown) => {
        await cleanup();
        throw e;
      });
  if (sha256 !== expected) {
    await cleanup();
    const got = sha256
      ? `the host wrote SHA-256 ${sha256}, tsplay sent ${expected}`
      : `the host printed no SHA-256 of what it wrote (got ${JSON.stringify(r.stdout.slice(0, 200))})`;
    throw new TransferError(host, 'write', req.path, `${got}; nothing was written`);
  }
  const c = await run({ command: commitCommand(req.path, tmp, req.mode ?? 0o644), become: req.become, timeoutMs: 30_000 }).catch(
    async (e: unknown) => {
      await cleanup();
      throw e;
    },
  );
  if (c.code !== 0) throw new TransferError(host, 'write', req.path, failureDetail(c));
  return { sha256 };
}

/** A pass-through that feeds every chunk to `hash`; a source error is passed on (so the remote write fails, never commits). */
function hashing(source: Readable, hash: Hash): Transform {
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  // the transport's driver watches its input for errors once the command starts; until then nobody listens
  tap.on('error', () => undefined);
  source.once('error', (e) => tap.destroy(e));
  return source.pipe(tap);
}

/** Reads a file from the host as a binary stream; a missing/unreadable file rejects with the remote stderr. */
export function getFile(run: CommandRunner, host: string, req: GetRequest): Promise<Readable> {
  let started: (() => void) | undefined;
  const sink = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      started?.();
      cb(null, chunk);
    },
  });
  return new Promise((resolve, reject) => {
    let handed = false;
    started = () => {
      started = undefined;
      handed = true;
      resolve(sink);
    };
    const fail = (e: Error): void => {
      if (handed) sink.destroy(e);
      else {
        sink.destroy();
        reject(e);
      }
    };
    // A consumer that destroys the stream early must not leave the remote cat (and its channel slot) blocked.
    const ac = new AbortController();
    let finished = false;
    sink.once('close', () => finished || ac.abort());
    const signal = req.signal ? AbortSignal.any([req.signal, ac.signal]) : ac.signal;
    run({ command: `cat -- ${shellQuote(req.path)}`, become: req.become, signal }, sink).then(
      (r) => {
        finished = true;
        if (r.code !== 0) return fail(new TransferError(host, 'read', req.path, failureDetail(r)));
        sink.end();
        if (!handed) resolve(sink);
      },
      (e: Error) => {
        finished = true;
        fail(e);
      },
    );
  });
}

/** Why a transfer command failed, from its result. */
function failureDetail(r: ExecResult): string {
  if (r.timedOut) return `timed out after ${r.durationMs} ms`;
  if (r.aborted) return 'cancelled';
  const tail = r.stderr.trim().split('\n').slice(-5).join('\n');
  return tail || (r.code === null ? `killed by ${r.signal ?? 'a signal'}` : `exit code ${r.code}`);
}
