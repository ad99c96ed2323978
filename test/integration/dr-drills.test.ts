// The disaster-recovery playbooks drilled end to end on the lab: real sshd, a 3-member TLS etcd run as static pods,
// the S3 server, and the tsplay CLI exactly as an operator runs it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { deleteKeys, dumpAll, putKey, revision } from '../lab/etcd-data.js';
import { withLab } from '../lab/with-lab.js';
import { writeDelta } from '../../src/store/delta.js';
import { formatSnapshotName } from '../../src/store/names.js';
import { allMembers, corruptCopyOfLatestBackup, healthy, play, s3, sh, why } from '../support/drill-kit.js';
import { parseWatchOutput } from '../support/watch-events.js';
import { dryRun, etcdDryRuns } from './shapes/dry-run.js';

test('disaster-recovery drills on the lab', { timeout: 900_000 }, async (t) => {
  await withLab(async (lab) => {
    Object.assign(process.env, lab.env);
    const [m1] = lab.members;
    assert.ok(m1);

    await t.test('1. backup, then keys changed and deleted, then restore: every member holds exactly the backup', async () => {
      const atBackup = await dumpAll(m1);
      const backup = await play(lab, 'etcd-backup.yaml');
      assert.equal(backup.code, 0, why(backup));
      await deleteKeys('/registry/pods/');
      await putKey('/registry/configmaps/default/after-backup', 'not in the backup');
      assert.notDeepEqual(await dumpAll(m1), atBackup);

      const restore = await play(lab, 'restore.yaml');
      assert.equal(restore.code, 0, why(restore));
      for (const dump of await allMembers(lab)) assert.deepEqual(dump, atBackup);
      assert.equal(await healthy(lab), 3);
      for (const h of await lab.health()) assert.equal(h.apiserver, 200, `${h.host} kube-apiserver /healthz`);
      for (const host of ['host01', 'host02', 'host03']) {
        assert.equal((await sh(lab, host, 'ls -d /var/lib/etcd.tsplay-*')).code, 0, `${host} kept its old data dir`);
        assert.equal(
          (await sh(lab, host, 'test -e /etc/kubernetes/manifests/etcd.yaml && test -e /etc/kubernetes/manifests/kube-apiserver.yaml'))
            .code,
          0,
          `${host} static pods back`,
        );
      }
    });

    await t.test('1b. --check is a dry run of every playbook drilled here: exit 0, nothing changed, the commands shown', async () => {
      await etcdDryRuns(lab, 'controller-node-3');
      await dryRun(lab, 'openshift-backup.yaml', [], { commands: [/would run: \S*cluster-backup\.sh /] });
    });

    await t.test('2. restore from an etcdbrctl-layout bucket with deltas gives the source cluster exact state', async () => {
      const prefix = 'drill2';
      const backup = await play(lab, 'etcd-backup.yaml', '-e', `store_prefix=${prefix}`);
      assert.equal(backup.code, 0, why(backup));
      const fullRev = await revision(m1);
      for (let i = 0; i < 20; i++) await putKey(`/registry/secrets/kube-system/s-${i}`, Buffer.from([0, 0xff, i, 0x80]));
      await deleteKeys('/registry/services/');
      const mid = await revision(m1);
      await putKey('/registry/pods/default/late', Buffer.from('k8s\0late'));
      const last = await revision(m1);
      const expected = await dumpAll(m1);
      const watched = await lab.execIn('host01', [
        'sh',
        '-c',
        `ETCDCTL_API=3 timeout 3 etcdctl --endpoints=https://${m1.ip}:2379 --cacert=/etc/kubernetes/ssl/etcd/ca.crt --cert=/etc/kubernetes/ssl/apiserver-etcd-client.crt --key=/etc/kubernetes/ssl/apiserver-etcd-client.key watch --prefix '' --rev=${fullRev + 1} -w json; true`,
      ]);
      const events = parseWatchOutput(watched.stdout);
      assert.equal(events.at(-1)?.modRevision, last, 'the watch saw every change');
      const client = s3(lab);
      const delta = async (from: number, to: number, c: 'gzip' | 'none', t0: number) => {
        const name = formatSnapshotName({
          kind: 'Incr',
          startRevision: from,
          lastRevision: to,
          createdAt: Math.floor(Date.now() / 1000) + t0,
          compression: c,
          final: false,
        });
        const body = await writeDelta(
          events.filter((e) => e.modRevision >= from && e.modRevision <= to),
          c,
        );
        await client.send(new PutObjectCommand({ Bucket: 'etcd-backup', Key: `${prefix}/v2/${name}`, Body: body }));
      };
      await delta(fullRev + 1, mid, 'gzip', 1);
      await delta(mid + 1, last, 'none', 2);
      client.destroy();
      await deleteKeys('/registry/');
      // the dry run of a restore with deltas: replayed on the first master, fetched, handed to the others (all planned)
      await dryRun(lab, 'restore.yaml', ['-e', `store_prefix=${prefix}`], {
        commands: [
          /would replay 2 deltas .* onto \S+\/full\.db/,
          /would fetch \S+\/final\.db \(made by an earlier step\)/,
          /would (copy|write) \S+final\.db/,
        ],
      });
      const restore = await play(lab, 'restore.yaml', '-e', `store_prefix=${prefix}`);
      assert.equal(restore.code, 0, why(restore));
      for (const dump of await allMembers(lab)) assert.deepEqual(dump, expected);
      assert.equal(await revision(m1), last);
      assert.equal(await healthy(lab), 3);
    });

    await t.test('3. a destroyed member is replaced one at a time; two failed members are refused', async () => {
      const before = await dumpAll(m1);
      await sh(lab, 'host03', 'mv /etc/kubernetes/manifests/etcd.yaml /root/etcd.yaml.gone && sleep 2 && rm -rf /var/lib/etcd');
      const r = await play(lab, 'replace-member.yaml');
      assert.equal(r.code, 0, why(r));
      assert.equal(await healthy(lab), 3);
      for (const dump of await allMembers(lab)) assert.deepEqual(dump, before);

      await sh(lab, 'host03', 'mv /etc/kubernetes/manifests/etcd.yaml /root/etcd.yaml.gone2');
      await sh(lab, 'host02', 'mv /etc/kubernetes/manifests/etcd.yaml /root/etcd.yaml.gone2');
      const refused = await play(lab, 'replace-member.yaml');
      assert.notEqual(refused.code, 0);
      assert.match(why(refused), /one member at a time|quorum|unhealthy/);
      await sh(lab, 'host03', 'mv /root/etcd.yaml.gone2 /etc/kubernetes/manifests/etcd.yaml');
      await sh(lab, 'host02', 'mv /root/etcd.yaml.gone2 /etc/kubernetes/manifests/etcd.yaml');
      for (let i = 0; i < 60 && (await healthy(lab)) < 3; i++) await new Promise((res) => setTimeout(res, 1000));
      assert.equal(await healthy(lab), 3);
    });

    await t.test('4. openshift-backup puts both files in S3 with checksums that verify', async () => {
      const r = await play(lab, 'openshift-backup.yaml');
      assert.equal(r.code, 0, why(r));
      const client = s3(lab);
      const list = await client.send(new ListObjectsV2Command({ Bucket: 'etcd-backup', Prefix: 'openshift/lab/' }));
      const keys = (list.Contents ?? []).map((o) => o.Key ?? '');
      assert.equal(keys.filter((k) => /\/snapshot_[\d-]+_\d+\.db$/.test(k)).length, 1, keys.join(' '));
      assert.equal(keys.filter((k) => /\/static_kuberesources_[\d-]+_\d+\.tar\.gz$/.test(k)).length, 1, keys.join(' '));
      for (const key of keys) {
        const obj = await client.send(new GetObjectCommand({ Bucket: 'etcd-backup', Key: key }));
        const sha = createHash('sha256')
          .update(Buffer.from(await obj.Body!.transformToByteArray()))
          .digest('hex');
        assert.equal(obj.Metadata?.['sha256'], sha, key);
      }
      client.destroy();
      assert.equal((await sh(lab, 'host01', 'ls -d /var/lib/tsplay/work/openshift-backup-* 2>/dev/null')).code, 2, 'remote clean-up');
    });

    await t.test('5a. object store unreachable or backup missing: no host is touched', async () => {
      const before = await dumpAll(m1);
      const endpoint = process.env['ECS_ENDPOINT'];
      process.env['ECS_ENDPOINT'] = 'http://127.0.0.1:9';
      const down = await play(lab, 'restore.yaml');
      process.env['ECS_ENDPOINT'] = endpoint;
      assert.notEqual(down.code, 0);
      assert.match(why(down), /unreachable/);
      // A named snapshot that is not in the store is invalid input: found at validation (exit 5), before any host.
      const missing = await play(lab, 'restore.yaml', '-e', 'snapshot=Full-00000000-99999999-1700000000');
      assert.equal(missing.code, 5, why(missing));
      const invalid = missing.events.find((e) => e.type === 'validation-failed');
      assert.match(
        invalid?.type === 'validation-failed' ? invalid.problems.map((p) => p.message).join('\n') : '',
        /snapshot "Full-00000000-99999999-1700000000" is not in s3:\/\/etcd-backup\//,
      );
      assert.ok(!missing.events.some((e) => e.type === 'task-start'), 'no task ran');
      for (const r of [down, missing]) {
        assert.ok(!r.events.some((e) => e.type === 'task-start' && /stop (etcd|kube-apiserver)/.test(e.task)), 'nothing was stopped');
      }
      for (const host of ['host01', 'host02', 'host03']) {
        assert.equal(
          (await sh(lab, host, 'test -e /etc/kubernetes/manifests/etcd.yaml && test ! -e /var/lib/tsplay/restore-state')).code,
          0,
          host,
        );
      }
      assert.deepEqual(await dumpAll(m1), before);
    });

    await t.test(
      '5b. a restore that fails after the data dirs were moved (snapshot fails its integrity check) is rolled back automatically',
      async () => {
        const before = await dumpAll(m1);
        const bad = await corruptCopyOfLatestBackup(lab); // the trailing SHA-256 no longer matches: `snapshot restore` refuses it
        const r = await play(lab, 'restore.yaml', '-e', `snapshot_file=${bad}`);
        assert.equal(r.code, 2, why(r));
        assert.ok(
          r.events.some(
            (e) =>
              e.type === 'host-result' &&
              e.task === 'restore the data dir from the snapshot' &&
              e.status === 'failed' &&
              /\.tsplay-\d{8}T\d{6}$/.test(String(e.result?.['moved_aside'])),
          ),
          'the data dirs had been moved (then the restore refused the snapshot)',
        );
        assert.ok(
          r.events.some((e) => e.type === 'host-result' && e.task === 'put the original data dir back' && e.status === 'changed'),
          'the rollback ran',
        );
        for (let i = 0; i < 60 && (await healthy(lab)) < 3; i++) await new Promise((res) => setTimeout(res, 1000));
        assert.equal(await healthy(lab), 3);
        for (const dump of await allMembers(lab)) assert.deepEqual(dump, before);
        for (let i = 0; i < 30 && (await lab.health()).some((h) => h.apiserver !== 200); i++)
          await new Promise((res) => setTimeout(res, 1000));
        for (const h of await lab.health()) assert.equal(h.apiserver, 200, `${h.host} kube-apiserver /healthz`);
      },
    );
  });
});
