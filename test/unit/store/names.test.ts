import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseSnapshots } from '../../../src/store/choose.js';
import { StoreError } from '../../../src/errors/store-error.js';
import {
  cleanPrefix,
  compressionOfKey,
  formatSnapshotName,
  parseSnapshotName,
  snapshotKey,
  snapshotOfKey,
  sortSnapshots,
  v2Folder,
  type SnapshotName,
} from '../../../src/store/names.js';
import { planRetention } from '../../../src/store/retention.js';

const valid: Array<[string, Partial<SnapshotName>]> = [
  [
    'Full-00000000-00111147-1679991074',
    { kind: 'Full', startRevision: 0, lastRevision: 111147, createdAt: 1679991074, compression: 'none', final: false },
  ],
  ['Incr-00111148-00111200-1679991374', { kind: 'Incr', startRevision: 111148, lastRevision: 111200, compression: 'none' }],
  ['Full-00000000-00000010-1700000000.gz', { compression: 'gzip', final: false }],
  ['Incr-00000011-00000020-1700000000.Z', { compression: 'lzw' }],
  ['Incr-00000011-00000020-1700000000.zlib', { compression: 'zlib' }],
  ['Full-00000000-00000010-1700000000.final', { compression: 'none', final: true }],
  ['Full-00000000-00000010-1700000000.gz.final', { compression: 'gzip', final: true }],
  ['Incr-00000005-00000005-1700000000', { startRevision: 5, lastRevision: 5 }],
  ['Full-00000000-123456789-1700000000', { lastRevision: 123456789 }],
];

for (const [name, want] of valid) {
  test(`parses ${name}`, () => {
    const s = parseSnapshotName(name);
    assert.ok(s, name);
    for (const [k, v] of Object.entries(want)) assert.equal(s[k as keyof SnapshotName], v, `${name}: ${k}`);
    assert.equal(formatSnapshotName(s), name, 'formats back to the same name');
  });
}

const invalid = [
  'Full-00000000-00000010-1700000000.sha256', // a sidecar must never parse as a snapshot
  'Full-00000000-00000010-1700000000.json',
  'Full-00000000-00000010-1700000000.final.gz', // final comes after compression
  'Full-00000001-00000010-1700000000', // Full starts at 0
  'Incr-00000020-00000010-1700000000', // start > last
  'Chunk-00000000-00000010-1700000000',
  'full-00000000-00000010-1700000000',
  'Full-00000000-00000010',
  'Full-00000000-00000010-1700000000-x',
  'Full-0-10-1700000000', // %08d
  'Full-00000000-0000001a-1700000000',
  'Full-00000000-00000010-',
  'sha256-Full-00000000-00000010-1700000000',
  '',
];
for (const name of invalid) test(`rejects "${name}"`, () => assert.equal(parseSnapshotName(name), undefined));

test('keys: <prefix>/v2/<name>; empty prefix gives v2/<name>; slashes cleaned', () => {
  assert.equal(snapshotKey('etcd/main', 'Full-00000000-00000010-1700000000'), 'etcd/main/v2/Full-00000000-00000010-1700000000');
  assert.equal(snapshotKey('', 'Full-00000000-00000010-1700000000'), 'v2/Full-00000000-00000010-1700000000');
  assert.equal(snapshotKey(undefined, 'x'), 'v2/x');
  assert.equal(v2Folder('/a//b/'), 'a/b/v2/');
  assert.equal(cleanPrefix('/a//b/'), 'a/b');
});

test('snapshotOfKey: only names directly in the v2 folder; chunks, v1 and other objects are ignored', () => {
  assert.equal(snapshotOfKey('p/v2/Full-00000000-00000010-1700000000', 'p')?.lastRevision, 10);
  assert.deepEqual(
    snapshotOfKey('v2/Full-00000000-00000010-1700000000', ''),
    snapshotOfKey('v2/Full-00000000-00000010-1700000000', undefined),
  );
  assert.ok(snapshotOfKey('v2/Full-00000000-00000010-1700000000', ''));
  assert.equal(snapshotOfKey('p/v2/Full-00000000-00000010-1700000000/chunk-1', 'p'), undefined);
  assert.equal(snapshotOfKey('p/v1/Backup-1700000000/Full-00000000-00000010-1700000000', 'p'), undefined);
  assert.equal(snapshotOfKey('q/v2/Full-00000000-00000010-1700000000', 'p'), undefined);
  assert.equal(snapshotOfKey('p/v2/tsplay.json', 'p'), undefined);
});

