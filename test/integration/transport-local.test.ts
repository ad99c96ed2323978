import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { resolveConnectionSpec } from '../../src/connection/connection-spec.js';
import { createTransport } from '../../src/transports/index.js';
import { LocalTransport } from '../../src/transports/local.js';
import { TransferError } from '../../src/errors/transfer-error.js';
import type { Transport } from '../../src/transports/transport.js';

let dir: string;
let t: Transport;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsplay-local-'));
  const { spec } = resolveConnectionSpec('localhost', { ansible_connection: 'local' });
  assert.ok(spec);
  t = createTransport(spec);
  assert.ok(t instanceof LocalTransport);
  await t.connect();
});

after(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const running = (pattern: string): string =>
  spawnSync('sh', ['-c', `pgrep -af -- '${pattern}' | grep -v pgrep || true`], { encoding: 'utf8' }).stdout;

test('exec: output, exit code, env, cwd and stdin like the SSH transport', async () => {
  const r = await t.exec({ command: 'pwd; echo "$X"; cat; echo e >&2; exit 5', cwd: dir, env: { X: 'y z' }, stdin: 'in' });
  assert.deepEqual([r.stdout, r.stderr, r.code, r.timedOut], [`${dir}\ny z\nin`, 'e\n', 5, false]);
});

test('timeout kills the whole local process tree', async () => {
  const r = await t.exec({ command: 'sleep 100.52 & sleep 100.52; echo never', timeoutMs: 400 });
  assert.deepEqual([r.timedOut, r.code, r.stdout], [true, null, '']);
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(running('sleep 100.52'), '');
});

test('become to another user through sudo (root needs no password)', async () => {
  const r = await t.exec({ command: 'id -un', become: { user: 'nobody' } });
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'nobody\n', '']);
});

test('put streams atomically with mode; get is binary-safe; missing file rejects', async () => {
  const data = randomBytes(3 * 1024 * 1024);
  data.fill(0, 0, 4096);
  const p = join(dir, 'blob.bin');
  await t.put({ path: p, content: Readable.from([data.subarray(0, 1000), data.subarray(1000)]), mode: 0o640 });
  assert.equal(sha(await readFile(p)), sha(data));
  assert.equal((await stat(p)).mode & 0o777, 0o640);
  const parts: Buffer[] = [];
  for await (const c of await t.get({ path: p })) parts.push(c as Buffer);
  assert.equal(sha(Buffer.concat(parts)), sha(data));
  await assert.rejects(t.get({ path: join(dir, 'nope') }), (e) => e instanceof TransferError && /No such file/.test(e.message));
  await assert.rejects(t.put({ path: join(dir, 'no-dir', 'f'), content: 'x' }), TransferError);
});

test('output over 32 MiB keeps the tail and says so', async () => {
  const r = await t.exec({ command: 'head -c 34000000 /dev/zero | tr "\\0" a; echo END' });
  assert.equal(r.code, 0);
  assert.equal(r.stdoutTruncated, true);
  assert.equal(r.stdout.length, 32 * 1024 * 1024);
  assert.ok(r.stdout.endsWith('aaaEND\n'));
});
