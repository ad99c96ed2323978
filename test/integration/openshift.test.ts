// The OpenShift 4 playbooks drilled on the OpenShift-shaped lab (TSPLAY_LAB=openshift: masters master-0..2 on
// 127.0.1.71-73 that take `core` with sudo and refuse root, JSON static pods, etcd.env, no etcdctl on the PATH, the
// stand-ins for cluster-backup.sh, cluster-restore.sh, oc, crictl and the operators; S3 on 9071). One lab for the file:
// backups (clean, refused while an operator rolls out, forced), the restore's refusals (each leaves every master as it
// was), then backup -> damage -> restore with exact data on all three members once the etcd operator stand-in has added
// the other two back.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { test } from 'node:test';
import { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Lab } from '../lab/lab.js';
import type { KeyValue } from '../lab/etcd-data.js';
import type { CliRun } from '../support/cli.js';

// The lab modules read TSPLAY_LAB once, when they load: select this suite's instance first.
process.env['TSPLAY_LAB'] = 'openshift';
const { withLab } = await import('../lab/with-lab.js');
const { deleteKeys, dumpAll, putKey } = await import('../lab/etcd-data.js');
const { gatewayOk } = await import('../lab/etcd-gateway.js');
const { readPids } = await import('../lab/pids.js');
const { openshiftApiPort } = await import('../lab/topology.js');
const { allMembers, play, s3, sh: shell, why } = await import('../support/drill-kit.js');
const { dryRun } = await import('./shapes/dry-run.js');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ran = (r: CliRun, task: string): boolean => r.events.some((e) => e.type === 'task-start' && e.task === task);

async function keys(client: S3Client, prefix: string): Promise<string[]> {
  const list = await client.send(new ListObjectsV2Command({ Bucket: 'etcd-backup', Prefix: prefix }));
  return (list.Contents ?? []).map((o) => o.Key ?? '').sort();
}

async function object(client: S3Client, key: string): Promise<Buffer> {
  const o = await client.send(new GetObjectCommand({ Bucket: 'etcd-backup', Key: key }));
  return Buffer.from(await o.Body!.transformToByteArray());
}

/** A shell script inside a master (root there), its output trimmed. */
async function sh(lab: Lab, host: string, script: string): Promise<{ code: number | null; stdout: string }> {
  const r = await shell(lab, host, script);
  return { code: r.code, stdout: r.stdout.trim() };
}

/** The lab's OpenShift API (the operator stand-in). */
function api(method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: openshiftApiPort, path, method }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

interface Op {
  status: {
    latestAvailableRevision: number;
    nodeStatuses: { nodeName: string; currentRevision: number }[];
    conditions: { type: string; status: string; message?: string }[];
  };
}
const condition = (o: { status: { conditions: { type: string; status: string; message?: string }[] } }, type: string) =>
  o.status.conditions.find((c) => c.type === type);

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(500);
  }
}

/** Everything a refused restore must leave alone, per master: manifests, etcd data dirs, kept dirs, state file, the member list. */
async function masterState(lab: Lab): Promise<string[]> {
  const hosts = await Promise.all(
    lab.members.map((m) =>
      sh(
        lab,
        m.host,
        'ls /etc/kubernetes/manifests; ls -d /var/lib/etcd* /home/core/assets/manifests-stopped 2>/dev/null; ls -i -d /var/lib/etcd/member; test -e /var/lib/tsplay/openshift-restore-state && echo STATE',
      ),
    ),
  );
  const members = (await gatewayOk(lab.members[0]!, '/v3/cluster/member/list', {})) as { members?: { ID?: string }[] };
  return [
    ...hosts.map((h, i) => `${lab.members[i]?.host}: ${h.stdout}`),
    `members ${(members.members ?? [])
      .map((m) => m.ID)
      .sort()
      .join(',')}`,
  ];
}

