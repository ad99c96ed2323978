// The object store against a real s3rver (own process, ephemeral loopback port) with the real AWS SDK;
// the host side is the local transport (the SSH transport's put/get are proven by the transport tests).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../../src/tasks/module.js';
import { MODULE_REGISTRY } from '../../src/tasks/registry.js';
import { Store } from '../../src/store/client.js';
import { compressor } from '../../src/store/codecs.js';
import { storeConfig } from '../../src/store/config.js';
import { writeDelta } from '../../src/store/delta.js';
import { StoreError } from '../../src/errors/store-error.js';
import { listSnapshots } from '../../src/store/list.js';
import type { Compression } from '../../src/store/names.js';
import { downloadToHost, sha256OnHost, uploadFromHost } from '../../src/store/transfer.js';
import { resolveConnectionSpec } from '../../src/connection/connection-spec.js';
import { LocalTransport } from '../../src/transports/local.js';
import { statuses, tsplay } from '../support/cli.js';
import { startS3rver, type TestS3 } from '../support/s3rver.js';

const BUCKET = 'etcd-backup';
const MARKER = `MARKER${randomBytes(8).toString('hex')}`;
let s3: TestS3;
let dir: string;
let transport: LocalTransport;
const savedEnv = { ...process.env };

before(async () => {
  s3 = await startS3rver({ buckets: [BUCKET] });
  dir = await mkdtemp(join(tmpdir(), 'tsplay-store-'));
  const { spec } = resolveConnectionSpec('localhost', { ansible_connection: 'local' });
  assert.ok(spec);
  transport = new LocalTransport(spec);
  useEnv(s3.env);
});

after(async () => {
  process.env = savedEnv;
  await transport?.close();
  await s3?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Modules and the CLI read credentials from the controller's environment only. */
function useEnv(env: Record<string, string>): void {
  for (const k of Object.keys(process.env)) if (/^(ECS|AWS)_/.test(k)) delete process.env[k];
  Object.assign(process.env, env);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Runs a module the way the engine does, with live output captured. */
async function run(
  name: string,
  args: Record<string, unknown>,
  opts: { check?: boolean } = {},
): Promise<ModuleResult & { output: string }> {
  let output = '';
  const ctx: ModuleContext = {
    host: 'localhost',
    transport,
    check: opts.check ?? false,
    signal: new AbortController().signal,
    become: undefined,
    timeoutMs: undefined,
    env: undefined,
    dir,
    vars: {},
    render: (s) => s,
    evaluate: () => undefined,
    onOutput: (_s, text) => (output += text),
    confirm: () => Promise.resolve(true),
    verbosity: 0,
  };
  const mod = (MODULE_REGISTRY as Record<string, ModuleDef<unknown>>)[name];
  assert.ok(mod, name);
  return { ...(await mod.run(args, ctx)), output };
}

/** 50 MiB with long runs of NUL bytes between random blocks, written without holding it all. */
async function bigFile(path: string, mib: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let i = 0; i < mib; i++) {
    const block = i % 3 === 0 ? Buffer.alloc(1 << 20) : randomBytes(1 << 20);
    block[7] = 0;
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return hash.digest('hex');
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { io: { out: (s) => (stdout += s), err: (s) => (stderr += s) }, isTTY: false });
  return { code, stdout, stderr };
}

test('s3_upload → backups list → s3_download: 50 MiB with NUL bytes, sha256 equal on both ends', async () => {
  const src = join(dir, 'snapshot.db');
  const want = await bigFile(src, 50);
  const name = 'Full-00000000-00001234-1700000000';
  const up = await run('s3_upload', { src, bucket: BUCKET, prefix: 'dc1', name });
  assert.equal(up.failed, undefined, String(up.msg));
  assert.deepEqual([up.changed, up.key, up.size, up.sha256], [true, `dc1/v2/${name}`, 50 << 20, want]);
  assert.match(up.output, /upload .*snapshot\.db: 50\.0 MiB of 50\.0 MiB \(100%\) {2}[\d.]+ [KMG]iB\/s {2}done\n$/);

  const client = s3.client();
  const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `dc1/v2/${name}` }));
  client.destroy();
  assert.equal(head.Metadata?.['sha256'], want, 'x-amz-meta-sha256 records the content digest');
  assert.equal(head.ContentLength, 50 << 20);

  const again = await run('s3_upload', { src, bucket: BUCKET, prefix: 'dc1', name });
  assert.deepEqual([again.changed, again.failed], [false, undefined], 'same content: nothing uploaded');

  const table = await cli(['backups', 'list', '--bucket', BUCKET, '--prefix', 'dc1']);
  assert.equal(table.code, 0, table.stderr);
  assert.deepEqual(table.stdout.split('\n'), [
    'KIND  REVISIONS  TIME (UTC)            SIZE      COMPRESSION  FINAL  NAME',
    'Full  0–1234     2023-11-14T22:13:20Z  50.0 MiB  none         no     Full-00000000-00001234-1700000000',
    `1 snapshot in s3://etcd-backup/dc1/v2/ at ${s3.endpoint}`,
    '',
  ]);

  const json = await cli(['backups', 'list', '--bucket', BUCKET, '--prefix', 'dc1', '--output', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout) as { location: string; snapshots: Array<Record<string, unknown>> };
  assert.equal(parsed.location, 's3://etcd-backup/dc1/v2/');
  assert.deepEqual(parsed.snapshots, [
    {
      name,
      key: `dc1/v2/${name}`,
      size: 50 << 20,
      kind: 'Full',
      start_revision: 0,
      last_revision: 1234,
      created_at: '2023-11-14T22:13:20.000Z',
      compression: 'none',
      final: false,
    },
  ]);

  const dest = join(dir, 'restored.db');
  const down = await run('s3_download', { bucket: BUCKET, key: `dc1/v2/${name}`, dest });
  assert.equal(down.failed, undefined, String(down.msg));
  assert.deepEqual([down.changed, down.size, down.sha256], [true, 50 << 20, want]);
  assert.equal(sha(await readFile(dest)), want);
  assert.equal((await stat(dest)).mode & 0o777, 0o600);
  assert.match(down.output, /download .*: 50\.0 MiB .* done\n$/);
});

