// Makes a lab host look like an OpenShift 4 master (cluster-shapes.md §2): the etcd-certs tree with the real file
// names, etcd-scripts (etcd.env, etcd-common-tools, cluster-backup.sh, cluster-restore.sh), the restore pod, the
// node kubeconfigs, the first revision of each static pod and its manifest; `oc`, `crictl` and `systemctl` (kubelet
// only) in a private /usr/local/bin; no etcd, etcdctl or etcdutl on the PATH (they exist only in the lab's copy of the
// etcd image, where the pods and dl_etcdctl find them).
import { chmod, copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { etcdEnvFile } from './etcd-env.js';
import {
  ETCD_CERTS,
  ETCD_IMAGE,
  NODE_KUBECONFIGS,
  OPERATOR_IMAGE,
  RESTORE_POD,
  SCRIPTS,
  caBundles,
  nodeCerts,
  type OsNode,
} from './layout.js';
import { restoreEtcdPod } from './pods.js';
import { onMachine, type LabNode, type RevisionInputs } from './revisions.js';

const here = dirname(fileURLToPath(import.meta.url));

/** One node's certificate files on the controller (the lab PKI). */
export interface NodePki {
  serverCert: string;
  serverKey: string;
  peerCert: string;
  peerKey: string;
}

/** Where the lab keeps its images: <labDir>/images/<dir>/bin, indexed by image reference. */
export const imagesDir = (labDir: string): string => join(labDir, 'images');

async function copy(from: string, to: string, mode: number): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
  await chmod(to, mode);
}

async function write(to: string, text: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await writeFile(to, text, { mode });
  await chmod(to, mode);
}

/** The TypeScript stand-ins run inside the hosts, bundled into one plain module each (node starts them in ~0.1 s, tsx in ~1 s). */
const STAND_INS = ['oc', 'crictl', 'discover-etcd-initial-cluster'] as const;
type StandIn = (typeof STAND_INS)[number];

/** Where the bundled stand-ins are. */
const standInFile = (labDir: string, name: StandIn): string => join(labDir, 'stand-ins', `${name}.mjs`);

/** Bundles test/lab/openshift/<name>.ts for every stand-in that runs inside the hosts (esbuild, as `npm run build` does). */
export async function bundleStandIns(labDir: string): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: Object.fromEntries(STAND_INS.map((n) => [n, join(here, `${n}.ts`)])),
    outdir: join(labDir, 'stand-ins'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __labRequire } from 'node:module'; const require = __labRequire(import.meta.url);" },
  });
}

/** `#!/bin/sh` that runs one of the lab's bundled stand-ins with node, with a fixed environment. */
function wrapper(labDir: string, name: StandIn, env: Record<string, string>): string {
  const vars = Object.entries(env)
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ');
  return `#!/bin/sh\n# tsplay lab stand-in: ${name} (test/lab/openshift/${name}.ts)\n${vars ? `${vars} ` : ''}exec ${process.execPath} ${standInFile(labDir, name)} "$@"\n`;
}

/**
 * The lab's local copies of the two images the pods name: the etcd image (etcd, etcdctl and the lab's
 * discover-etcd-initial-cluster in bin/) and the operator image (nothing the lab needs). Copied from the machine's
 * etcd once and kept; index.json (for the kubelet) and index.tsv (for dl_etcdctl) map references to directories.
 */
export async function ensureImages(labDir: string): Promise<void> {
  const dir = imagesDir(labDir);
  for (const tool of ['etcd', 'etcdctl', 'etcdutl']) {
    const src = `/usr/bin/${tool}`;
    const s = await stat(src).catch(() => undefined);
    if (!s) continue;
    const dest = join(dir, 'etcd', 'bin', tool);
    const d = await stat(dest).catch(() => undefined);
    if (!d || d.size !== s.size || d.mtimeMs < s.mtimeMs) await copy(src, dest, 0o755);
  }
  await write(join(dir, 'etcd', 'bin', 'discover-etcd-initial-cluster'), wrapper(labDir, 'discover-etcd-initial-cluster', {}), 0o755);
  await mkdir(join(dir, 'operator', 'bin'), { recursive: true });
  await write(join(dir, 'index.json'), JSON.stringify({ [ETCD_IMAGE]: 'etcd', [OPERATOR_IMAGE]: 'operator' }, null, 2));
  await write(join(dir, 'index.tsv'), `${ETCD_IMAGE}\tetcd\n${OPERATOR_IMAGE}\toperator\n`);
}

