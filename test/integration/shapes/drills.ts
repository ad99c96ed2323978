// The disaster-recovery playbooks drilled on one lab shape (test/lab/shape.ts): the control planes kubeadm and
// kubespray build one master at a time, with either certificate layout. Each shape's test file selects its lab
// instance (TSPLAY_LAB) and imports this module; one lab serves every drill of the file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { deleteKeys, dumpAll, putKey } from '../../lab/etcd-data.js';
import type { Lab } from '../../lab/lab.js';
import { withLab } from '../../lab/with-lab.js';
import { hostPaths } from '../../lab/topology.js';
import { tsplay } from '../../support/cli.js';
import { etcdFactsFromManifest } from '../../../src/etcd/manifest.js';
import { dryRun, etcdDryRuns, resultsOf } from './dry-run.js';
import {
  allMembers,
  corruptCopyOfLatestBackup,
  failures,
  healthy,
  journalPath,
  pb,
  play,
  settled,
  sh,
  why,
} from '../../support/drill-kit.js';

/** Every master's manifests, to prove a playbook left them as they were. */
async function manifests(lab: Lab): Promise<string[]> {
  return Promise.all(
    lab.members.map(
      async (m) => (await sh(lab, m.host, `cat ${hostPaths.manifests}/etcd.yaml ${hostPaths.manifests}/kube-apiserver.yaml`)).stdout,
    ),
  );
}

/** Member IDs by name, from host01's member list. */
async function memberIds(lab: Lab): Promise<Map<string, string>> {
  const r = await lab.etcdctl('host01', ['member', 'list', '-w', 'json']);
  const list = JSON.parse(r.stdout.replace(/"ID":(\d+)/g, '"ID":"$1"')) as { members: Array<{ ID: string; name: string }> };
  return new Map(list.members.map((m) => [m.name, m.ID]));
}

/** Waits until a host's etcd no longer answers. */
async function waitDown(lab: Lab, host: string): Promise<void> {
  for (let i = 0; i < 30 && (await lab.health()).find((h) => h.host === host)?.etcdHealthy; i++)
    await new Promise((res) => setTimeout(res, 500));
}

