import { stringify, type ToStringOptions } from 'yaml';
import { clientUrl, hostPaths, initialCluster, members, peerUrl, repoRoot, shape, type Member } from './topology.js';

/** The cluster token of the lab's first bootstrap (a restore must choose a fresh one). */
export const initialClusterToken = 'tsplay-lab-etcd';

/** Extra environment etcd 3.4 needs on architectures it does not officially support. */
function etcdEnv(): { name: string; value: string }[] {
  const arch = process.arch === 'x64' ? undefined : process.arch;
  return arch ? [{ name: 'ETCD_UNSUPPORTED_ARCH', value: arch }] : [];
}

const hostPath = (name: string, path: string, type: string) => ({ name, hostPath: { path, type } });

/**
 * How a member is started the first time: with every member at once (the uniform shape), or, in a grown control
 * plane, with the members that existed when it joined (itself included), `existing` for every member but the first.
 */
export interface Bootstrap {
  members: readonly Member[];
  state: 'new' | 'existing';
}

/** The uniform shape's bootstrap: all members, a new cluster. */
export const allAtOnce: Bootstrap = { members, state: 'new' };

/** The etcd flags of a member, in kubeadm's order; the initial-cluster flags follow the shape. */
function etcdFlags(m: Member, boot: Bootstrap): Array<[flag: string, value: string]> {
  const grown = shape.growth === 'grown';
  return [
    ['name', m.etcdName],
    ['data-dir', hostPaths.etcdDataDir],
    ['listen-client-urls', clientUrl(m)],
    ['advertise-client-urls', clientUrl(m)],
    ['listen-peer-urls', peerUrl(m)],
    ['initial-advertise-peer-urls', peerUrl(m)],
    ['initial-cluster', initialCluster(boot.members)],
    // kubeadm writes no state flag for the first member (etcd's default is new) and no token at all
    ...(grown && boot.state === 'new' ? [] : [['initial-cluster-state', boot.state] as [string, string]]),
    ...(grown ? [] : [['initial-cluster-token', initialClusterToken] as [string, string]]),
    ['cert-file', hostPaths.etcdServerCert],
    ['key-file', hostPaths.etcdServerKey],
    ['trusted-ca-file', hostPaths.etcdCa],
    ['client-cert-auth', 'true'],
    ['peer-cert-file', hostPaths.etcdPeerCert],
    ['peer-key-file', hostPaths.etcdPeerKey],
    ['peer-trusted-ca-file', hostPaths.etcdCa],
    ['peer-client-cert-auth', 'true'],
    ['listen-metrics-urls', `http://${m.ip}:2381`],
    ['snapshot-count', '10000'],
    ['experimental-initial-corrupt-check', 'true'],
  ];
}

/**
 * How a grown control plane's manifests differ from master to master, as real ones do (written by different kubeadm
 * versions or edited by hand): the first as kubeadm writes it (`command:` with every flag), the second with
 * `command: [etcd]` and the flags under `args:`, indented by 4, the third with double-quoted values and some flags
 * given as two items (`--name`, `VALUE`).
 */
function styled(m: Member, flags: Array<[string, string]>): { container: Record<string, unknown>; options: ToStringOptions } {
  const joined = flags.map(([k, v]) => `--${k}=${v}`);
  if (shape.growth === 'uniform' || m.index === 1) return { container: { command: ['etcd', ...joined] }, options: {} };
  if (m.index === 2) return { container: { command: ['etcd'], args: joined }, options: { indent: 4, lineWidth: 0 } };
  const split = new Set(['name', 'data-dir', 'initial-cluster']);
  return {
    container: { command: ['etcd', ...flags.flatMap(([k, v]) => (split.has(k) ? [`--${k}`, v] : [`--${k}=${v}`]))] },
    options: { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 },
  };
}

/** A kubeadm-style static Pod manifest for the member's etcd (TLS for clients and peers), shaped by the lab's shape. */
export function etcdManifest(m: Member, boot: Bootstrap = allAtOnce): string {
  const { container, options } = styled(m, etcdFlags(m, boot));
  return stringify(
    pod(
      'etcd',
      m,
      {
        image: 'registry.k8s.io/etcd:3.4.23-0',
        ...container,
        env: etcdEnv(),
        livenessProbe: { httpGet: { host: m.ip, path: '/health', port: 2381, scheme: 'HTTP' } },
        volumeMounts: [
          { name: 'etcd-data', mountPath: hostPaths.etcdDataDir },
          { name: 'etcd-certs', mountPath: hostPaths.dir },
        ],
      },
      [hostPath('etcd-data', hostPaths.etcdDataDir, 'DirectoryOrCreate'), hostPath('etcd-certs', hostPaths.dir, 'DirectoryOrCreate')],
    ),
    options,
  );
}

/** A kube-apiserver static Pod manifest whose process is the lab's apiserver stand-in. */
export function apiserverManifest(m: Member): string {
  const command = [
    'node',
    '--import',
    'tsx',
    'test/lab/apiserver-standin.ts',
    `--advertise-address=${m.ip}`,
    '--secure-port=6443',
    `--etcd-servers=${clientUrl(m)}`,
    `--etcd-cafile=${hostPaths.etcdCa}`,
    `--etcd-certfile=${hostPaths.clientCert}`,
    `--etcd-keyfile=${hostPaths.clientKey}`,
  ];
  return stringify(
    pod(
      'kube-apiserver',
      m,
      {
        image: 'registry.k8s.io/kube-apiserver:v1.25.4',
        command,
        workingDir: repoRoot,
        readinessProbe: { httpGet: { host: m.ip, path: '/readyz', port: 6443, scheme: 'HTTP' } },
        volumeMounts: [{ name: 'k8s-certs', mountPath: hostPaths.dir, readOnly: true }],
      },
      [hostPath('k8s-certs', hostPaths.dir, 'DirectoryOrCreate')],
    ),
  );
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