test('s3_download never replaces an existing dest unless force; the same content is ok', async () => {
  const src = join(dir, 'small.bin');
  await writeFile(src, Buffer.from([0, 1, 2, 255, 0]));
  await run('s3_upload', { src, bucket: BUCKET, key: 'misc/small.bin' });
  const dest = join(dir, 'other.bin');
  await writeFile(dest, 'keep me');
  const refused = await run('s3_download', { bucket: BUCKET, key: 'misc/small.bin', dest });
  assert.deepEqual(
    [refused.failed, refused.msg],
    [true, `${dest} already exists on localhost; not replaced (set force: true to replace it)`],
  );
  assert.equal(await readFile(dest, 'utf8'), 'keep me');
  const forced = await run('s3_download', { bucket: BUCKET, key: 'misc/small.bin', dest, force: true, mode: '0640' });
  assert.equal(forced.changed, true, String(forced.msg));
  assert.deepEqual(await readFile(dest), Buffer.from([0, 1, 2, 255, 0]));
  assert.equal((await stat(dest)).mode & 0o777, 0o640);
  const same = await run('s3_download', { bucket: BUCKET, key: 'misc/small.bin', dest });
  assert.deepEqual([same.changed, same.failed], [false, undefined]);
});

test('check mode: says what it would do, transfers nothing, still checks the object exists', async () => {
  const src = join(dir, 'check.bin');
  await writeFile(src, 'data');
  const up = await run('s3_upload', { src, bucket: BUCKET, key: 'misc/check.bin' }, { check: true });
  assert.deepEqual([up.changed, up.msg], [true, `check mode: would upload ${src} (4 B) from localhost to s3://etcd-backup/misc/check.bin`]);
  const client = s3.client();
  await assert.rejects(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'misc/check.bin' })));
  client.destroy();
  const dest = join(dir, 'check-dest.bin');
  const down = await run('s3_download', { bucket: BUCKET, key: 'misc/small.bin', dest }, { check: true });
  assert.match(String(down.msg), /^check mode: would download s3:\/\/etcd-backup\/misc\/small\.bin \(5 B\) to /);
  await assert.rejects(stat(dest));
  const missing = await run('s3_download', { bucket: BUCKET, key: 'misc/nope', dest }, { check: true });
  assert.deepEqual([missing.failed, missing.msg], [true, `object s3://etcd-backup/misc/nope does not exist at ${s3.endpoint}`]);
});

