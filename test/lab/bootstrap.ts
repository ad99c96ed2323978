// Starts the lab's etcd the way the shape's control plane was built: all members at once, or grown one master at
// a time as `kubeadm join --control-plane` does (a real `member add`, then the new master's manifest).
import { etcdctlArgv } from './etcdctl.js';
import { etcdHealthy, waitFor } from './health.js';
import { installApiserverManifest, installEtcdManifest, type HostDir } from './host-setup.js';
import type { RunResult } from './hosts/proc.js';
import { describeHealth } from './lab-up.js';
import { allAtOnce } from './manifests.js';
import { sleep } from './pids.js';
import { describeFailure } from './run.js';
import { members, peerUrl, shape, type Member } from './topology.js';

/** What bootstrapping needs of the running hosts. */
export interface BootstrapHosts {
  /** A host's private files. */
  dir(host: string): HostDir;
  /** Runs argv inside a host (as root there). */
  exec(host: string, argv: string[]): Promise<RunResult>;
}

/** Waits until every one of `these` members answers /health. */
async function healthy(these: readonly Member[]): Promise<void> {
  const names = these.map((m) => m.etcdName).join(', ');
  await waitFor(
    `${these.length} healthy etcd member(s) (${names})`,
    async () => (await Promise.all(these.map(etcdHealthy))).every(Boolean),
    45_000,
    describeHealth,
  );
}

/**
 * `member add` from the first master, retried while etcd refuses it: right after a member joined, etcd answers
 * "unhealthy cluster" until every member has been connected for a few seconds (kubeadm retries the same way).
 */
async function memberAdd(hosts: BootstrapHosts, via: Member, m: Member): Promise<void> {
  const argv = etcdctlArgv(via, ['member', 'add', m.etcdName, `--peer-urls=${peerUrl(m)}`]);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await hosts.exec(via.host, argv);
    if (r.code === 0) return;
    if (!/unhealthy cluster/.test(r.stderr) || Date.now() > deadline)
      throw new Error(`growing the lab's etcd: ${describeFailure({ argv, ...r })}`);
    await sleep(500);
  }
}

/**
 * Installs every master's etcd and kube-apiserver manifests and waits for a healthy cluster. Grown shapes start the
 * first master alone, then for each next one run `member add` on a running member before its manifest (listing the
 * members so far, `--initial-cluster-state=existing`) appears, and wait for it to join, as kubeadm does.
 */
export async function bootstrapEtcd(hosts: BootstrapHosts): Promise<void> {
  if (shape.growth === 'uniform') {
    await Promise.all(
      members.map(async (m) => {
        await installEtcdManifest(hosts.dir(m.host), m, allAtOnce);
        await installApiserverManifest(hosts.dir(m.host), m);
      }),
    );
    await healthy(members);
    return;
  }
  const [first] = members;
  if (!first) return;
  for (const [i, m] of members.entries()) {
    const joined = members.slice(0, i + 1);
    if (i > 0) await memberAdd(hosts, first, m);
    await installEtcdManifest(hosts.dir(m.host), m, { members: joined, state: i === 0 ? 'new' : 'existing' });
    await installApiserverManifest(hosts.dir(m.host), m);
    await healthy(joined);
  }
}
