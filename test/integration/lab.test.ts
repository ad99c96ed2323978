// End-to-end test of the lab itself: real sshd, a 3-member TLS etcd run by static-pod agents,
// apiserver stand-ins and S3, and a teardown that leaves nothing behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dumpAll, deleteKeys, getKey, k8sValue, putKey, seedKeys } from '../lab/etcd-data.js';
import { apiserverStatus, podPid, waitFor } from '../lab/health.js';
import { hostAlive, type RecordedHost } from '../lab/host-state.js';
import { portOpen } from '../lab/hosts/proc.js';
import { labReset, type Lab } from '../lab/lab.js';
import { isAlive, readPids, type LabProcess } from '../lab/pids.js';
import { labPorts } from '../lab/preflight.js';
import { bucketExists } from '../lab/s3.js';
import { sentinelKey } from '../lab/topology.js';
import { withLab } from '../lab/with-lab.js';

const healthyLines = (out: string): number => out.split('\n').filter((l) => l.includes('is healthy')).length;

async function healthyCount(lab: Lab): Promise<number> {
  return (await lab.health()).filter((h) => h.etcdHealthy).length;
}

test('lab: three masters with TLS etcd static pods, apiserver stand-ins and S3', { timeout: 240_000 }, async (t) => {
  let started: { procs: LabProcess[]; hosts: RecordedHost[]; pods: number[] } | undefined;
  await withLab(async (lab) => {
    const [m1, , m3] = lab.members;
    assert.ok(m1 && m3);

    await t.test('three healthy members through etcdctl with the client certificate', async () => {
      const r = await lab.etcdctl('host01', ['endpoint', 'health', '--cluster']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(healthyLines(r.stdout + r.stderr), 3, r.stdout + r.stderr);
      const list = await lab.etcdctl('host02', ['member', 'list', '-w', 'json']);
      const names = (JSON.parse(list.stdout) as { members: { name: string }[] }).members.map((m) => m.name).sort();
      assert.deepEqual(names, ['controller-node-1', 'controller-node-2', 'controller-node-3']);
    });

    await t.test('etcd refuses a client without the client certificate', async () => {
      const r = await lab.execIn('host01', [
        'etcdctl',
        `--endpoints=https://${m1.ip}:2379`,
        '--cacert=/etc/kubernetes/ssl/etcd/ca.crt',
        '--command-timeout=3s',
        'endpoint',
        'health',
      ]);
      assert.notEqual(r.code, 0, 'etcd must require --client-cert-auth');
    });

    await t.test('apiserver stand-in /healthz is 200 on every master', async () => {
      for (const h of await lab.health()) assert.equal(h.apiserver, 200, `${h.host} /healthz`);
    });

    await t.test('seed data is present on every member and binary values round-trip', async () => {
      const dumps = await Promise.all(lab.members.map((m) => dumpAll(m)));
      assert.equal(dumps[0]?.length, seedKeys().length + 1);
      assert.deepEqual(dumps[1], dumps[0]);
      assert.deepEqual(dumps[2], dumps[0]);
      const key = '/registry/secrets/team-a/secret-3';
      const value = (await getKey(key)) ?? Buffer.alloc(0);
      assert.deepEqual(value, k8sValue('secrets', key));
      assert.ok(value.subarray(0, 4).equals(Buffer.from('k8s\0', 'latin1')) && value.includes(0xff));
      // every byte value, written through the gateway, read back by etcdctl inside host03
      const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await putKey('/registry/lab/all-bytes', all);
      const got = await lab.etcdctl('host03', ['get', '/registry/lab/all-bytes', '-w', 'json', '--consistency=l']);
      const kv = (JSON.parse(got.stdout) as { kvs?: { value: string }[] }).kvs?.[0];
      assert.deepEqual(Buffer.from(kv?.value ?? '', 'base64'), all);
    });

    await t.test('the S3 bucket exists', async () => {
      assert.equal(await bucketExists(), true);
    });

    await t.test('moving etcd.yaml out of the manifests dir stops the member; moving it back restarts it', async () => {
      const before = podPid(m3, 'etcd.yaml');
      assert.ok(before, 'etcd pod running on host03');
      const out = await lab.execIn('host03', ['mv', '/etc/kubernetes/manifests/etcd.yaml', '/tmp/etcd.yaml']);
      assert.equal(out.code, 0, out.stderr);
      await waitFor('host03 etcd to stop', async () => !(await portOpen(m3.ip, 2379)) && podPid(m3, 'etcd.yaml') === undefined, 20_000);
      assert.throws(() => process.kill(before, 0), 'the old etcd process is gone');
      assert.equal(await healthyCount(lab), 2);
      const cluster = await lab.etcdctl('host01', ['endpoint', 'health', '--cluster']);
      assert.notEqual(cluster.code, 0);
      assert.equal(healthyLines(cluster.stdout + cluster.stderr), 2);
      await waitFor('host03 apiserver to turn unhealthy', async () => (await apiserverStatus(m3)) === 500, 10_000);
      const back = await lab.execIn('host03', ['mv', '/tmp/etcd.yaml', '/etc/kubernetes/manifests/etcd.yaml']);
      assert.equal(back.code, 0, back.stderr);
      await waitFor('3 healthy members again', async () => (await healthyCount(lab)) === 3, 30_000);
      assert.notEqual(podPid(m3, 'etcd.yaml'), before);
      await waitFor('host03 apiserver healthy again', async () => (await apiserverStatus(m3)) === 200, 10_000);
    });

    await t.test('a missing sentinel key makes every apiserver unhealthy; labReset restores the seed', async () => {
      const seeded = await dumpAll(m1);
      assert.equal(await deleteKeys('/registry/secrets/'), 40);
      assert.equal(await deleteKeys(sentinelKey), 1);
      await waitFor(
        'apiservers to report the missing sentinel',
        async () => (await Promise.all(lab.members.map((m) => apiserverStatus(m)))).every((s) => s === 500),
        10_000,
      );
      await labReset();
      assert.deepEqual(
        await dumpAll(m3),
        seeded.filter(([k]) => k.toString() !== '/registry/lab/all-bytes'),
      );
      for (const h of await lab.health()) assert.equal(h.apiserver, 200, `${h.host} after reset`);
    });

    const procs = await readPids();
    const pods = lab.members
      .flatMap((m) => [podPid(m, 'etcd.yaml'), podPid(m, 'kube-apiserver.yaml')])
      .filter((p): p is number => p !== undefined);
    started = { procs, hosts: lab.hosts, pods };
  });

  await t.test('lab down leaves nothing listening and no lab process alive', async () => {
    assert.ok(started);
    assert.equal(started.procs.length, 4, 'S3 + three agents were recorded');
    assert.equal(started.pods.length, 6, 'etcd + apiserver per master were running');
    for (const p of labPorts()) assert.equal(await portOpen(p.address, p.port), false, `${p.address}:${p.port} (${p.what})`);
    for (const p of started.procs) assert.equal(isAlive(p), false, `${p.name} pid ${p.pid}`);
    for (const h of started.hosts) assert.equal(hostAlive(h), false, `${h.name} namespace holder`);
    for (const pid of started.pods) assert.throws(() => process.kill(pid, 0), `pod pid ${pid}`);
  });
});
