import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  assert.match(r.stderr.toString(), /tee: .*missing-dir\/x\.db\.tmp: No such file or directory/);
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
