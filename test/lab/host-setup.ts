import { appendFile, chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { closeSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostsLab, LabHost } from './hosts.js';
import { apiserverManifest, etcdManifest, type Bootstrap } from './manifests.js';
import { recordPid } from './pids.js';
import { hostPki } from './pki.js';
import { describeFailure } from './run.js';
import { hostPaths, labDir, members, repoRoot, type Member } from './topology.js';

/** A host's private files on the real machine (LabHost.dir). */
export interface HostDir {
  dir: string;
}

/** The environment lab processes get inside a host (nothing of the caller's, e.g. no NODE_TEST_CONTEXT). */
export const hostEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8' };

/** The real-machine path of a file under a host's private /etc/kubernetes. */
export const inHostEtc = (h: HostDir, path: string): string => join(h.dir, 'etc', path.replace(/^\/etc\//, ''));

/** Where a host's static-pod agent keeps its log, pod logs and pods.json. */
export const agentStateDir = (m: Member): string => join(labDir, 'logs', m.host);

/** Copies the lab PKI into the host where the shape's layout has it (/etc/kubernetes/ssl or /etc/kubernetes/pki; keys 0600). */
export async function installPki(h: HostDir, m: Member): Promise<void> {
  const p = hostPki(m);
  const files: [string, string, number][] = [
    [p.ca, hostPaths.etcdCa, 0o644],
    [p.caKey, hostPaths.etcdCaKey, 0o600],
    [p.serverCert, hostPaths.etcdServerCert, 0o644],
    [p.serverKey, hostPaths.etcdServerKey, 0o600],
    [p.peerCert, hostPaths.etcdPeerCert, 0o644],
    [p.peerKey, hostPaths.etcdPeerKey, 0o600],
    [p.clientCert, hostPaths.clientCert, 0o644],
    [p.clientKey, hostPaths.clientKey, 0o600],
  ];
  if (hostPaths.healthcheckCert && hostPaths.healthcheckKey) {
    files.push([p.healthcheckCert, hostPaths.healthcheckCert, 0o644], [p.healthcheckKey, hostPaths.healthcheckKey, 0o600]);
  }
  for (const [from, to, mode] of files) {
    const dest = inHostEtc(h, to);
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(from, dest);
    await chmod(dest, mode);
  }
}

/** Writes the member's etcd static-pod manifest into the host's /etc/kubernetes/manifests (the static-pod agent starts it). */
export async function installEtcdManifest(h: HostDir, m: Member, boot?: Bootstrap): Promise<void> {
  const dir = inHostEtc(h, hostPaths.manifests);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'etcd.yaml'), etcdManifest(m, boot));
}

/** Writes the kube-apiserver static-pod manifest into the host's /etc/kubernetes/manifests. */
export async function installApiserverManifest(h: HostDir, m: Member): Promise<void> {
  const dir = inHostEtc(h, hostPaths.manifests);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'kube-apiserver.yaml'), apiserverManifest(m));
}

/** Where the lab puts its stand-in for OpenShift's cluster-backup.sh inside each host. */
export const clusterBackupScript = '/etc/kubernetes/cluster-backup.sh';

/** Installs test/lab/cluster-backup.sh as the host's cluster-backup.sh (0755). */
export async function installClusterBackup(h: HostDir): Promise<void> {
  const dest = inHostEtc(h, clusterBackupScript);
  await copyFile(join(repoRoot, 'test/lab/cluster-backup.sh'), dest);
  await chmod(dest, 0o755);
}

/** Lets every host resolve the etcd member names of the seed (controller-node-N) and the other hosts. */
export async function installHostsEntries(h: LabHost): Promise<void> {
  const lines = members.map((m) => `${m.ip} ${m.etcdName}${m.host === h.name ? '' : ` ${m.host}`}`);
  await appendFile(join(h.dir, 'etc', 'hosts'), `${lines.join('\n')}\n`);
}

/** Deletes the member's etcd data dir inside the host (the overlay may show the real machine's /var/lib/etcd). */
export async function wipeEtcdData(lab: HostsLab, h: LabHost): Promise<void> {
  const r = await lab.execIn(h, ['rm', '-rf', hostPaths.etcdDataDir], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${h.name}: ${describeFailure({ argv: ['rm', '-rf', hostPaths.etcdDataDir], ...r })}`);
}

/** Starts the static-pod agent (our kubelet) inside the host, detached, pid recorded as `agent-hostNN`. */
export async function startAgent(lab: HostsLab, h: LabHost, m: Member): Promise<void> {
  const stateDir = agentStateDir(m);
  await mkdir(stateDir, { recursive: true });
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  const argv = [process.execPath, '--import', tsx, join(repoRoot, 'test/lab/static-pod-agent.ts'), hostPaths.manifests, stateDir];
  const out = openSync(join(stateDir, 'agent.log'), 'a');
  try {
    const child = lab.spawnIn(h, argv, { env: hostEnv, stdio: ['ignore', out, out] });
    child.unref();
    if (child.pid === undefined) throw new Error(`${h.name}: could not start the static-pod agent`);
    await recordPid(`agent-${h.name}`, child.pid, ['nsenter', '-t', String(h.nsPid), '-m', '-u', '--', ...argv]);
  } finally {
    closeSync(out);
  }
}
