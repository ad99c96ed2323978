import { stringify } from 'yaml';
import { clientUrl, hostPaths, initialCluster, peerUrl, repoRoot, type Member } from './topology.js';

/** The cluster token of the lab's first bootstrap (a restore must choose a fresh one). */
export const initialClusterToken = 'tsplay-lab-etcd';

/** Extra environment etcd 3.4 needs on architectures it does not officially support. */
function etcdEnv(): { name: string; value: string }[] {
  const arch = process.arch === 'x64' ? undefined : process.arch;
  return arch ? [{ name: 'ETCD_UNSUPPORTED_ARCH', value: arch }] : [];
}

const hostPath = (name: string, path: string, type: string) => ({ name, hostPath: { path, type } });

/** A kubeadm-style static Pod manifest for the member's etcd (TLS for clients and peers). */
export function etcdManifest(m: Member): string {
  const command = [
    'etcd',
    `--name=${m.etcdName}`,
    `--data-dir=${hostPaths.etcdDataDir}`,
    `--listen-client-urls=${clientUrl(m)}`,
    `--advertise-client-urls=${clientUrl(m)}`,
    `--listen-peer-urls=${peerUrl(m)}`,
    `--initial-advertise-peer-urls=${peerUrl(m)}`,
    `--initial-cluster=${initialCluster()}`,
    '--initial-cluster-state=new',
    `--initial-cluster-token=${initialClusterToken}`,
    `--cert-file=${hostPaths.etcdServerCert}`,
    `--key-file=${hostPaths.etcdServerKey}`,
    `--trusted-ca-file=${hostPaths.etcdCa}`,
    '--client-cert-auth=true',
    `--peer-cert-file=${hostPaths.etcdPeerCert}`,
    `--peer-key-file=${hostPaths.etcdPeerKey}`,
    `--peer-trusted-ca-file=${hostPaths.etcdCa}`,
    '--peer-client-cert-auth=true',
    `--listen-metrics-urls=http://${m.ip}:2381`,
    '--snapshot-count=10000',
    '--experimental-initial-corrupt-check=true',
  ];
  return stringify(pod('etcd', m, {
    image: 'registry.k8s.io/etcd:3.4.23-0',
    command,
    env: etcdEnv(),
    livenessProbe: { httpGet: { host: m.ip, path: '/health', port: 2381, scheme: 'HTTP' } },
    volumeMounts: [{ name: 'etcd-data', mountPath: hostPaths.etcdDataDir }, { name: 'etcd-certs', mountPath: '/etc/kubernetes/ssl' }],
  }, [hostPath('etcd-data', hostPaths.etcdDataDir, 'DirectoryOrCreate'), hostPath('etcd-certs', '/etc/kubernetes/ssl', 'DirectoryOrCreate')]));
}

/** A kube-apiserver static Pod manifest whose process is the lab's apiserver stand-in. */
export function apiserverManifest(m: Member): string {
  const command = [
    'node', '--import', 'tsx', 'test/lab/apiserver-standin.ts',
    `--advertise-address=${m.ip}`,
    '--secure-port=6443',
    `--etcd-servers=${clientUrl(m)}`,
    `--etcd-cafile=${hostPaths.etcdCa}`,
    `--etcd-certfile=${hostPaths.clientCert}`,
    `--etcd-keyfile=${hostPaths.clientKey}`,
  ];
  return stringify(pod('kube-apiserver', m, {
    image: 'registry.k8s.io/kube-apiserver:v1.25.4',
    command,
    workingDir: repoRoot,
    readinessProbe: { httpGet: { host: m.ip, path: '/readyz', port: 6443, scheme: 'HTTP' } },
    volumeMounts: [{ name: 'k8s-certs', mountPath: '/etc/kubernetes/ssl', readOnly: true }],
  }, [hostPath('k8s-certs', '/etc/kubernetes/ssl', 'DirectoryOrCreate')]));
}

function pod(name: string, m: Member, container: Record<string, unknown>, volumes: unknown[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'kube-system',
      labels: { component: name, tier: 'control-plane' },
      annotations: { 'tsplay.lab/node': m.etcdName },
    },
    spec: {
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      terminationGracePeriodSeconds: 10,
      containers: [{ name, ...container }],
      volumes,
    },
  };
}