/** Registers the drills of this process's lab shape. */
export function shapeDrills(): void {
  test('disaster-recovery drills on a lab shape', { timeout: 1_200_000 }, async (t) => {
    await withLab(async (lab) => {
      Object.assign(process.env, lab.env);
      const [m1] = lab.members;
      assert.ok(m1);
      t.diagnostic(`shape ${lab.shape.name}: ${lab.shape.description}`);
      const shaped = await manifests(lab);

      await t.test(
        'backup with no certificate path in the inventory, damage, restore: exact on every member, old data dirs kept',
        async () => {
          const atBackup = await dumpAll(m1);
          assert.ok(
            atBackup.some(([, v]) => v.includes(0xff)),
            'the seed has binary values',
          );
          const backup = await play(lab, 'etcd-backup.yaml');
          assert.equal(backup.code, 0, why(backup));
          await deleteKeys('/registry/pods/');
          await putKey('/registry/configmaps/default/after-backup', Buffer.from([0, 0xff, 0xfe]));
          const restore = await play(lab, 'restore.yaml');
          assert.equal(restore.code, 0, why(restore));
          for (const dump of await allMembers(lab)) assert.deepEqual(dump, atBackup);
          assert.equal(await healthy(lab), 3);
          for (const h of await lab.health()) assert.equal(h.apiserver, 200, `${h.host} kube-apiserver /healthz`);
          for (const m of lab.members)
            assert.equal((await sh(lab, m.host, 'ls -d /var/lib/etcd.tsplay-*/member')).code, 0, `${m.host} kept its old data dir`);
          assert.deepEqual(await manifests(lab), shaped, 'every manifest is as it was');
        },
      );

      await t.test(
        '--check is a dry run of every playbook drilled on this shape: exit 0, nothing changed, the commands shown',
        async () => {
          await etcdDryRuns(lab, lab.members[2]?.etcdName ?? '');
        },
      );

      await t.test('a wrong etcd_cert is named (which file, which host), not blamed on the cluster', async () => {
        const r = await play(
          lab,
          'etcd-backup.yaml',
          '-e',
          'etcd_cert=/etc/kubernetes/nowhere.crt',
          '-e',
          `etcd_key=${hostPaths.clientKey}`,
          '-e',
          `etcd_ca=${hostPaths.etcdCa}`,
        );
        assert.equal(r.code, 2, why(r));
        const msgs = failures(r, 'read the etcd manifest');
        assert.equal(msgs.length, 3, why(r));
        for (const [i, msg] of msgs.sort().entries())
          assert.equal(msg, `host0${i + 1}: /etc/kubernetes/nowhere.crt (etcd_cert) does not exist or cannot be read`);
        assert.ok(!/unhealthy|no healthy/.test(why(r)), why(r));
        // one member down: the backup goes on through the others and says why that one did not answer
        await sh(
          lab,
          'host01',
          `mkdir -p /etc/kubernetes/manifests-parked && mv ${hostPaths.manifests}/etcd.yaml /etc/kubernetes/manifests-parked/`,
        );
        try {
          await waitDown(lab, 'host01');
          const down = await play(lab, 'etcd-backup.yaml');
          assert.equal(down.code, 0, why(down));
          const health = down.events.find((e) => e.type === 'host-result' && e.task === 'cluster health');
          assert.match(
            health?.type === 'host-result' ? String(health.result['msg']) : '',
            new RegExp(
              `2/3 endpoints healthy.*https://${m1.ip.replace(/\./g, '\\.')}:2379: connection refused: etcd is not running there \\(member down\\)`,
            ),
          );
        } finally {
          await sh(lab, 'host01', `mv /etc/kubernetes/manifests-parked/etcd.yaml ${hostPaths.manifests}/etcd.yaml`);
          await settled(lab);
        }
      });

      await t.test('a restore that fails after the data dirs moved (corrupt snapshot) is rolled back automatically', async () => {
        const before = await allMembers(lab);
        const r = await play(lab, 'restore.yaml', '-e', `snapshot_file=${await corruptCopyOfLatestBackup(lab)}`);
        assert.equal(r.code, 2, why(r));
        assert.ok(
          r.events.some((e) => e.type === 'host-result' && e.task === 'put the original data dir back' && e.status === 'changed'),
          'the rollback ran',
        );
        await settled(lab);
        assert.deepEqual(await allMembers(lab), before);
        assert.deepEqual(await manifests(lab), shaped);
      });

      await t.test('the same failure without auto_rollback, then rollback.yaml by hand', async () => {
        const before = await allMembers(lab);
        const r = await play(
          lab,
          'restore.yaml',
          '-e',
          `snapshot_file=${await corruptCopyOfLatestBackup(lab)}`,
          '-e',
          'auto_rollback=false',
        );
        assert.equal(r.code, 2, why(r));
        assert.match(why(r), /run: tsplay run playbooks\/rollback\.yaml -i <inventory> --yes/);
        assert.equal(await healthy(lab), 0, 'etcd stays down until the rollback');
        const dry = await dryRun(lab, 'rollback.yaml', [], {
          commands: [
            /would run: stop kube-apiserver and etcd \(each proven gone\), keep \S+ as \S+\.failed-<time>, move \S+\.tsplay-\d{8}T\d{6} back to \S+/,
            /would run: mv -- \S+\/etcd\.yaml \S+\/manifests\/etcd\.yaml/,
          ],
        });
        assert.equal(
          resultsOf(dry, 'put the original data dir back').filter((x) => x.status === 'changed').length,
          3,
          'every master would be rolled back',
        );
        const back = await play(lab, 'rollback.yaml');
        assert.equal(back.code, 0, why(back));
        await settled(lab);
        assert.deepEqual(await allMembers(lab), before);
        assert.deepEqual(await manifests(lab), shaped);
      });

      await t.test('interrupted (Ctrl-C) while the snapshot is verified, then resumed: the restore completes', async () => {
        const atBackup = await dumpAll(m1);
        await putKey('/registry/configmaps/default/not-in-backup', 'x');
        const journal = journalPath();
        const stop = new AbortController();
        const watcher = setInterval(() => {
          try {
            if (
              /"type":"task-start"[^\n]*"task":"verify the downloaded snapshot before anything is stopped"/.test(
                readFileSync(journal, 'utf8'),
              )
            )
              stop.abort(new Error('interrupted by SIGINT'));
          } catch {
            /* not written yet */
          }
        }, 50);
        const r = await tsplay(['run', pb('restore.yaml'), '-i', lab.inventory, '-o', 'json', '--yes', '--journal', journal], {
          signal: stop.signal,
        });
        clearInterval(watcher);
        assert.equal(r.code, 99, why(r));
        assert.ok(!r.events.some((e) => e.type === 'task-start' && e.task === 'stop etcd'), 'nothing was stopped');
        const resumed = await tsplay(['resume', journal, '--yes', '-o', 'json']);
        assert.equal(resumed.code, 0, why(resumed));
        for (const dump of await allMembers(lab)) assert.deepEqual(dump, atBackup);
        assert.deepEqual(await manifests(lab), shaped);
      });

      await t.test('replace-member: a destroyed master gets a new member, its manifest built from a healthy one; data intact', async () => {
        const before = await dumpAll(m1);
        const ids = await memberIds(lab);
        const m3 = lab.member('host03');
        await sh(lab, 'host03', `mv ${hostPaths.manifests}/etcd.yaml /root/etcd.yaml.gone && sleep 2 && rm -rf /var/lib/etcd`);
        const r = await play(lab, 'replace-member.yaml');
        assert.equal(r.code, 0, why(r));
        assert.equal(await healthy(lab), 3);
        const after = await memberIds(lab);
        assert.notEqual(after.get(m3.etcdName), ids.get(m3.etcdName), 'a new member ID');
        for (const dump of await allMembers(lab)) assert.deepEqual(dump, before);
        const written = etcdFactsFromManifest((await sh(lab, 'host03', `cat ${hostPaths.manifests}/etcd.yaml`)).stdout, 'etcd.yaml');
        assert.equal(written.initial_cluster_state, 'existing');
        assert.equal(written.name, m3.etcdName);
        assert.deepEqual(
          [...written.listen_client_urls, ...written.listen_peer_urls, written.peer_url],
          [`https://${m3.ip}:2379`, `https://${m3.ip}:2380`, `https://${m3.ip}:2380`],
          "moved to host03's address",
        );
        assert.deepEqual(written.initial_cluster_members.map((x) => x.name).sort(), lab.members.map((x) => x.etcdName).sort());
      });

      await t.test('replace-member: the first master (its manifest has no state flag) loses its data: the flag is added', async () => {
        const before = await dumpAll(lab.member('host02'));
        await sh(
          lab,
          'host01',
          `mkdir -p /etc/kubernetes/manifests-parked && mv ${hostPaths.manifests}/etcd.yaml /etc/kubernetes/manifests-parked/ && sleep 2 && rm -rf /var/lib/etcd`,
        );
        const r = await play(lab, 'replace-member.yaml');
        assert.equal(r.code, 0, why(r));
        assert.equal(await healthy(lab), 3);
        for (const dump of await allMembers(lab)) assert.deepEqual(dump, before);
        const written = (await sh(lab, 'host01', `cat ${hostPaths.manifests}/etcd.yaml`)).stdout;
        assert.equal(written.match(/initial-cluster-state/g)?.length, 1, written);
        assert.match(written, /--initial-cluster-state=existing/);
      });

      await t.test('replace-member with two members down is refused, nothing removed', async () => {
        const ids = await memberIds(lab);
        await sh(lab, 'host03', `mv ${hostPaths.manifests}/etcd.yaml /root/etcd.yaml.down`);
        await sh(lab, 'host02', `mv ${hostPaths.manifests}/etcd.yaml /root/etcd.yaml.down`);
        const refused = await play(lab, 'replace-member.yaml');
        assert.notEqual(refused.code, 0);
        assert.match(why(refused), /one member at a time/);
        assert.ok(!refused.events.some((e) => e.type === 'task-start' && e.task === 'remove the failed member'));
        await sh(lab, 'host03', `mv /root/etcd.yaml.down ${hostPaths.manifests}/etcd.yaml`);
        await sh(lab, 'host02', `mv /root/etcd.yaml.down ${hostPaths.manifests}/etcd.yaml`);
        await settled(lab);
        assert.equal(await healthy(lab), 3);
        assert.deepEqual(await memberIds(lab), ids);
      });
    });
  });
}
