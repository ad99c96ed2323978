// A restore naming a snapshot that is not in the store (or a delta, or a bucket that does not exist) is invalid
// input: playbooks/restore.yaml stops at validation with exit 5 and the task's file:line:col, after asking the
// store (a real s3rver on loopback) and without contacting any host (every host is a tripwire that counts
// connections). A name that exists passes, and then the hosts are contacted: the tripwire does count.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT } from '../../src/engine/run.js';
import { tsplay } from '../support/cli.js';
import { tripwire, type Tripwire } from '../support/bad-cases.js';
import { startS3rver, type TestS3 } from '../support/s3rver.js';

const REPO = resolve(import.meta.dirname, '../..');
const RESTORE = join(REPO, 'playbooks/restore.yaml');
const OLD = 'Full-00000000-00000100-1700000000';
const LATEST = 'Full-00000000-00000200-1700003600';
const DELTA = 'Incr-00000201-00000210-1700003700';
let s3: TestS3;
let hosts: Tripwire;
let dir: string;
let inventory: string;
const savedEnv = { ...process.env };

before(async () => {
  s3 = await startS3rver({ buckets: ['etcd-backup'] });
  const client = s3.client();
  for (const name of [OLD, LATEST, DELTA])
    await client.send(new PutObjectCommand({ Bucket: 'etcd-backup', Key: `v2/${name}`, Body: 'not a real snapshot' }));
  client.destroy();
  hosts = await tripwire();
  dir = await mkdtemp(join(tmpdir(), 'tsplay-bad-s3-'));
  inventory = join(dir, 'hosts.ini');
  await writeFile(
    inventory,
    `[masters]\n${[1, 2, 3].map((i) => `master0${i} ansible_host=127.0.0.1 ansible_port=${hosts.port}`).join('\n')}\n`,
  );
  for (const k of Object.keys(process.env)) if (/^(ECS|AWS)_/.test(k)) delete process.env[k];
  Object.assign(process.env, s3.env);
});

after(async () => {
  process.env = savedEnv;
  await hosts?.close();
  await s3?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const restore = (...extra: string[]) =>
  tsplay(['run', RESTORE, '-i', inventory, '--yes', '-T', '2', '--journal', join(dir, `journal-${Date.now()}.jsonl`), ...extra]);

/** `line:col` of an argument of the etcd_backup_find task in restore.yaml (found, so edits elsewhere in the playbook do not matter). */
function argAt(arg: string): string {
  const lines = readFileSync(RESTORE, 'utf8').split('\n');
  const task = lines.findIndex((l) => /^\s+etcd_backup_find:\s*$/.test(l));
  const i = lines.findIndex((l, n) => n > task && new RegExp(`^\\s+${arg}:`).test(l));
  assert.ok(task >= 0 && i > task, `restore.yaml has etcd_backup_find with ${arg}`);
  const line = lines[i] ?? '';
  return `${i + 1}:${line.indexOf(':') + 3}`;
}

/** The find task of restore.yaml, where problems about its arguments are located. */
const where = (arg: string) =>
  `ERROR: <repo>/playbooks/restore.yaml:${argAt(arg)}: task "find the backup in the object store": etcd_backup_find:`;
const FIND = where('snapshot');
const FOOTER = '1 problem found; nothing was run and no host was contacted.\n';

async function invalid(expected: string, ...extra: string[]): Promise<void> {
  const before = hosts.count();
  const r = await restore(...extra);
  assert.equal(r.stderr.replaceAll(REPO, '<repo>'), expected);
  assert.equal(r.code, EXIT.invalid);
  assert.equal(hosts.count(), before, 'no host was contacted');
}

test('a snapshot name that is not in the store: exit 5 at the task, with the nearest name, no host contacted', async () => {
  await invalid(
    `${FIND} snapshot "Full-00000000-00000200-1700003601" is not in s3://etcd-backup/v2/ (did you mean "${LATEST}"?)\n${FOOTER}`,
    '-e',
    'snapshot=Full-00000000-00000200-1700003601',
  );
});

test('a snapshot name nothing resembles: the latest Full snapshots are listed', async () => {
  await invalid(
    `${FIND} snapshot "Full-yesterday" is not in s3://etcd-backup/v2/ (the latest Full snapshots there: ${LATEST}, ${OLD}; tsplay backups list shows all)\n${FOOTER}`,
    '-e',
    'snapshot=Full-yesterday',
  );
});

test('a delta named as the snapshot to restore', async () => {
  await invalid(
    `${FIND} snapshot ${DELTA} is a delta (Incr), not a Full snapshot (name a Full snapshot; tsplay backups list shows them)\n${FOOTER}`,
    '-e',
    `snapshot=${DELTA}`,
  );
});

test('a bucket that does not exist', async () => {
  const expected = `${where('bucket')} bucket "etcd-backups" does not exist at ${s3.endpoint}\n${FOOTER}`;
  await invalid(expected, '-e', `snapshot=${LATEST}`, '-e', 'store_container=etcd-backups');
});

test('control: a snapshot that exists passes validation, and the run then does contact the hosts', async () => {
  const before = hosts.count();
  const r = await restore('-e', `snapshot=${LATEST}`);
  assert.equal(r.code, EXIT.unreachable, r.stderr + r.stdout);
  assert.ok(hosts.count() > before, 'the hosts were contacted');
});

test('control: a store that cannot be reached is not an input problem (the task reports it when it runs)', async () => {
  const closed = await tripwire();
  process.env['ECS_ENDPOINT'] = `http://127.0.0.1:${closed.port}`;
  try {
    const before = hosts.count();
    const r = await restore('-e', 'snapshot=Full-yesterday');
    assert.equal(r.code, EXIT.unreachable, r.stderr + r.stdout);
    assert.ok(hosts.count() > before, 'validation passed and the hosts were contacted');
  } finally {
    process.env['ECS_ENDPOINT'] = s3.env['ECS_ENDPOINT'];
    await closed.close();
  }
});
