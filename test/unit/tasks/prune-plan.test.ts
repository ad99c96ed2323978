// etcd_backup_prune's pure plan: what it keeps and deletes, its check-mode report, and a Full an earlier planned step
// of a check-mode run would upload counting as the newest (the store itself is exercised by test/integration/store.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planPrune, type PruneFacts } from '../../../src/tasks/etcd-backup-prune.js';
import type { PlanEnv } from '../../../src/tasks/plan.js';
import type { SnapshotEntry } from '../../../src/store/list.js';
import { parseSnapshotName } from '../../../src/store/names.js';

function entry(name: string): SnapshotEntry {
  const s = parseSnapshotName(name);
  assert.ok(s, name);
  return { ...s, key: `backups/v2/${name}`, size: 1024 };
}

const listed = [
  'Full-00000000-00001000-1796590000',
  'Incr-00001001-00001200-1796590600',
  'Full-00000000-00002000-1796594000',
  'Incr-00002001-00002300-1796594600.gz',
].map(entry);

const env = (check: boolean): PlanEnv => ({ check, diff: false, host: 'localhost', dir: '/' });

function facts(plannedObjects: string[] = []): PruneFacts & { deleted: string[][] } {
  const deleted: string[][] = [];
  return { listed, plannedObjects, now: new Date(1796600000_000), deleted, remove: async (e) => void deleted.push(e.map((x) => x.name)) };
}

test('planPrune: the older Full and its delta go, one step deletes them; the result is as the module always reported it', () => {
  const p = planPrune({ bucket: 'etcd', prefix: 'backups', keep_last: 1 }, 1, facts(), env(false));
  assert.deepEqual(p.result, {
    changed: true,
    kept: ['Full-00000000-00002000-1796594000', 'Incr-00002001-00002300-1796594600.gz'],
    removed: ['Full-00000000-00001000-1796590000', 'Incr-00001001-00001200-1796590600'],
    msg: 'removed 2 snapshots older than the newest 1 Full in s3://etcd/backups/v2/',
  });
  assert.equal(p.steps.length, 1);
  assert.match(
    String(p.check?.msg),
    /^check mode: would remove 2 snapshots older than the newest 1 Full in s3:\/\/etcd\/backups\/v2\/: Full-00000000-00001000/,
  );
  assert.equal(p.check?.changed, true);
});

test('planPrune: nothing to delete is no step, and check mode still says so unchanged', () => {
  const p = planPrune({ bucket: 'etcd', prefix: 'backups', keep_last: 2 }, 2, facts(), env(true));
  assert.equal(p.steps.length, 0);
  assert.equal(p.result.changed, false);
  assert.equal(p.check?.changed, false);
  assert.match(String(p.check?.msg), /^check mode: would remove 0 snapshots older than the newest 2 Full/);
});

test('planPrune in check mode: a Full an earlier planned step uploads is the newest, so keep_last 1 drops both listed Fulls', () => {
  const planned = ['backups/v2/Full-00000000-00002400-1796599000', 'backups/v2/Incr-00002001-00002300-1796594600', 'other/v2/Full-x'];
  const p = planPrune({ bucket: 'etcd', prefix: 'backups', keep_last: 1 }, 1, facts(planned), env(true));
  assert.ok(p.check);
  assert.deepEqual(p.check['kept'], ['Full-00000000-00002400-1796599000']);
  assert.equal((p.check['removed'] as string[]).length, 4);
  // a real run does not count objects it only planned
  const real = planPrune({ bucket: 'etcd', prefix: 'backups', keep_last: 1 }, 1, facts(planned), env(false));
  assert.equal((real.result.removed as string[]).length, 2);
});

test('planPrune: the delete step removes exactly the planned snapshots', async () => {
  const f = facts();
  const p = planPrune({ bucket: 'etcd', prefix: 'backups', keep_last: 1 }, 1, f, env(false));
  const step = p.steps[0];
  assert.ok(step?.act);
  await step.act(new AbortController().signal);
  assert.deepEqual(f.deleted, [['Full-00000000-00001000-1796590000', 'Incr-00001001-00001200-1796590600']]);
});
