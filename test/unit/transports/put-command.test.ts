import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { commitCommand, putFile, writeCommand, type CommandRunner } from '../../../src/transports/transfer.js';
import { TransferError } from '../../../src/errors/transfer-error.js';
import type { ExecResult } from '../../../src/transports/transport.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-put-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sh = (script: string, input?: Buffer) => spawnSync('sh', ['-c', script], { input });

/** A CommandRunner over a local /bin/sh (what the local transport does, without its extras). */
const runner: CommandRunner = (req) =>
  new Promise<ExecResult>((resolve) => {
    const start = Date.now();
    const child = spawn('sh', ['-c', req.command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdin.on('error', () => undefined);
    const input = req.stdin;
    if (input instanceof Readable) {
      input.on('error', () => child.kill('SIGKILL'));
      input.pipe(child.stdin);
    } else child.stdin.end(input ?? '');
    child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal, timedOut: false, durationMs: Date.now() - start }));
  });

test('writeCommand writes the temp file (0600 under umask 077) and prints the SHA-256 of the bytes it wrote; commitCommand renames it with the mode', () => {
  const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
  const dest = join(dir, 'snap.db');
  const w = sh(writeCommand(`${dest}.tmp`), data);
  assert.equal(w.status, 0, w.stderr.toString());
  assert.equal(w.stdout.toString().trim(), createHash('sha256').update(data).digest('hex'));
  assert.equal(statSync(`${dest}.tmp`).mode & 0o777, 0o600);
  assert.equal(existsSync(dest), false, 'nothing at the destination before the commit');
  assert.equal(sh(commitCommand(dest, `${dest}.tmp`, 0o640)).status, 0);
  assert.deepEqual(readFileSync(dest), data);
  assert.equal(statSync(dest).mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(dir), ['snap.db'], 'no temp file left');
});

test('writeCommand fails with the write error when the temp file cannot be written', () => {
  const dest = join(dir, 'missing-dir', 'x.db');
  const r = sh(writeCommand(`${dest}.tmp`), Buffer.from('data'));
  assert.notEqual(r.status, 0);
  // GNU dd writes the file (synchronous blocks); tee does where dd has no oflag=dsync
  assert.match(r.stderr.toString(), /(tee|dd): .*missing-dir\/x\.db\.tmp'?: No such file or directory/);
});

/** This machine's dd (GNU coreutils), which the fake ones below hand some calls to. */
const realDd = spawnSync('sh', ['-c', 'command -v dd'], { encoding: 'utf8' }).stdout.trim();

/** A PATH whose `dd` is a script (`body`), ahead of the machine's other tools. */
function fakeDd(name: string, body: string): string {
  const bin = join(dir, `${name}-bin`);
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'dd'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`;
}
const shWith = (path: string, script: string, input: Buffer) =>
  spawnSync('sh', ['-c', script], { input, env: { ...process.env, PATH: path } });

test('writeCommand writes through dd in synchronous 4 MiB blocks where dd has oflag=dsync (another dd holding the next block): nothing left dirty to flush at once', () => {
  // the real dd is wrapped to log its arguments: the file is written by dd, not by tee
  const log = join(dir, 'dd-args.log');
  const path = fakeDd('logging', `echo "$*" >> '${log}'; exec '${realDd}' "$@"`);
  const data = Buffer.from(Array.from({ length: 9 * 1024 * 1024 + 5 }, (_, i) => (i * 13) % 256));
  const dest = join(dir, 'dsync.db.tmp');
  const w = shWith(path, writeCommand(dest), data);
  assert.equal(w.status, 0, w.stderr.toString());
  assert.equal(w.stdout.toString().trim(), createHash('sha256').update(data).digest('hex'));
  assert.deepEqual(readFileSync(dest), data, 'the whole stream, its last partial block included');
  assert.equal(statSync(dest).mode & 0o777, 0o600);
  const calls = readFileSync(log, 'utf8').trim().split('\n');
  assert.ok(calls.includes(`bs=4M iflag=fullblock status=none oflag=dsync of=${dest}`), calls.join('\n'));
  assert.ok(calls.includes('bs=4M iflag=fullblock status=none'), 'the dd holding the next block');
  rmSync(dest);
});

test('writeCommand fails, and removes the temp file, when dd fails half-way even though tee read everything', () => {
  // passes the capability probe, then reads all of its input and fails like a full disk: only its status tells
  const path = fakeDd(
    'failing',
    `case "$*" in *of=/dev/null*) exit 0;; esac; cat > /dev/null; echo "dd: error writing: No space left on device" >&2; exit 1`,
  );
  const dest = join(dir, 'full.db.tmp');
  const w = shWith(path, writeCommand(dest), Buffer.alloc(200_000, 7));
  assert.equal(w.status, 1);
  assert.match(w.stderr.toString(), /No space left on device/);
  assert.equal(existsSync(dest), false);
});

test('writeCommand fails when the dd holding the next block loses part of the stream, though tee and the writer succeed', () => {
  // the buffer (the dd without of=) passes on only the first 1000 bytes, reads the rest and fails; the writer is real
  const path = fakeDd('buffer', `case "$*" in *of=*) exec '${realDd}' "$@";; esac; head -c 1000; cat > /dev/null; exit 2`);
  const dest = join(dir, 'short.db.tmp');
  const w = shWith(path, writeCommand(dest), Buffer.alloc(200_000, 9));
  assert.equal(w.status, 2, "the buffer's own exit code");
  assert.equal(existsSync(dest), false, 'the short file is removed');
});

test('writeCommand fails when the writer dd wrote part of the file and failed after reading the rest, though tee and the buffer succeed', () => {
  // the buffer is the real dd; the writer creates the file with the first 1000 bytes, reads the rest and fails
  const path = fakeDd(
    'late',
    `case "$*" in *of=/dev/null*) exit 0;; *of=*) f=\${*##*of=}; head -c 1000 > "$f"; cat > /dev/null; echo "dd: error writing '$f': Input/output error" >&2; exit 1;; esac; exec '${realDd}' "$@"`,
  );
  const dest = join(dir, 'late.db.tmp');
  const w = shWith(path, writeCommand(dest), Buffer.alloc(200_000, 5));
  assert.equal(w.status, 1, w.stderr.toString());
  assert.match(w.stderr.toString(), /Input\/output error/);
  assert.equal(existsSync(dest), false, 'the partial file is removed');
});

