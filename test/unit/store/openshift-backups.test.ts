import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backupsFolder, chooseBackup, groupBackups, isDirty } from '../../../src/store/openshift-backups.js';

const folder = backupsFolder('team/', 'prod');
const o = (name: string, size = 10) => ({ key: `${folder}${name}`, size });
const objects = [
  o('2026-01-01T000000Z/snapshot_2026-01-01_000000.db', 1000),
  o('2026-01-01T000000Z/static_kuberesources_2026-01-01_000000.tar.gz'),
  o('2026-01-02T000000Z/snapshot_2026-01-02_000000__POSSIBLY_DIRTY__.db'),
  o('2026-01-02T000000Z/static_kuberesources_2026-01-02_000000__POSSIBLY_DIRTY__.tar.gz'),
  o('2026-01-03T000000Z/snapshot_2026-01-03_000000.db'),
  o('2026-01-04T000000Z/static_kuberesources_2026-01-04_000000.tar.gz'),
  o('2026-01-05T000000Z/snapshot_2026-01-05_000000.db'),
  o('2026-01-05T000000Z/static_kuberesources_2026-01-05_000001.tar.gz'),
  { key: 'team/openshift/other/2026-01-01T000000Z/snapshot_x.db', size: 1 },
  o('stray-object'),
];
const backups = groupBackups(folder, objects);

test('backups are the folders under [prefix/]openshift/<cluster>/, oldest first', () => {
  assert.equal(folder, 'team/openshift/prod/');
  assert.deepEqual(
    backups.map((b) => b.name),
    ['2026-01-01T000000Z', '2026-01-02T000000Z', '2026-01-03T000000Z', '2026-01-04T000000Z', '2026-01-05T000000Z'],
  );
  assert.ok(isDirty(backups[1]!));
  assert.ok(!isDirty(backups[0]!));
});

test('a complete backup is chosen by name (or path); incomplete ones are refused with the missing file named', () => {
  const named = (n: string) => chooseBackup(backups, n, 's3://b/f');
  const ok = named('team/openshift/prod/2026-01-01T000000Z/');
  assert.ok(!('problem' in ok));
  assert.equal(ok.snapshots[0]?.size, 1000);
  assert.ok(!('problem' in named('2026-01-02T000000Z')), 'a forced (possibly dirty) backup is still a backup');
  const noTar = named('2026-01-03T000000Z');
  assert.ok(
    'problem' in noTar && /has no static_kuberesources_\*\.tar\.gz .*static pod resources of this backup are missing/.test(noTar.problem),
  );
  const noDb = named('2026-01-04T000000Z');
  assert.ok('problem' in noDb && /has no snapshot_\*\.db .*etcd snapshot of this backup is missing/.test(noDb.problem));
  const mixed = named('2026-01-05T000000Z');
  assert.ok('problem' in mixed && /not from the same cluster-backup\.sh run/.test(mixed.problem));
  const missing = named('2025-12-31T000000Z');
  assert.ok('problem' in missing && /is not in s3:\/\/b\/f/.test(missing.problem) && /2026-01-05T000000Z/.test(missing.hint ?? ''));
});

test('without a name the latest is taken, and refused when it is incomplete (never silently an older one)', () => {
  const latest = chooseBackup(backups, undefined, 'w');
  assert.ok('problem' in latest && /-e openshift_backup=/.test(latest.hint ?? ''));
  const good = chooseBackup(backups.slice(0, 2), undefined, 'w');
  assert.ok(!('problem' in good) && good.name === '2026-01-02T000000Z');
  const none = chooseBackup([], undefined, 's3://b/f');
  assert.ok('problem' in none && /no OpenShift backup in s3:\/\/b\/f/.test(none.problem));
});
