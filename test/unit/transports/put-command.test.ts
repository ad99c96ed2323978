import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { putCommand } from '../../../src/transports/transfer.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-put-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sh = (script: string, input: Buffer) => spawnSync('sh', ['-c', script], { input });

test('putCommand writes atomically with the mode and prints the SHA-256 of the bytes it wrote', () => {
  const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
  const dest = join(dir, 'snap.db');
  const r = sh(putCommand(dest, `${dest}.tmp`, 0o600), data);
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(r.stdout.toString().trim(), createHash('sha256').update(data).digest('hex'));
  assert.deepEqual(readFileSync(dest), data);
  assert.equal(statSync(dest).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['snap.db'], 'no temp file left');
});

test('putCommand fails with the write error when the temp file cannot be written, and leaves nothing behind', () => {
  const dest = join(dir, 'missing-dir', 'x.db');
  const r = sh(putCommand(dest, `${dest}.tmp`, 0o600), Buffer.from('data'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr.toString(), /tee: .*missing-dir\/x\.db\.tmp: No such file or directory/);
});

test('putCommand: a path with quotes, spaces and a leading dash is written as given', () => {
  const dest = join(dir, `-it's a "file" $(x)`);
  const r = sh(putCommand(dest, `${dest}.tmp`, 0o644), Buffer.from('ok\n'));
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(readFileSync(dest, 'utf8'), 'ok\n');
});