for (const c of ['gzip', 'zlib', 'lzw'] as Compression[]) {
  test(`a ${c} object written by another tool (no metadata) is decompressed by its suffix`, async () => {
    const content = Buffer.concat([randomBytes(300_000), Buffer.alloc(200_000)]);
    const suffix = { gzip: '.gz', zlib: '.zlib', lzw: '.Z', none: '' }[c];
    const key = `other/v2/Full-00000000-00000042-1700000000${suffix}`;
    const packed = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const z = compressor(c)
        .on('data', (b: Buffer) => chunks.push(b))
        .once('end', () => resolve(Buffer.concat(chunks)))
        .once('error', reject);
      z.end(content);
    });
    const client = s3.client();
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: packed }));
    client.destroy();
    const dest = join(dir, `decompressed-${c}.db`);
    const r = await run('s3_download', { bucket: BUCKET, key, dest });
    assert.equal(r.failed, undefined, String(r.msg));
    assert.deepEqual([r.size, r.sha256, r.object_size, r.compression], [content.length, sha(content), packed.length, c]);
    assert.equal(sha(await readFile(dest)), sha(content));
    const raw = await run('s3_download', { bucket: BUCKET, key, dest: join(dir, `raw-${c}`), decompress: false });
    assert.equal(sha(await readFile(join(dir, `raw-${c}`))), sha(packed), String(raw.msg));
  });
}

test('s3_upload with compress: gzip adds .gz to a snapshot name; the download restores the original', async () => {
  const src = join(dir, 'gz-src.db');
  const content = Buffer.concat([Buffer.alloc(100_000), randomBytes(50_000)]);
  await writeFile(src, content);
  const up = await run('s3_upload', { src, bucket: BUCKET, prefix: 'gz', name: 'Full-00000000-00000007-1700000000', compress: 'gzip' });
  assert.deepEqual([up.key, up.sha256, up.compression], ['gz/v2/Full-00000000-00000007-1700000000.gz', sha(content), 'gzip']);
  const bad = await run('s3_upload', { src, bucket: BUCKET, key: 'gz/v2/Full-00000000-00000007-1700000000', compress: 'gzip' });
  assert.match(String(bad.msg), /says uncompressed but compress is gzip/);
  const dest = join(dir, 'gz-dest.db');
  const down = await run('s3_download', { bucket: BUCKET, key: String(up.key), dest });
  assert.equal(down.sha256, sha(content), String(down.msg));
});

test('an upload whose content does not match the host sha256 never becomes an object', async () => {
  const store = new Store(storeConfig(s3.env));
  const src = join(dir, 'changing.bin');
  await writeFile(src, randomBytes(100_000));
  await assert.rejects(
    uploadFromHost({ store, transport, bucket: BUCKET, key: 'misc/changing.bin', src, sha256: '0'.repeat(64), compression: 'none' }),
    (e: unknown) => e instanceof StoreError && e.code === 'integrity' && /SHA-256 mismatch/.test(e.message),
  );
  const client = s3.client();
  await assert.rejects(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'misc/changing.bin' })), /NoSuchKey|not exist/i);
  client.destroy();
  store.destroy();
});

test('wrong credentials: a StoreError that names the variables and never shows the secret', async () => {
  const env = { ...s3.env, ECS_ACCESS_KEY_ID: 'WRONGKEYID', ECS_SECRET_ACCESS_KEY: MARKER };
  const store = new Store(storeConfig(env));
  const err = await listSnapshots(store, BUCKET, '').then(
    () => undefined,
    (e: unknown) => e,
  );
  store.destroy();
  assert.ok(err instanceof StoreError, String(err));
  assert.equal(err.code, 'access-denied');
  assert.equal(
    err.message,
    `access denied by the object store at ${s3.endpoint} to s3://${BUCKET}/: check ECS_ACCESS_KEY_ID/ECS_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)`,
  );
  for (const text of [
    err.message,
    String(err),
    err.stack ?? '',
    JSON.stringify(err),
    JSON.stringify(Object.getOwnPropertyNames(err).map((k) => (err as unknown as Record<string, unknown>)[k])),
  ]) {
    assert.ok(!text.includes(MARKER), `secret leaked: ${text}`);
  }
  useEnv(env);
  try {
    const r = await run('etcd_backup_find', { bucket: BUCKET });
    assert.deepEqual([r.failed, r.error], [true, 'access-denied']);
    assert.ok(!JSON.stringify(r).includes(MARKER));
    const c = await cli(['backups', 'list']);
    assert.equal(c.code, 5);
    assert.equal(c.stderr, `tsplay backups: ${err.message}\n`);
    assert.ok(!(c.stdout + c.stderr).includes(MARKER));
  } finally {
    useEnv(s3.env);
  }
});