/** A kubeconfig for a master's own kube-apiserver (the lab's stand-in speaks plain HTTP on the node's address). */
function kubeconfig(node: OsNode, user: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: http://${node.ip}:6443
  name: ${user}
contexts:
- context:
    cluster: ${user}
    user: system:admin
  name: system:admin
current-context: system:admin
users:
- name: system:admin
  user:
    client-certificate-data: bGFi
    client-key-data: bGFi
`;
}

/** Everything under /etc/kubernetes that is not a revision: etcd-certs (for every node), etcd-scripts, restore pod, kubeconfigs. */
export async function installMaster(
  n: LabNode,
  nodes: readonly OsNode[],
  pki: (node: string) => NodePki,
  inputs: RevisionInputs,
  labDir: string,
): Promise<void> {
  const at = (path: string): string => onMachine(n, path);
  const ca = caBundles(ETCD_CERTS);
  for (const bundle of [ca.serving, ca.peer, ca.metrics]) await copy(inputs.ca, at(bundle), 0o644);
  for (const other of nodes) {
    const p = pki(other.name);
    const c = nodeCerts(other.name, ETCD_CERTS);
    await copy(p.serverCert, at(c.servingCrt), 0o644);
    await copy(p.serverKey, at(c.servingKey), 0o600);
    await copy(p.peerCert, at(c.peerCrt), 0o644);
    await copy(p.peerKey, at(c.peerKey), 0o600);
    await copy(p.serverCert, at(c.metricsCrt), 0o644);
    await copy(p.serverKey, at(c.metricsKey), 0o600);
  }
  await write(at(`${SCRIPTS}/etcd.env`), etcdEnvFile(inputs.env));
  const tools = (await readFile(join(here, 'scripts', 'etcd-common-tools'), 'utf8')).replaceAll('@LAB_IMAGES@', imagesDir(labDir));
  await write(at(`${SCRIPTS}/etcd-common-tools`), tools);
  for (const s of ['cluster-backup.sh', 'cluster-restore.sh']) await copy(join(here, 'scripts', s), at(`${SCRIPTS}/${s}`), 0o755);
  await write(
    at(RESTORE_POD),
    restoreEtcdPod({ node: { name: n.name, ip: n.ip }, revision: 0, env: inputs.env, repoRoot: inputs.repoRoot }),
  );
  for (const k of ['localhost', 'localhost-recovery', 'lb-int', 'lb-ext'])
    await write(at(`${NODE_KUBECONFIGS}/${k}.kubeconfig`), kubeconfig(n, k), 0o600);
}

/** The private /usr/local/bin of a master (bind-mounted over the machine's): oc, crictl and the kubelet-only systemctl. */
export async function writeUsrLocalBin(dir: string, n: LabNode, apiPort: number, labDir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await write(join(dir, 'oc'), wrapper(labDir, 'oc', { LAB_API: `http://127.0.0.1:${apiPort}` }), 0o755);
  await write(join(dir, 'crictl'), wrapper(labDir, 'crictl', { LAB_KUBELET_STATE: n.kubeletState, LAB_NODE_NAME: n.name }), 0o755);
  await write(join(dir, 'systemctl'), systemctl(n.kubeletState), 0o755);
}

/** systemctl for the one unit the recovery procedure touches: the lab kubelet (restart = SIGHUP: its pods keep running). */
function systemctl(state: string): string {
  return `#!/bin/sh
# tsplay lab stand-in: systemctl for kubelet.service only (the lab's hosts have no systemd)
set -eu
state='${state}/kubelet.json'
pid() { sed -n 's/.*"pid": *\\([0-9][0-9]*\\).*/\\1/p' "$state" 2>/dev/null | head -n1; }
restarts() { sed -n 's/.*"restarts": *\\([0-9][0-9]*\\).*/\\1/p' "$state" 2>/dev/null | head -n1; }
unit=
verb=
for a in "$@"; do
  case "$a" in
    -*) ;;
    kubelet|kubelet.service) unit=kubelet ;;
    *) if [ -z "$verb" ]; then verb=$a; else echo "Unit $a not found (the lab knows kubelet.service only)." >&2; exit 5; fi ;;
  esac
done
case "$verb" in
  daemon-reload) exit 0 ;;
esac
[ "$unit" = kubelet ] || { echo "systemctl (tsplay lab): only kubelet.service is known" >&2; exit 5; }
p=$(pid)
alive() { [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
case "$verb" in
  restart|try-restart|reload-or-restart)
    alive || { echo "Job for kubelet.service failed: the lab kubelet is not running." >&2; exit 1; }
    before=$(restarts)
    kill -HUP "$p"
    i=0; while [ "$(restarts)" = "$before" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done ;;
  is-active) if alive; then echo active; else echo inactive; exit 3; fi ;;
  status)
    if alive; then echo "* kubelet.service - Kubernetes Kubelet (tsplay lab static-pod agent)"; echo "     Active: active (running); Main PID: $p; restarts: $(restarts)"
    else echo "* kubelet.service - Kubernetes Kubelet (tsplay lab static-pod agent)"; echo "     Active: inactive (dead)"; exit 3; fi ;;
  start) alive || { echo "the lab kubelet is not running and cannot be started from inside the host (npm run lab:up)" >&2; exit 1; } ;;
  *) echo "systemctl (tsplay lab): $verb is not supported for kubelet.service" >&2; exit 1 ;;
esac
`;
}