test('compressionOfKey reads the suffix before .final', () => {
  assert.deepEqual(['a.gz', 'a.Z', 'a.zlib', 'a', 'a.gz.final', 'a.final', 'a.z'].map(compressionOfKey), [
    'gzip',
    'lzw',
    'zlib',
    'none',
    'gzip',
    'none',
    'none',
  ]);
});

const n = (name: string): SnapshotName => {
  const s = parseSnapshotName(name);
  if (!s) throw new Error(`bad fixture ${name}`);
  return s;
};

test('sorts by last revision, then creation time', () => {
  const names = [
    'Incr-00000011-00000020-1700000300',
    'Full-00000000-00000010-1700000100',
    'Full-00000000-00000020-1700000400',
    'Full-00000000-00000020-1700000350',
    'Incr-00000001-00000005-1700000050',
  ];
  assert.deepEqual(
    sortSnapshots(names.map(n)).map((s) => s.name),
    [
      'Incr-00000001-00000005-1700000050',
      'Full-00000000-00000010-1700000100',
      'Incr-00000011-00000020-1700000300',
      'Full-00000000-00000020-1700000350',
      'Full-00000000-00000020-1700000400',
    ],
  );
});

const store = [
  'Full-00000000-00000100-1700000000',
  'Incr-00000101-00000150-1700000060',
  'Incr-00000151-00000200-1700000120',
  'Full-00000000-00000200-1700000180.gz',
  'Incr-00000201-00000260-1700000240.gz',
  'Incr-00000261-00000300-1700000300.gz',
].map(n);
const where = 's3://etcd-backup/p/v2/';

test('chooses the latest Full and the deltas after it, in order', () => {
  const c = chooseSnapshots([...store].reverse(), { where });
  assert.equal(c.full.name, 'Full-00000000-00000200-1700000180.gz');
  assert.deepEqual(
    c.deltas.map((d) => d.name),
    ['Incr-00000201-00000260-1700000240.gz', 'Incr-00000261-00000300-1700000300.gz'],
  );
  assert.equal(c.latestRevision, 300);
});

test('a named older Full gets its own deltas, up to the next Full', () => {
  const c = chooseSnapshots(store, { where, full: 'Full-00000000-00000100-1700000000' });
  assert.deepEqual(
    c.deltas.map((d) => d.name),
    ['Incr-00000101-00000150-1700000060', 'Incr-00000151-00000200-1700000120'],
  );
  assert.equal(c.latestRevision, 200);
});

test('a Full without later deltas restores alone', () => {
  const c = chooseSnapshots(store.slice(0, 4), { where });
  assert.equal(c.full.lastRevision, 200);
  assert.deepEqual(c.deltas, []);
  assert.equal(c.latestRevision, 200);
});

test('nothing fits: clear errors', () => {
  assert.throws(
    () => chooseSnapshots([], { where }),
    (e: unknown) => e instanceof StoreError && e.message === `no Full snapshot in ${where}`,
  );
  assert.throws(
    () =>
      chooseSnapshots(
        store.filter((s) => s.kind === 'Incr'),
        { where },
      ),
    /no Full snapshot in s3:\/\/etcd-backup\/p\/v2\//,
  );
  assert.throws(
    () => chooseSnapshots(store, { where, full: 'Full-00000000-00000999-1700000000' }),
    /snapshot Full-00000000-00000999-1700000000 not found in s3:\/\/etcd-backup\/p\/v2\/; available Full snapshots: Full-00000000-00000100-1700000000, Full-00000000-00000200-1700000180.gz/,
  );
  assert.throws(
    () => chooseSnapshots(store, { where, full: 'Incr-00000101-00000150-1700000060' }),
    /is a delta \(Incr\), not a Full snapshot/,
  );
});

test('a gap between deltas is reported with the missing revisions', () => {
  const gap = store.filter((s) => s.name !== 'Incr-00000201-00000260-1700000240.gz');
  assert.throws(
    () => chooseSnapshots(gap, { where }),
    /starts at revision 261 but the snapshots before it end at 200: revisions 201\.\.260 are missing/,
  );
});

test('retention keeps the newest N Fulls and what follows; removes older Fulls and their deltas', () => {
  const p = planRetention(store, 1);
  assert.deepEqual(
    p.removed.map((s) => s.name),
    store.slice(0, 3).map((s) => s.name),
  );
  assert.deepEqual(
    p.kept.map((s) => s.name),
    store.slice(3).map((s) => s.name),
  );
  assert.deepEqual(planRetention(store, 2).removed, []);
  assert.deepEqual(planRetention(store, 7).removed, []);
  assert.deepEqual(planRetention([], 1), { kept: [], removed: [] });
  assert.throws(() => planRetention(store, 0), /keep_last must be a whole number of at least 1, got 0/);
});