test('missing bucket and unreachable endpoint: clear messages (CLI exit 5)', async () => {
  const c = await cli(['backups', 'list', '--bucket', 'no-such-bucket']);
  assert.deepEqual([c.code, c.stderr], [5, `tsplay backups: bucket "no-such-bucket" does not exist at ${s3.endpoint}\n`]);
  const r = await run('etcd_backup_find', { bucket: 'no-such-bucket' });
  assert.equal(r.msg, `bucket "no-such-bucket" does not exist at ${s3.endpoint}`);
  const down = await run('etcd_backup_find', { bucket: BUCKET, endpoint: 'http://127.0.0.1:1' });
  assert.match(String(down.msg), /^object store http:\/\/127\.0\.0\.1:1 is unreachable \(ECONNREFUSED\)$/);
});

test('etcd_backup_find and etcd_backup_prune on an etcdbrctl layout (deltas, unknown objects ignored)', async () => {
  const client = s3.client();
  const names = [
    'Full-00000000-00000100-1700000000',
    'Incr-00000101-00000150-1700000060',
    'Full-00000000-00000200-1700000180.gz',
    'Incr-00000201-00000260-1700000240.gz',
    'Incr-00000261-00000300-1700000300',
  ];
  const delta = await writeDelta(
    [{ type: 'put', key: Buffer.from('/k'), value: Buffer.from([0]), modRevision: 201, createRevision: 201, version: 1, lease: '0' }],
    'none',
  );
  for (const n of names)
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `ret/v2/${n}`, Body: n.startsWith('Incr') ? delta : Buffer.from(n) }));
  for (const other of [
    'ret/v2/Full-00000000-00000999-1700009999.sha256',
    'ret/v2/notes.txt',
    'ret/v2/Full-00000000-00000500-1700000500/chunk-1',
    'ret/tsplay/status.json',
  ]) {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: other, Body: 'x' }));
  }
  const found = await run('etcd_backup_find', { bucket: BUCKET, prefix: 'ret', snapshot: '' });
  assert.equal(found.failed, undefined, String(found.msg));
  assert.deepEqual((found.full as { name: string }).name, 'Full-00000000-00000200-1700000180.gz');
  assert.deepEqual(
    (found.deltas as Array<{ key: string }>).map((d) => d.key),
    ['ret/v2/Incr-00000201-00000260-1700000240.gz', 'ret/v2/Incr-00000261-00000300-1700000300'],
  );
  assert.equal(found.latest_revision, 300);
  const older = await run('etcd_backup_find', { bucket: BUCKET, prefix: 'ret', snapshot: 'Full-00000000-00000100-1700000000' });
  assert.deepEqual([older.latest_revision, (older.deltas as unknown[]).length], [150, 1]);
  const none = await run('etcd_backup_find', { bucket: BUCKET, prefix: 'empty' });
  assert.deepEqual([none.failed, none.msg], [true, 'no Full snapshot in s3://etcd-backup/empty/v2/']);
  const notFound = await run('etcd_backup_find', { bucket: BUCKET, prefix: 'ret', snapshot: 'Full-00000000-00000001-1' });
  assert.match(
    String(notFound.msg),
    /^snapshot Full-00000000-00000001-1 not found in s3:\/\/etcd-backup\/ret\/v2\/; available Full snapshots: Full-00000000-00000100-1700000000, Full-00000000-00000200-1700000180\.gz$/,
  );

  const preview = await run('etcd_backup_prune', { bucket: BUCKET, prefix: 'ret', keep_last: '1' }, { check: true });
  assert.deepEqual([preview.changed, preview.removed], [true, names.slice(0, 2)]);
  assert.equal((await listSnapshots(new Store(storeConfig(s3.env)), BUCKET, 'ret')).length, 5, 'check mode removed nothing');
  const pruned = await run('etcd_backup_prune', { bucket: BUCKET, prefix: 'ret', keep_last: 1 });
  assert.deepEqual([pruned.changed, pruned.removed, pruned.kept], [true, names.slice(0, 2), names.slice(2)]);
  const store = new Store(storeConfig(s3.env));
  assert.deepEqual(
    (await listSnapshots(store, BUCKET, 'ret')).map((s) => s.name),
    names.slice(2),
  );
  store.destroy();
  await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'ret/v2/notes.txt' })); // unknown objects untouched
  client.destroy();
  const bad = await run('etcd_backup_prune', { bucket: BUCKET, prefix: 'ret', keep_last: 0 });
  assert.match(String(bad.msg), /keep_last must be a whole number of at least 1, got 0/);
});