test('writeCommand fails when tee fails in the dd branch (its own code), and removes the temp file', () => {
  // a tee that passes on part of its input to both outputs, then fails
  const bin = join(dir, 'tee-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'tee'), `#!/bin/sh\nshift; head -c 1000 | { t=$(cat); printf %s "$t" > "$1"; printf %s "$t"; }; exit 4\n`, {
    mode: 0o755,
  });
  const dest = join(dir, 'tee-fails.db.tmp');
  const w = shWith(`${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, writeCommand(dest), Buffer.alloc(200_000, 3));
  assert.equal(w.status, 4, w.stderr.toString());
  assert.equal(existsSync(dest), false);
});

test('writeCommand falls back to tee writing the file where dd has no oflag=dsync (BusyBox, say), with the same digest and failure', () => {
  const path = fakeDd('old', `echo "dd: invalid argument 'dsync' to 'oflag'" >&2; exit 1`);
  const data = Buffer.from('a snapshot without GNU dd\n');
  const dest = join(dir, 'old-dd.db.tmp');
  const w = shWith(path, writeCommand(dest), data);
  assert.equal(w.status, 0, w.stderr.toString());
  assert.equal(w.stdout.toString().trim(), createHash('sha256').update(data).digest('hex'));
  assert.deepEqual(readFileSync(dest), data);
  rmSync(dest);
  const bad = shWith(path, writeCommand(join(dir, 'no-such-dir', 'x.tmp')), data);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr.toString(), /tee: .*no-such-dir\/x\.tmp: No such file or directory/);
});

test('putFile: a path with quotes, spaces and a leading dash is written as given, and the digest is returned', async () => {
  const dest = join(dir, `-it's a "file" $(x)`);
  const r = await putFile(runner, 'local', { path: dest, content: Buffer.from('ok\n'), mode: 0o644 });
  assert.equal(r.sha256, createHash('sha256').update('ok\n').digest('hex'));
  assert.equal(readFileSync(dest, 'utf8'), 'ok\n');
  assert.equal(statSync(dest).mode & 0o777, 0o644);
});

test('putFile: a source stream that fails half-way never becomes the file (no partial file, no temp file)', async () => {
  const dest = join(dir, 'cut.db');
  const source = new Readable({ read() {} });
  source.push(Buffer.alloc(64 * 1024, 1));
  setTimeout(() => source.destroy(new Error('object store went away')), 50);
  await assert.rejects(putFile(runner, 'local', { path: dest, content: source }), TransferError);
  assert.equal(existsSync(dest), false);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('cut.db')),
    [],
  );
});

test('putFile: when the host wrote something else than what was sent, nothing is committed', async () => {
  const dest = join(dir, 'mismatch.db');
  // a runner that drops the last byte on the way, like a stream cut short
  const lossy: CommandRunner = (req, sink) =>
    runner({ ...req, stdin: typeof req.stdin === 'string' ? req.stdin.slice(0, -1) : req.stdin }, sink);
  await assert.rejects(
    putFile(lossy, 'local', { path: dest, content: 'complete content' }),
    /the host wrote SHA-256 [0-9a-f]{64}, tsplay sent [0-9a-f]{64}; nothing was written/,
  );
  assert.equal(existsSync(dest), false);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('mismatch.db')),
    [],
  );
});