test('OpenShift backup and restore drills on the OpenShift-shaped lab', { timeout: 1_500_000 }, async (t) => {
  await withLab(async (lab) => {
    Object.assign(process.env, lab.env);
    const [m0] = lab.members;
    assert.ok(m0);
    const client = s3(lab);
    let atBackup: KeyValue[] = [];
    let stamp = '';

    await t.test('the lab is shaped as OpenShift: core with sudo, no root login, no etcdctl, JSON etcd-pod.yaml', async () => {
      const shape = await sh(
        lab,
        'master-0',
        'command -v etcdctl || echo none; head -c 1 /etc/kubernetes/manifests/etcd-pod.yaml; echo; grep -c "^export NODE_" /etc/kubernetes/static-pod-resources/etcd-certs/configmaps/etcd-scripts/etcd.env',
      );
      assert.deepEqual(shape.stdout.split('\n'), ['none', '{', '9']);
      const sshArgs = (user: string) => [
        '-i',
        lab.clientKeyFile,
        '-o',
        `UserKnownHostsFile=${lab.knownHostsFile}`,
        '-o',
        'BatchMode=yes',
        '-o',
        'ConnectTimeout=5',
        `${user}@${m0.ip}`,
        'sudo -n id -u',
      ];
      const root = spawnSync('ssh', sshArgs('root'), { encoding: 'utf8' });
      assert.notEqual(root.status, 0, 'root may not log in');
      const core = spawnSync('ssh', sshArgs('core'), { encoding: 'utf8' });
      assert.equal(core.stdout.trim(), '0', `core has passwordless sudo: ${core.stderr}`);
    });

    await t.test(
      'openshift-backup: as core with become, etcdctl from dl_etcdctl, both files in S3 with checksums that verify',
      async () => {
        atBackup = await dumpAll(m0);
        const r = await play(lab, 'openshift-backup.yaml');
        assert.equal(r.code, 0, why(r));
        const objects = await keys(client, 'openshift/lab/');
        assert.equal(objects.filter((k) => /\/snapshot_\d{4}-\d\d-\d\d_\d{6}\.db$/.test(k)).length, 1, objects.join(' '));
        assert.equal(objects.filter((k) => /\/static_kuberesources_\d{4}-\d\d-\d\d_\d{6}\.tar\.gz$/.test(k)).length, 1, objects.join(' '));
        for (const key of objects) {
          const o = await client.send(new GetObjectCommand({ Bucket: 'etcd-backup', Key: key }));
          const sha = createHash('sha256')
            .update(Buffer.from(await o.Body!.transformToByteArray()))
            .digest('hex');
          assert.equal(o.Metadata?.['sha256'], sha, key);
        }
        stamp = objects[0]?.split('/')[2] ?? '';
        assert.match(stamp, /^\d{4}-\d\d-\d\dT\d{6}Z$/);
        assert.equal(
          (await sh(lab, 'master-0', 'ls /etc/kubernetes/static-pod-resources/bin/etcdctl && command -v etcdctl || echo not-on-path'))
            .stdout,
          '/etc/kubernetes/static-pod-resources/bin/etcdctl\nnot-on-path',
          'dl_etcdctl put etcdctl into static-pod-resources/bin, not on the PATH',
        );
        assert.equal((await sh(lab, 'master-0', 'ls -d /var/lib/tsplay/work/openshift-backup-* 2>/dev/null')).code, 2, 'remote clean-up');
      },
    );

    await t.test(
      '--check is a dry run of openshift-backup and openshift-restore: exit 0, nothing changed, the commands shown',
      async () => {
        await dryRun(lab, 'openshift-backup.yaml', [], {
          commands: [/would run: \S*cluster-backup\.sh /, /would upload \S+\/snapshot_\S+\.db .* to s3:\/\/etcd-backup\/openshift\/lab\//],
        });
        const r = await dryRun(lab, 'openshift-restore.yaml', ['-e', 'recovery_host=master-1', '-e', `openshift_backup=${stamp}`], {
          commands: [
            /would download s3:\/\/etcd-backup\/openshift\/lab\/\S+\/snapshot_/,
            /would run: set -e\n.*mv -- "\$manifests\/\$f"/s,
            /would run: \S*cluster-restore\.sh /,
            /would run: .*snapshot restore /,
          ],
        });
        assert.ok(
          r.events.some(
            (e) =>
              e.type === 'host-result' &&
              e.task === 'a trial restore of the snapshot (checks its hash, which `snapshot status` does not)' &&
              e.status === 'changed',
          ),
        );
      },
    );

    await t.test(
      'openshift-backup refuses while an operator rolls out; --force gives a __POSSIBLY_DIRTY__ backup and says so',
      async () => {
        // a kubelet that hangs on master-2: the kube-scheduler rollout cannot finish there (the pods keep running)
        const agent = (await readPids()).find((p) => p.name === 'agent-master-2');
        assert.ok(agent);
        process.kill(agent.pid, 'SIGSTOP');
        try {
          await api('PATCH', '/api/kubeschedulers/cluster', { spec: { forceRedeploymentReason: `drill-${Date.now()}` } });
          await waitFor(
            'kube-scheduler Progressing',
            async () => condition((await api('GET', '/api/clusteroperators/kube-scheduler')) as Op, 'Progressing')?.status === 'True',
            30_000,
          );
          const before = await keys(client, 'openshift/lab/');
          const refused = await play(lab, 'openshift-backup.yaml');
          assert.equal(refused.code, 2, why(refused));
          assert.match(why(refused), /an operator is progressing.*kube-scheduler Progressing=True.*-e backup_force=true/s);
          assert.ok(!ran(refused, 'run cluster-backup.sh'), 'cluster-backup.sh did not run');
          assert.deepEqual(await keys(client, 'openshift/lab/'), before, 'nothing uploaded');

          const forced = await play(lab, 'openshift-backup.yaml', '-e', 'backup_force=true');
          assert.equal(forced.code, 0, why(forced));
          const dirty = (await keys(client, 'openshift/lab/')).filter((k) => !before.includes(k));
          assert.equal(dirty.length, 2, dirty.join(' '));
          for (const k of dirty) assert.match(k, /__POSSIBLY_DIRTY__\.(db|tar\.gz)$/);
          assert.ok(
            forced.events.some(
              (e) => e.type === 'host-result' && e.task === 'a forced backup may be inconsistent' && /POSSIBLY DIRTY/.test(String(e.msg)),
            ),
            'the run says the backup may be inconsistent',
          );
        } finally {
          process.kill(agent.pid, 'SIGCONT');
        }
        await waitFor(
          'the kube-scheduler rollout to finish',
          async () => condition((await api('GET', '/api/kubeschedulers/cluster')) as Op, 'NodeInstallerProgressing')?.status === 'False',
          60_000,
        );
      },
    );

    await t.test(
      'openshift-restore refuses, before anything is touched: no or two recovery masters, a backup missing a file, a corrupted snapshot',
      async () => {
        const before = await masterState(lab);
        const data = await dumpAll(m0);
        const snapshotKey = (await keys(client, `openshift/lab/${stamp}/`)).find((k) => k.endsWith('.db')) ?? '';
        const tarKey = (await keys(client, `openshift/lab/${stamp}/`)).find((k) => k.endsWith('.tar.gz')) ?? '';
        const copy = (from: string, to: string) =>
          client.send(
            new CopyObjectCommand({ Bucket: 'etcd-backup', CopySource: `etcd-backup/${from}`, Key: to, MetadataDirective: 'COPY' }),
          );
        // a backup without its static pod resources, and one whose snapshot is damaged (its trailing hash no longer matches)
        await copy(snapshotKey, 'openshift/lab/2000-01-01T000000Z/snapshot_2000-01-01_000000.db');
        const bad = await object(client, snapshotKey);
        bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
        await client.send(
          new PutObjectCommand({ Bucket: 'etcd-backup', Key: 'openshift/lab/2000-01-02T000000Z/snapshot_2000-01-02_000000.db', Body: bad }),
        );
        await copy(tarKey, 'openshift/lab/2000-01-02T000000Z/static_kuberesources_2000-01-02_000000.tar.gz');
        // a backup dir on the recovery master that holds only the tar
        await sh(lab, 'master-1', 'mkdir -p /home/core/assets/partial');
        await lab.execIn(
          'master-1',
          ['sh', '-c', 'cat > /home/core/assets/partial/static_kuberesources_2000-01-03_000000.tar.gz'],
          await object(client, tarKey),
        );

        const cases: [string, string[], number, RegExp][] = [
          ['no recovery master', ['-e', `openshift_backup=${stamp}`], 2, /no recovery master: choose the one master/],
          [
            'two recovery masters',
            ['-e', 'recovery_host=master-0,master-1', '-e', `openshift_backup=${stamp}`],
            2,
            /2 recovery masters \(master-0 master-1\)/,
          ],
          [
            'an unknown recovery master',
            ['-e', 'recovery_host=master-7', '-e', `openshift_backup=${stamp}`],
            2,
            /recovery_host names master-7 which is not in the inventory's masters/,
          ],
          [
            'a store backup without its static pod resources',
            ['-e', 'recovery_host=master-1', '-e', 'openshift_backup=2000-01-01T000000Z'],
            5,
            /has no static_kuberesources_\*\.tar\.gz .*static pod resources of this backup are missing/,
          ],
          [
            'a corrupted snapshot',
            ['-e', 'recovery_host=master-1', '-e', 'openshift_backup=2000-01-02T000000Z'],
            2,
            /cannot be restored \(corrupted or truncated\?\).*nothing was changed/,
          ],
          [
            'a backup dir without its snapshot',
            ['-e', 'recovery_host=master-1', '-e', 'backup_dir=/home/core/assets/partial'],
            2,
            /must hold exactly one snapshot\*\.db and one static_kuberesources\*\.tar\.gz.*nothing was changed/,
          ],
        ];
        for (const [what, args, code, message] of cases) {
          const r = await play(lab, 'openshift-restore.yaml', ...args);
          assert.equal(r.code, code, `${what}: ${why(r)}`);
          assert.match(why(r), message, what);
          assert.ok(
            !ran(r, 'move the static pod manifests out of the manifests dir') && !ran(r, 'run cluster-restore.sh'),
            `${what}: nothing was stopped`,
          );
          if (code === 5) assert.ok(!r.events.some((e) => e.type === 'task-start'), `${what}: refused at validation, no host contacted`);
          assert.deepEqual(await masterState(lab), before, `${what}: every master as it was`);
          assert.equal(
            (await sh(lab, 'master-1', 'ls -d /var/lib/tsplay/work/openshift-restore-* 2>/dev/null')).code,
            2,
            `${what}: no downloaded backup left behind`,
          );
        }
        assert.deepEqual(await dumpAll(m0), data);
        await sh(lab, 'master-1', 'rm -rf /home/core/assets/partial');
      },
    );

    await t.test(
      'openshift-restore: backup -> damage -> restore on master-1; the operator brings the others back; exact data on all three',
      async () => {
        const membersBefore =
          ((await gatewayOk(m0, '/v3/cluster/member/list', {})) as { members?: { ID?: string }[] }).members?.map((m) => m.ID) ?? [];
        await deleteKeys('/registry/pods/');
        await putKey('/registry/configmaps/default/after-backup', 'not in the backup');
        assert.notDeepEqual(await dumpAll(m0), atBackup);
        const started = Date.now();
        const r = await play(lab, 'openshift-restore.yaml', '-e', 'recovery_host=master-1', '-e', `openshift_backup=${stamp}`);
        t.diagnostic(`openshift-restore.yaml took ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.equal(r.code, 0, why(r));
        for (const [i, dump] of (await allMembers(lab)).entries())
          assert.deepEqual(dump, atBackup, `${lab.members[i]?.host} holds exactly the backup`);
        const list =
          ((await gatewayOk(m0, '/v3/cluster/member/list', {})) as { members?: { ID?: string; name?: string; isLearner?: boolean }[] })
            .members ?? [];
        assert.deepEqual(list.map((m) => m.name).sort(), ['master-0', 'master-1', 'master-2']);
        assert.ok(
          list.every((m) => !m.isLearner),
          'every member promoted',
        );
        assert.ok(
          list.every((m) => !membersBefore.includes(m.ID)),
          'a new cluster (new member IDs), not the old one',
        );
        for (const h of await lab.health()) {
          assert.ok(h.etcdHealthy, `${h.host} etcd healthy`);
          assert.equal(h.apiserver, 200, `${h.host} kube-apiserver /readyz`);
        }
        for (const resource of ['etcds', 'kubeapiservers', 'kubecontrollermanagers', 'kubeschedulers']) {
          const op = (await api('GET', `/api/${resource}/cluster`)) as Op;
          assert.ok(
            op.status.nodeStatuses.every((s) => s.currentRevision === op.status.latestAvailableRevision),
            `${resource}: every master at revision ${op.status.latestAvailableRevision}`,
          );
          assert.equal(condition(op, 'NodeInstallerProgressing')?.status, 'False', resource);
        }
        assert.equal(condition((await api('GET', '/api/etcds/cluster')) as Op, 'EtcdMembersAvailable')?.message, '3 members are available');
        const csrs = (await api('GET', '/api/certificatesigningrequests')) as { items: { status: { conditions?: unknown[] } }[] };
        assert.ok(
          csrs.items.length >= 3 && csrs.items.every((c) => c.status.conditions?.length),
          'the kubelets asked for certificates and every CSR was approved',
        );
        for (const host of ['master-0', 'master-2']) {
          assert.equal(
            (await sh(lab, host, 'ls -d /var/lib/etcd.tsplay-*/member >/dev/null && ls /home/core/assets/manifests-stopped')).stdout,
            'etcd-pod.yaml\nkube-apiserver-pod.yaml\nkube-controller-manager-pod.yaml\nkube-scheduler-pod.yaml',
            `${host} kept its data dir and manifests`,
          );
          assert.equal(
            (
              await sh(
                lab,
                host,
                `test -f /etc/kubernetes/manifests/keepalived.yaml && crictl ps -q --label io.kubernetes.pod.name=keepalived-${host} | wc -l`,
              )
            ).stdout,
            '2',
            `${host}: keepalived back`,
          );
        }
        assert.equal((await sh(lab, 'master-1', 'ls -d /var/lib/etcd-backup/member')).code, 0, 'the recovery master kept its data dir');
        for (const m of lab.members)
          assert.equal(
            (await sh(lab, m.host, 'test -e /var/lib/tsplay/openshift-restore-state')).code,
            1,
            `${m.host}: the restore is complete`,
          );
        assert.equal(
          (await sh(lab, 'master-1', 'ls -d /var/lib/tsplay/work/openshift-restore-* 2>/dev/null')).code,
          2,
          'the downloaded backup was removed',
        );
      },
    );
    client.destroy();
  });
});
