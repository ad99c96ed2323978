// etcd 3.5/3.6 are reasoned, not drilled (only 3.4 installs here): the tool choice lives in offline-tool.ts and is
// checked against output recorded from etcd's own documentation and releases (etcdutl/README.md of etcd 3.5).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseToolVersions } from '../../../src/etcd/etcdctl-command.js';
import { parseSnapshotStatus } from '../../../src/etcd/etcdctl-json.js';
import { offlineCommand, parseOfflineTool } from '../../../src/etcd/offline-tool.js';
import { parseRestoreOutput, parseRestoreProbe, planRestore } from '../../../src/etcd/snapshot-plan.js';

// `etcdctl version` / `etcdutl version` as 3.4 and 3.5 print them
const v34 = 'etcdctl version: 3.4.23\nAPI version: 3.4\n';
const v35 = 'etcdctl version: 3.5.6\nAPI version: 3.5\netcdutl version: 3.5.6\nAPI version: 3.5\n';
// `etcdutl --write-out=json snapshot status file.db` (3.5; 3.6 adds a "version" key)
const status35 = '{"hash":3474280699,"revision":3,"totalKey":3,"totalSize":24576}\n';
const status36 = '{"hash":3474280699,"revision":3,"totalKey":3,"totalSize":24576,"version":"3.6.0"}\n';

test('3.4 hosts (etcdctl only) use etcdctl with the v3 API; 3.5+ hosts with etcdutl use etcdutl', () => {
  assert.equal(parseToolVersions(v34).offline, 'etcdctl');
  assert.deepEqual(parseToolVersions(v35), { etcdctl: '3.5.6', etcdutl: '3.5.6', offline: 'etcdutl' });
  assert.equal(parseOfflineTool('exists=1\ntool=etcdutl\nbump=1\n'), 'etcdutl');
  assert.equal(parseOfflineTool('exists=1\ntool=etcdctl\n'), 'etcdctl');
});

test('the same argv, quoted, for either tool; undecided: chosen on the host', () => {
  const argv = ['snapshot', 'status', '/var/lib/tsplay/work/full db.db', '-w', 'json'];
  assert.equal(offlineCommand(argv, 'etcdutl'), "etcdutl snapshot status '/var/lib/tsplay/work/full db.db' -w json");
  assert.equal(offlineCommand(argv, 'etcdctl'), "ETCDCTL_API=3 etcdctl snapshot status '/var/lib/tsplay/work/full db.db' -w json");
  assert.match(offlineCommand(argv), /^if command -v etcdutl >\/dev\/null 2>&1; then etcdutl .*; else ETCDCTL_API=3 etcdctl .*; fi$/);
});

test("snapshot status JSON of etcdutl 3.5 and 3.6 parses like etcdctl 3.4's", () => {
  assert.deepEqual(parseSnapshotStatus(status35), { hash: 3474280699, revision: 3, total_keys: 3, total_size: 24576 });
  assert.deepEqual(parseSnapshotStatus(status36), { hash: 3474280699, revision: 3, total_keys: 3, total_size: 24576 });
});

test('a restore on a 3.5 host runs etcdutl, with --bump-revision when it has it; a 3.4 host etcdctl without it', () => {
  assert.equal(parseRestoreProbe('exists=0\ntool=etcdutl\nbump=1\n').bumpSupported, true);
  const plan = planRestore(
    {
      path: '/s.db',
      data_dir: '/var/lib/etcd',
      name: 'm1',
      initial_cluster: 'm1=https://127.0.9.1:2380',
      initial_cluster_token: 't',
      initial_advertise_peer_urls: 'https://127.0.9.1:2380',
      bump_revision: 1000,
      mark_compacted: true,
    },
    new Date(0),
  );
  assert.ok(plan.bumpAsked);
  assert.match(
    plan.command,
    /then echo bump=1 && if command -v etcdutl >\/dev\/null 2>&1; then etcdutl snapshot restore \/s\.db .* --bump-revision 1000 --mark-compacted; else ETCDCTL_API=3 etcdctl snapshot restore \/s\.db .* --bump-revision 1000 --mark-compacted; fi; else echo bump=0 && /,
  );
  assert.match(plan.command, / && chmod 700 -- \/var\/lib\/etcd$/);
  // what a 3.4 host prints: etcdctl's status, no --bump-revision in its --help
  assert.deepEqual(parseRestoreOutput(`${status35}tool=etcdctl\nphase=restore\nbump=0\n`), {
    status: { hash: 3474280699, revision: 3, total_keys: 3, total_size: 24576 },
    tool: 'etcdctl',
    movedAside: null,
    restoring: true,
    unchanged: false,
    bump: false,
  });
});
