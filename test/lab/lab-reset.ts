import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { seedData } from './etcd-data.js';
import { apiserverStatus, health, podPid, waitFor } from './health.js';
import { bootstrapEtcd } from './bootstrap.js';
import { installClusterBackup, installPki } from './host-setup.js';
import type { Lab } from './lab.js';
import { describeHealth } from './lab-up.js';
import { emptyBucket } from './s3.js';
import { openshift } from './topology.js';

/**
 * Files a restore procedure leaves behind inside a host: the seed's /tmp copies and etcd_bak, and tsplay's kept data
 * dirs (/var/lib/etcd.tsplay-*, .failed-*), parked manifests and its state and scratch dir (/var/lib/tsplay).
 */
const leftovers = [
  '/var/lib/etcd',
  '/var/lib/etcd_bak',
  '/tmp/etcd.yaml',
  '/tmp/kube-apiserver.yaml',
  '/var/lib/etcd.*',
  '/etc/kubernetes/manifests-parked',
  '/var/lib/tsplay',
];

/**
 * Puts a running lab back to its seed state with the same PKI: removes every manifest (the agents
 * stop the pods), wipes etcd data and restore leftovers, reinstalls PKI and manifests, waits for a
 * healthy cluster, seeds again and empties the backup bucket.
 */
export async function resetLab(lab: Lab): Promise<void> {
  if (lab.hosts.length === 0) throw new Error('labReset: no lab is running (npm run lab:up)');
  if (openshift)
    throw new Error(
      'labReset: the OpenShift shape has no reset (its cluster is grown by the operator stand-in): bring it up again with `npm run lab:up -- --fresh`',
    );
  // One host at a time (see lab-down.ts: a leader stopped with all its followers waits ~7 s).
  for (const h of lab.hosts) {
    const dir = join(h.dir, 'etc', 'kubernetes', 'manifests');
    for (const f of await readdir(dir).catch(() => [])) await rm(join(dir, f), { recursive: true, force: true });
    const m = lab.member(h.name);
    await waitFor(
      `${h.name} pods stopped`,
      async () => podPid(m, 'etcd.yaml') === undefined && (await apiserverStatus(m)) === 0,
      30_000,
      describeHealth,
    );
  }
  await Promise.all(
    lab.hosts.map(async (h) => {
      const r = await lab.execIn(h.name, ['sh', '-c', `rm -rf ${leftovers.join(' ')}`]);
      if (r.code !== 0) throw new Error(`labReset: ${h.name}: rm failed: ${r.stderr.trim()}`);
      const m = lab.member(h.name);
      await installPki(h, m);
      await installClusterBackup(h);
    }),
  );
  await bootstrapEtcd({
    dir: (name) => lab.hosts.find((x) => x.name === name) ?? lab.hosts[0]!,
    exec: (name, argv) => lab.execIn(name, argv),
  });
  await seedData();
  await emptyBucket();
  await waitFor(
    'apiserver /healthz 200 on every master',
    async () => (await health()).every((x) => x.apiserver === 200),
    30_000,
    describeHealth,
  );
}
