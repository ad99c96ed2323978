// s3_upload's and s3_download's pure plans: what they report, fail on, plan for check mode and do through their one
// controller step (the store itself is exercised by test/integration/store.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planUpload, type UploadFacts } from '../../../src/tasks/s3-upload.js';
import { planDownload, type DownloadFacts } from '../../../src/tasks/s3-download.js';
import type { PlanEnv } from '../../../src/tasks/plan.js';

const env = (check: boolean, planned?: boolean): PlanEnv => ({ check, diff: false, host: 'h1', dir: '/', planned: () => planned });
const SHA = 'a'.repeat(64);
const args = { src: '/var/lib/etcd-backup/snap.db', bucket: 'etcd', key: 'dc1/v2/Full-00000000-00041257-1796598120.gz' };

function upload(over: Partial<UploadFacts> = {}): UploadFacts & { uploads: number } {
  const f = {
    uploads: 0,
    key: args.key,
    compression: 'gzip' as const,
    info: { exists: true, isreg: true, path: args.src, size: 5525504, checksum: SHA },
    same: async () => false,
    upload: async () => {
      f.uploads++;
      return { size: 1843200, sha256: SHA };
    },
    ...over,
  };
  return f;
}

test('planUpload: one controller step uploads; a whole result comes back; the object is planned for check mode', async () => {
  const f = upload();
  const p = planUpload(args, f, env(false));
  assert.deepEqual(p.objects, [{ bucket: 'etcd', key: args.key }]);
  assert.match(
    String(p.check?.msg),
    /^check mode: would upload \/var\/lib\/etcd-backup\/snap\.db \(5\.3 MiB\) from h1 to s3:\/\/etcd\/dc1\/v2\/Full-.*\.gz gzip-compressed$/,
  );
  const r = await p.steps[0]?.act?.(new AbortController().signal);
  assert.deepEqual(Object.keys(r ?? {}), ['changed', 'bucket', 'key', 'size', 'sha256', 'compression', 'msg']);
  assert.equal(r?.changed, true);
  assert.equal(f.uploads, 1);
});

test('planUpload: an object that already holds the file is ok and nothing is sent', async () => {
  const f = upload({ same: async () => true });
  const r = await planUpload(args, f, env(false)).steps[0]?.act?.(new AbortController().signal);
  assert.equal(r?.changed, false);
  assert.match(String(r?.msg), /already holds this file \(sha256 a{64}\)$/);
  assert.equal(f.uploads, 0);
});

test('planUpload: a missing file fails a run, and in check mode is one an earlier step makes (planned, not failed)', () => {
  const missing = upload({ info: { exists: false, path: args.src } });
  assert.equal(planUpload(args, missing, env(false)).result.msg, '/var/lib/etcd-backup/snap.db does not exist on h1');
  const p = planUpload(args, missing, env(true, true));
  assert.equal(p.steps.length, 0);
  assert.match(String(p.check?.msg), /^check mode: would upload \/var\/lib\/etcd-backup\/snap\.db \(made by an earlier step\) from h1/);
  assert.deepEqual(p.objects, [{ bucket: 'etcd', key: args.key }]);
});

function download(over: Partial<DownloadFacts> = {}): DownloadFacts {
  return {
    compression: 'gzip',
    objectSize: 1843200,
    objectSha: SHA,
    existing: { exists: false, path: '/var/lib/etcd-backup/snap.db' },
    download: async () => ({ size: 5525504, sha256: SHA, objectSize: 1843200 }),
    ...over,
  };
}
const dargs = { bucket: 'etcd', key: args.key, dest: '/var/lib/etcd-backup/snap.db' };

test('planDownload: the transfer is one step; dest is planned as made; check mode says what and how big', async () => {
  const p = planDownload(dargs, download(), env(false));
  assert.deepEqual(p.paths, { [dargs.dest]: true });
  assert.equal(p.check?.object_size, 1843200);
  const r = await p.steps[0]?.act?.(new AbortController().signal);
  assert.deepEqual(Object.keys(r ?? {}), ['changed', 'dest', 'size', 'sha256', 'object_size', 'compression', 'msg']);
});

test('planDownload: a dest with the same content is ok; another is refused without force; no step either way', () => {
  const same = planDownload(dargs, download({ existing: { exists: true, isreg: true, path: dargs.dest, checksum: SHA } }), env(true));
  assert.equal(same.steps.length, 0);
  assert.equal(same.check, undefined, 'check mode reports the ok result, not a plan');
  assert.equal(same.result.changed, false);
  const other = planDownload(
    dargs,
    download({ existing: { exists: true, isreg: true, path: dargs.dest, checksum: 'b'.repeat(64) } }),
    env(false),
  );
  assert.equal(other.result.failed, true);
  assert.match(String(other.result.msg), /already exists on h1; not replaced \(set force: true to replace it\)$/);
});
