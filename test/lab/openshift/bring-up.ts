// Brings up the OpenShift-shaped lab (TSPLAY_LAB=openshift): three masters master-0..2 that take `core` (key, sudo
// without a password) and refuse root; OpenShift's files (install.ts) and static pods run by the lab kubelet; the
// operators' stand-in with its API for `oc`; S3. Like an OpenShift install, etcd starts as one member on the first
// master and the etcd operator stand-in adds the others one at a time as learners and promotes them.
import { closeSync, openSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedData } from '../etcd-data.js';
import { etcdHealthy, health, waitFor } from '../health.js';
import { agentStateDir, hostEnv, installHostsEntries } from '../host-setup.js';
import { recordHosts } from '../host-state.js';
import { startHosts, type HostsLab, type LabHost } from '../hosts.js';
import { killGroup } from '../hosts/proc.js';
import { recordPid } from '../pids.js';
import { ensurePki, hostPki, pkiDir } from '../pki.js';
import { preflight } from '../preflight.js';
import { describeFailure, runOk } from '../run.js';
import { startS3, waitForBucket, writeEnvFile } from '../s3.js';
import { spawnDetached } from '../spawn-detached.js';
import { labDir, members, openshiftApiPort, repoRoot } from '../topology.js';
import { etcdEnvVars } from './etcd-env.js';
import { bundleStandIns, ensureImages, imagesDir, installMaster, writeUsrLocalBin } from './install.js';
import { writeOpenShiftInventory } from './inventory.js';
import { DATA_DIR, DATA_DIR_BACKUP, ETCD_CERTS, STATIC_PODS, caBundles, nodeCerts, type StaticPodName } from './layout.js';
import type { ClusterConfig } from './operators.js';
import { installRevision, onMachine, writeRevision, type LabNode, type RevisionInputs } from './revisions.js';
import { keepalivedPod } from './pods.js';

/** The revision each static pod is at when the lab comes up (different numbers, as on a real cluster). */
export const INITIAL_REVISIONS: Record<StaticPodName, number> = {
  etcd: 3,
  'kube-apiserver': 7,
  'kube-controller-manager': 5,
  'kube-scheduler': 4,
};

/** Where the operator stand-in's config and API state live. */
export const openshiftDir = join(labDir, 'openshift');

/** The lab's masters as OpenShift nodes, with their places on this machine. */
export function labNodes(hosts: { host(name: string): { dir: string } }): LabNode[] {
  return members.map((m) => ({ name: m.host, ip: m.ip, hostDir: hosts.host(m.host).dir, kubeletState: agentStateDir(m) }));
}

/** What revisions are made of: etcd.env's variables for these masters, the checkout, the CA and kube-apiserver's etcd client pair. */
export function revisionInputs(nodes: readonly LabNode[]): RevisionInputs {
  const first = members[0];
  if (!first) throw new Error('lab topology has no members');
  const p = hostPki(first);
  return { env: etcdEnvVars(nodes), repoRoot, ca: p.ca, clientCert: p.clientCert, clientKey: p.clientKey };
}

