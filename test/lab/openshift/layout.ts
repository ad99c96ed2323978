// Where things are on an OpenShift 4 master (cluster-shapes.md §2, after openshift/cluster-etcd-operator's bindata/etcd
// and the OpenShift docs), and how the operator names per-node environment variables. Paths are inside a host.

/** Static pod resources: revision dirs `<name>-pod-<N>`, the `etcd-certs` tree and `bin` (where dl_etcdctl puts etcdctl). */
export const RESOURCES = '/etc/kubernetes/static-pod-resources';
/** kubelet's static pod manifests. */
export const MANIFESTS = '/etc/kubernetes/manifests';
/** The etcd certificates and config maps the cert syncer keeps on every master. */
export const ETCD_CERTS = `${RESOURCES}/etcd-certs`;
/** What the etcd pods see ETCD_CERTS as (and what etcd.env names). */
export const IN_POD_CERTS = '/etc/kubernetes/static-pod-certs';
/** etcd.env, etcd-common-tools, cluster-backup.sh, cluster-restore.sh. */
export const SCRIPTS = `${ETCD_CERTS}/configmaps/etcd-scripts`;
/** Where dl_etcdctl copies etcdctl to. */
export const BIN = `${RESOURCES}/bin`;
/** The restore pod cluster-restore.sh starts. */
export const RESTORE_POD = `${ETCD_CERTS}/configmaps/restore-etcd-pod/pod.yaml`;
/** The kubeconfigs a master keeps for talking to its own kube-apiserver. */
export const NODE_KUBECONFIGS = `${RESOURCES}/kube-apiserver-certs/secrets/node-kubeconfigs`;
/** The kubeconfig `oc` uses on a master during a recovery. */
export const RECOVERY_KUBECONFIG = `${NODE_KUBECONFIGS}/localhost-recovery.kubeconfig`;
/** cluster-restore.sh's places. */
export const MANIFESTS_STOPPED = '/home/core/assets/manifests-stopped';
export const DATA_DIR = '/var/lib/etcd';
export const DATA_DIR_BACKUP = '/var/lib/etcd-backup';

/** The four static pods an OpenShift master runs, by operator. */
export const STATIC_PODS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export type StaticPodName = (typeof STATIC_PODS)[number];

/** The containers of each static pod, as the real pods name them (crictl's io.kubernetes.container.name). */
export const CONTAINERS: Record<StaticPodName, readonly string[]> = {
  etcd: ['etcdctl', 'etcd', 'etcd-metrics', 'etcd-readyz'],
  'kube-apiserver': ['kube-apiserver', 'kube-apiserver-check-endpoints'],
  'kube-controller-manager': ['kube-controller-manager'],
  'kube-scheduler': ['kube-scheduler'],
};

/** `<name>-pod.yaml` in the manifests dir. */
export const manifestFile = (pod: StaticPodName): string => `${pod}-pod.yaml`;
/** The revision dir of a static pod. */
export const revisionDir = (pod: StaticPodName, revision: number): string => `${RESOURCES}/${pod}-pod-${revision}`;

/** A node name as the operator puts it into env var names: `-` and `.` become `_` (envVarSafe). */
export const envVarSafe = (node: string): string => node.replaceAll('-', '_').replaceAll('.', '_');

/** One OpenShift master of the lab. */
export interface OsNode {
  name: string;
  ip: string;
}

/** The etcd certificate files of one node in etcd-all-certs (every master holds every node's). */
export function nodeCerts(
  node: string,
  root = ETCD_CERTS,
): { servingCrt: string; servingKey: string; peerCrt: string; peerKey: string; metricsCrt: string; metricsKey: string } {
  const d = `${root}/secrets/etcd-all-certs`;
  return {
    servingCrt: `${d}/etcd-serving-${node}.crt`,
    servingKey: `${d}/etcd-serving-${node}.key`,
    peerCrt: `${d}/etcd-peer-${node}.crt`,
    peerKey: `${d}/etcd-peer-${node}.key`,
    metricsCrt: `${d}/etcd-serving-metrics-${node}.crt`,
    metricsKey: `${d}/etcd-serving-metrics-${node}.key`,
  };
}

/** The CA bundles in etcd-certs/configmaps. */
export function caBundles(root = ETCD_CERTS): { serving: string; peer: string; metrics: string } {
  return {
    serving: `${root}/configmaps/etcd-serving-ca/ca-bundle.crt`,
    peer: `${root}/configmaps/etcd-peer-client-ca/ca-bundle.crt`,
    metrics: `${root}/configmaps/etcd-metrics-proxy-serving-ca/ca-bundle.crt`,
  };
}

/** The etcd image the lab's etcd.env names (a reference only; the lab maps it to a local directory). */
export const ETCD_IMAGE =
  'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:1a9e4f2c0d3b5a7e9c1f3b5d7a9c1e3f5b7d9a1c3e5f7b9d1a3c5e7f9b1d3a5c';
/** The operator image (the readyz container); the lab runs its own stand-ins in it. */
export const OPERATOR_IMAGE =
  'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:7c5a3e1f9d7b5c3a1e9f7d5b3c1a9e7f5d3b1c9a7e5f3d1b9c7a5e3f1d9b7c5a';