test('a playbook through the engine: templated args, register, check mode, secret never in the output', async () => {
  const src = join(dir, 'e2e.db');
  const content = Buffer.concat([randomBytes(10_000), Buffer.alloc(5000)]);
  await writeFile(src, content);
  const playbook = join(dir, 'e2e.yaml');
  await writeFile(
    playbook,
    `- hosts: all
  tasks:
    - name: upload
      s3_upload: { src: "{{src}}", bucket: etcd-backup, prefix: e2e, name: Full-00000000-00000005-1700000000, compress: "{{#if gz}}gzip{{else}}none{{/if}}" }
      register: up
    - name: find
      etcd_backup_find: { bucket: etcd-backup, prefix: e2e }
      register: backup
    - name: download
      s3_download: { bucket: etcd-backup, key: "{{backup.full.key}}", dest: "{{dest}}", force: true }
    - name: prune
      etcd_backup_prune: { bucket: etcd-backup, prefix: e2e, keep_last: "{{keep}}" }
`,
  );
  const dest = join(dir, 'e2e-back.db');
  const argv = (check: boolean) => [
    'run',
    playbook,
    '-i',
    'localhost,',
    '-e',
    `ansible_connection=local src=${src} dest=${dest} gz=true keep=1`,
    '--no-lock',
    '--journal',
    join(dir, `e2e-${String(check)}.jsonl`),
    '-o',
    'json',
    ...(check ? ['--check'] : []),
  ];
  const preview = await tsplay(argv(true));
  assert.deepEqual(statuses(preview), { 'upload/localhost': 'changed', 'find/localhost': 'failed' }, preview.stdout);
  const r = await tsplay(argv(false));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(statuses(r), {
    'upload/localhost': 'changed',
    'find/localhost': 'ok',
    'download/localhost': 'changed',
    'prune/localhost': 'ok',
  });
  assert.equal(sha(await readFile(dest)), sha(content));
  const find = r.events.find((e) => e.type === 'host-result' && e.task === 'find');
  assert.equal(
    find?.type === 'host-result' ? (find.result['full'] as { key: string }).key : '',
    'e2e/v2/Full-00000000-00000005-1700000000.gz',
  );
  assert.ok(!(r.stdout + r.stderr + preview.stdout + preview.stderr).includes(s3.secretAccessKey));
});

test('aborting a transfer stops it and leaves no object or file behind', async () => {
  const store = new Store(storeConfig(s3.env));
  const src = join(dir, 'snapshot.db'); // the 50 MiB file of the first test
  const ac = new AbortController();
  const sha256 = await sha256OnHost({ transport }, src);
  setTimeout(() => ac.abort(new Error('stop')), 150); // gzip of 50 MiB takes well over a second
  const upErr = await uploadFromHost({
    store,
    transport,
    bucket: BUCKET,
    key: 'misc/aborted',
    src,
    sha256,
    compression: 'gzip',
    signal: ac.signal,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(upErr instanceof StoreError && upErr.code === 'aborted', String(upErr));
  assert.equal(upErr.message, 'upload of s3://etcd-backup/misc/aborted was stopped: stop');
  const client = s3.client();
  await assert.rejects(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'misc/aborted' })));
  client.destroy();
  const ac2 = new AbortController();
  setTimeout(() => ac2.abort(new Error('stop')), 20);
  const dest = join(dir, 'aborted-download.db');
  const downErr = await downloadToHost({
    store,
    transport,
    bucket: BUCKET,
    key: 'dc1/v2/Full-00000000-00001234-1700000000',
    dest,
    mode: 0o600,
    compression: 'none',
    signal: ac2.signal,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(downErr instanceof StoreError && downErr.code === 'aborted', String(downErr));
  await assert.rejects(stat(dest));
  store.destroy();
});

test('a download the host cannot write fails at once with the host error, not waiting for a reader (a missing directory)', async () => {
  const store = new Store(storeConfig(s3.env));
  const dest = join(dir, 'no-such-dir', 'full.db');
  const started = Date.now();
  const settled = downloadToHost({
    store,
    transport,
    bucket: BUCKET,
    key: 'dc1/v2/Full-00000000-00001234-1700000000', // the 50 MiB object of the first test: far more than any pipe holds
    dest,
    mode: 0o600,
    compression: 'none',
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const err = await Promise.race([settled, new Promise((r) => setTimeout(() => r('still waiting after 30 s'), 30_000).unref())]);
  assert.ok(err instanceof Error, String(err));
  assert.match(err.message, /no-such-dir\/full\.db.*No such file or directory/s);
  assert.ok(Date.now() - started < 30_000);
  await assert.rejects(stat(join(dir, 'no-such-dir')));
  store.destroy();
});