/** Runs a command inside a host; throws with its output unless it exits 0. */
async function inHost(lab: HostsLab, h: LabHost, script: string): Promise<void> {
  const r = await lab.execIn(h, ['sh', '-c', script], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${h.name}: ${describeFailure({ argv: ['sh', '-c', script], ...r })}`);
}

/**
 * No etcd tools on the master's PATH: an overlay on /usr/bin inside the host whose upper layer hides etcd, etcdctl and
 * etcdutl (whiteouts); where overlayfs is not available, /dev/null is bound over each instead (then `command -v`
 * still names them but nothing can run them).
 */
async function hideEtcdTools(lab: HostsLab, h: LabHost): Promise<void> {
  const upper = join(h.dir, 'usrbin-upper');
  const work = join(h.dir, 'usrbin-work');
  await inHost(
    lab,
    h,
    `set -e; rm -rf '${upper}' '${work}'; mkdir -p '${upper}' '${work}'
for t in etcd etcdctl etcdutl; do [ -e /usr/bin/$t ] && mknod '${upper}'/$t c 0 0; done
if ! mount -t overlay overlay -o lowerdir=/usr/bin,upperdir='${upper}',workdir='${work}' /usr/bin 2>/dev/null; then
  for t in etcd etcdctl etcdutl; do [ -e /usr/bin/$t ] && mount --bind /dev/null /usr/bin/$t; done
fi
! command -v etcdctl >/dev/null || [ ! -x "$(command -v etcdctl)" ]`,
  );
}

/** Runs etcd once on the first master as a new one-member cluster, so that its data dir exists (the rest join it). */
async function bootstrapFirstMember(lab: HostsLab, h: LabHost, n: LabNode): Promise<void> {
  const c = nodeCerts(n.name, ETCD_CERTS);
  const ca = caBundles(ETCD_CERTS);
  const token = `openshift-etcd-${Date.now().toString(36)}`;
  const argv = [
    join(imagesDir(labDir), 'etcd', 'bin', 'etcd'),
    `--name=${n.name}`,
    `--data-dir=${DATA_DIR}`,
    `--initial-cluster=${n.name}=https://${n.ip}:2380`,
    '--initial-cluster-state=new',
    `--initial-cluster-token=${token}`,
    `--listen-client-urls=https://${n.ip}:2379`,
    `--advertise-client-urls=https://${n.ip}:2379`,
    `--listen-peer-urls=https://${n.ip}:2380`,
    `--initial-advertise-peer-urls=https://${n.ip}:2380`,
    `--cert-file=${c.servingCrt}`,
    `--key-file=${c.servingKey}`,
    `--trusted-ca-file=${ca.serving}`,
    '--client-cert-auth=true',
    `--peer-cert-file=${c.peerCrt}`,
    `--peer-key-file=${c.peerKey}`,
    `--peer-trusted-ca-file=${ca.peer}`,
    '--peer-client-cert-auth=true',
  ];
  const arch = process.arch === 'x64' ? {} : { ETCD_UNSUPPORTED_ARCH: process.arch };
  const child = lab.spawnIn(h, argv, { env: { ...hostEnv, ...arch }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
  const m = members[0];
  if (!m) throw new Error('no members');
  try {
    await waitFor(
      `the first etcd member on ${n.name}`,
      () => etcdHealthy(m),
      30_000,
      async () => err,
    );
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    killGroup(child.pid);
    await exited;
  }
}

/** Starts the lab kubelet inside a master: node name and IP for fieldRefs, the lab's images for PATH. */
async function startKubelet(lab: HostsLab, h: LabHost, n: LabNode): Promise<void> {
  await mkdir(n.kubeletState, { recursive: true });
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  const argv = [
    process.execPath,
    '--import',
    tsx,
    join(repoRoot, 'test/lab/static-pod-agent.ts'),
    '/etc/kubernetes/manifests',
    n.kubeletState,
    '--images',
    imagesDir(labDir),
  ];
  const out = openSync(join(n.kubeletState, 'agent.log'), 'a');
  try {
    const child = lab.spawnIn(h, argv, { env: { ...hostEnv, LAB_NODE_NAME: n.name, LAB_NODE_IP: n.ip }, stdio: ['ignore', out, out] });
    child.unref();
    if (child.pid === undefined) throw new Error(`${h.name}: could not start the lab kubelet`);
    await recordPid(`agent-${h.name}`, child.pid, ['nsenter', '-t', String(h.nsPid), '-m', '-u', '--', ...argv]);
  } finally {
    closeSync(out);
  }
}

/** Builds the OpenShift-shaped lab from nothing; the caller stops the lab if this throws. */
export async function bringUpOpenShift(opts: { detach?: boolean; log?: (line: string) => void } = {}): Promise<HostsLab> {
  const log = opts.log ?? (() => undefined);
  const t0 = Date.now();
  const step = (what: string): void => log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);
  await runOk(['bash', join(repoRoot, 'scripts/ensure-system.sh')], { timeoutMs: 600_000 });
  await preflight();
  await Promise.all([
    ...members.map((m) => rm(join(labDir, m.host), { recursive: true, force: true })),
    rm(join(labDir, 's3'), { recursive: true, force: true }),
    rm(join(labDir, 'logs'), { recursive: true, force: true }),
    rm(openshiftDir, { recursive: true, force: true }),
  ]);
  await mkdir(join(labDir, 'logs'), { recursive: true });
  await mkdir(openshiftDir, { recursive: true });
  await ensurePki();
  await Promise.all([ensureImages(labDir), bundleStandIns(labDir)]);
  step('PKI and images ready; starting masters (core login, no root) and S3');
  const before = new Set(process.listeners('exit'));
  const [lab] = await Promise.all([
    startHosts({
      count: members.length,
      baseDir: labDir,
      firstAddress: members[0]?.ip,
      names: members.map((m) => m.host),
      keyUsers: ['core'],
      rootLogin: false,
    }),
    startS3(),
  ]);
  if (opts.detach) for (const l of process.listeners('exit')) if (!before.has(l)) process.off('exit', l);
  await recordHosts(lab.hosts);
  const nodes = labNodes(lab);
  const inputs = revisionInputs(nodes);
  const pkiOf = (name: string) => {
    const m = members.find((x) => x.host === name);
    if (!m) throw new Error(`no member ${name}`);
    return hostPki(m);
  };
  step(`masters up; installing OpenShift's files (PKI from ${pkiDir})`);
  await Promise.all(
    nodes.map(async (n) => {
      const h = lab.host(n.name);
      await installHostsEntries(h);
      await hideEtcdTools(lab, h);
      const bin = join(h.dir, 'usr-local-bin');
      await writeUsrLocalBin(bin, n, openshiftApiPort, labDir);
      await inHost(
        lab,
        h,
        `mount --bind '${bin}' /usr/local/bin && rm -rf ${DATA_DIR} ${DATA_DIR_BACKUP} && mkdir -p ${DATA_DIR} && install -d -o core -g core /home/core/assets`,
      );
      await installMaster(n, nodes, pkiOf, inputs, labDir);
      for (const pod of STATIC_PODS) await writeRevision(pod, n, INITIAL_REVISIONS[pod], '', inputs);
    }),
  );
  const first = nodes[0];
  if (!first) throw new Error('no masters');
  step(`starting etcd as one member on ${first.name}`);
  await bootstrapFirstMember(lab, lab.host(first.name), first);
  const config: ClusterConfig = {
    apiPort: openshiftApiPort,
    nodes,
    inputs,
    stateFile: join(openshiftDir, 'api.json'),
    initialRevisions: INITIAL_REVISIONS,
  };
  const configFile = join(openshiftDir, 'cluster.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  await spawnDetached(
    'openshift-operators',
    [process.execPath, '--import', tsx, join(repoRoot, 'test/lab/openshift/operators.ts'), configFile],
    join(labDir, 'logs', 'operators.log'),
    repoRoot,
  );
  step('operators started; installing the static pods and starting the kubelets');
  await Promise.all(
    nodes.map(async (n) => {
      for (const pod of STATIC_PODS) await installRevision(pod, n, INITIAL_REVISIONS[pod], inputs);
      await writeFile(onMachine(n, '/etc/kubernetes/manifests/keepalived.yaml'), keepalivedPod()); // an on-premise (bare metal) cluster
      await startKubelet(lab, lab.host(n.name), n);
    }),
  );
  await waitFor(
    '3 healthy etcd members (the operator adds master-1 and master-2 one at a time)',
    async () => (await health()).every((x) => x.etcdHealthy),
    120_000,
    async () =>
      `${(await health()).map((x) => `  ${x.host}: etcd pod ${x.etcdPod ? 'running' : 'NOT running'}, etcd ${x.etcdHealthy ? 'healthy' : 'UNHEALTHY'}`).join('\n')}\n  logs: ${join(labDir, 'logs')}`,
  );
  step('etcd has 3 members; seeding data');
  await seedData();
  await waitForBucket();
  await writeEnvFile();
  await writeOpenShiftInventory();
  await waitFor('kube-apiserver /readyz 200 on every master', async () => (await health()).every((x) => x.apiserver === 200), 60_000);
  step('lab is up');
  return lab;
}
