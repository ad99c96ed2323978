// What the operators' installers leave on a master for one static pod revision: the revision dir
// static-pod-resources/<name>-pod-<N>/ (the manifest, its config maps and secrets) and the manifest in
// /etc/kubernetes/manifests. Written from outside the hosts, through each host's private /etc/kubernetes on the machine.
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MANIFESTS, manifestFile, revisionDir, type OsNode, type StaticPodName } from './layout.js';
import { apiserverEtcdFiles, staticPod } from './pods.js';

/** A master as the lab's controller side sees it: its node and where its private files are on this machine. */
export interface LabNode extends OsNode {
  /** The host's dir (LabHost.dir): its /etc/kubernetes is <hostDir>/etc/kubernetes. */
  hostDir: string;
  /** The lab kubelet's state dir (pods.json, kubelet.json, pod logs). */
  kubeletState: string;
}

/** The files a revision needs from outside: etcd.env's variables, the checkout, the CA and kube-apiserver's etcd client pair. */
export interface RevisionInputs {
  env: Record<string, string>;
  repoRoot: string;
  ca: string;
  clientCert: string;
  clientKey: string;
}

/** The real-machine path of a path inside a host's /etc/kubernetes. */
export const onMachine = (n: LabNode, path: string): string => join(n.hostDir, 'etc', path.replace(/^\/etc\//, ''));

/** Writes a file atomically (a dot-named temporary beside it, which kubelet ignores, then a rename). */
async function put(path: string, content: string | Buffer, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${Date.now()}-${process.pid}.tmp`);
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/** The manifest of a static pod at a revision on a node. */
export function manifestOf(pod: StaticPodName, n: LabNode, revision: number, inputs: RevisionInputs): string {
  return staticPod(pod, { node: { name: n.name, ip: n.ip }, revision, env: inputs.env, repoRoot: inputs.repoRoot });
}

/** SHA-256 of a manifest's text (what the lab kubelet reports as the `hash` of the pod it runs). */
export const manifestHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Creates static-pod-resources/<name>-pod-<N>/ on a node: the manifest, the pod config map, and kube-apiserver's etcd client files. */
export async function writeRevision(
  pod: StaticPodName,
  n: LabNode,
  revision: number,
  reason: string,
  inputs: RevisionInputs,
): Promise<void> {
  const dir = onMachine(n, revisionDir(pod, revision));
  const manifest = manifestOf(pod, n, revision, inputs);
  await put(join(dir, manifestFile(pod)), manifest);
  await put(join(dir, 'configmaps', `${pod}-pod`, 'pod.yaml'), manifest);
  await put(join(dir, 'configmaps', `${pod}-pod`, 'version'), `${revision}\n`);
  await put(join(dir, 'configmaps', `${pod}-pod`, 'forceRedeploymentReason'), reason);
  if (pod === 'kube-apiserver') {
    await mkdir(join(dir, dirname(apiserverEtcdFiles.ca)), { recursive: true });
    await copyFile(inputs.ca, join(dir, apiserverEtcdFiles.ca));
    await mkdir(join(dir, dirname(apiserverEtcdFiles.cert)), { recursive: true });
    await copyFile(inputs.clientCert, join(dir, apiserverEtcdFiles.cert));
    await copyFile(inputs.clientKey, join(dir, apiserverEtcdFiles.key));
    await chmod(join(dir, apiserverEtcdFiles.key), 0o600);
  }
}

/** Installs a revision's manifest into the node's manifests dir (what the installer pod does); returns its hash. */
export async function installRevision(pod: StaticPodName, n: LabNode, revision: number, inputs: RevisionInputs): Promise<string> {
  const manifest = manifestOf(pod, n, revision, inputs);
  await put(onMachine(n, `${MANIFESTS}/${manifestFile(pod)}`), manifest);
  return manifestHash(manifest);
}
