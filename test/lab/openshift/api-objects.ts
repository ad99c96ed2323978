// The OpenShift API objects the lab's operator stand-in serves to `oc`: the four static-pod operators (Etcd,
// KubeAPIServer, KubeControllerManager, KubeScheduler, all named `cluster`), ClusterOperators, CSRs and Nodes, shaped
// as the real API returns them (the fields the recovery procedures read).
import type { StaticPodName } from './layout.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime: string;
}
export interface NodeStatus {
  nodeName: string;
  currentRevision: number;
  targetRevision?: number;
  lastFailedRevision?: number;
}

/** operator.openshift.io/v1 Etcd, KubeAPIServer, ...: spec.forceRedeploymentReason starts a new revision. */
export interface StaticPodOperator {
  apiVersion: 'operator.openshift.io/v1';
  kind: string;
  metadata: { name: 'cluster'; creationTimestamp: string; generation: number };
  spec: { managementState: 'Managed'; forceRedeploymentReason: string; [k: string]: unknown };
  status: { latestAvailableRevision: number; nodeStatuses: NodeStatus[]; conditions: Condition[]; readyReplicas: number };
}

export interface ClusterOperator {
  apiVersion: 'config.openshift.io/v1';
  kind: 'ClusterOperator';
  metadata: { name: string };
  status: { conditions: Condition[]; versions: { name: string; version: string }[] };
}

export interface Csr {
  apiVersion: 'certificates.k8s.io/v1';
  kind: 'CertificateSigningRequest';
  metadata: { name: string; creationTimestamp: string };
  spec: { signerName: string; username: string; usages: string[]; groups: string[] };
  status: {
    conditions?: { type: 'Approved' | 'Denied'; status: 'True'; reason: string; message: string; lastUpdateTime: string }[];
    certificate?: string;
  };
}

export interface NodeObject {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; creationTimestamp: string; labels: Record<string, string> };
  status: { conditions: Condition[]; addresses: { type: string; address: string }[]; nodeInfo: { kubeletVersion: string } };
}

/** The operator resource of each static pod, its kind, and its ClusterOperator's name. */
export const OPERATORS: Record<StaticPodName, { resource: string; kind: string; clusterOperator: string }> = {
  etcd: { resource: 'etcds', kind: 'Etcd', clusterOperator: 'etcd' },
  'kube-apiserver': { resource: 'kubeapiservers', kind: 'KubeAPIServer', clusterOperator: 'kube-apiserver' },
  'kube-controller-manager': {
    resource: 'kubecontrollermanagers',
    kind: 'KubeControllerManager',
    clusterOperator: 'kube-controller-manager',
  },
  'kube-scheduler': { resource: 'kubeschedulers', kind: 'KubeScheduler', clusterOperator: 'kube-scheduler' },
};

/** The API group of each resource (oc prints `<resource>.<group>/<name>`). */
export const GROUPS: Record<string, string> = {
  etcds: 'operator.openshift.io',
  kubeapiservers: 'operator.openshift.io',
  kubecontrollermanagers: 'operator.openshift.io',
  kubeschedulers: 'operator.openshift.io',
  clusteroperators: 'config.openshift.io',
  certificatesigningrequests: 'certificates.k8s.io',
  nodes: '',
  pods: '',
};

/** The resource a kind name on oc's command line means (singular, plural or short name). */
export function resourceFor(word: string): string | undefined {
  const w = word.toLowerCase().replace(/\..*$/, '');
  const aliases: Record<string, string> = {
    etcd: 'etcds',
    etcds: 'etcds',
    kubeapiserver: 'kubeapiservers',
    kubeapiservers: 'kubeapiservers',
    kubecontrollermanager: 'kubecontrollermanagers',
    kubecontrollermanagers: 'kubecontrollermanagers',
    kubescheduler: 'kubeschedulers',
    kubeschedulers: 'kubeschedulers',
    co: 'clusteroperators',
    clusteroperator: 'clusteroperators',
    clusteroperators: 'clusteroperators',
    csr: 'certificatesigningrequests',
    certificatesigningrequest: 'certificatesigningrequests',
    certificatesigningrequests: 'certificatesigningrequests',
    node: 'nodes',
    nodes: 'nodes',
    no: 'nodes',
    pod: 'pods',
    pods: 'pods',
    po: 'pods',
  };
  return aliases[w];
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Sets a condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(list: Condition[], c: Omit<Condition, 'lastTransitionTime'>): boolean {
  const old = list.find((x) => x.type === c.type);
  if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return false;
  const next: Condition = { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now() };
  if (old) list.splice(list.indexOf(old), 1, next);
  else list.push(next);
  return true;
}

/** A static-pod operator with every node at `revision`. */
export function newOperator(pod: StaticPodName, nodes: readonly string[], revision: number): StaticPodOperator {
  return {
    apiVersion: 'operator.openshift.io/v1',
    kind: OPERATORS[pod].kind,
    metadata: { name: 'cluster', creationTimestamp: now(), generation: 1 },
    spec: { managementState: 'Managed', forceRedeploymentReason: '' },
    status: {
      latestAvailableRevision: revision,
      nodeStatuses: nodes.map((n) => ({ nodeName: n, currentRevision: revision })),
      conditions: [],
      readyReplicas: 0,
    },
  };
}

export function newClusterOperator(name: string): ClusterOperator {
  return {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterOperator',
    metadata: { name },
    status: { conditions: [], versions: [{ name: 'operator', version: '4.14.0-lab' }] },
  };
}

export function newCsr(node: string, signer: 'kubernetes.io/kubelet-serving' | 'kubernetes.io/kube-apiserver-client-kubelet'): Csr {
  const id = Math.random().toString(36).slice(2, 7);
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: `csr-${id}`, creationTimestamp: now() },
    spec: {
      signerName: signer,
      username: signer.endsWith('serving')
        ? `system:node:${node}`
        : 'system:serviceaccount:openshift-machine-config-operator:node-bootstrapper',
      usages: signer.endsWith('serving') ? ['digital signature', 'server auth'] : ['digital signature', 'client auth'],
      groups: ['system:nodes', 'system:authenticated'],
    },
    status: {},
  };
}

/** Approves a CSR (Approved condition, a certificate issued); false when it was approved already. */
export function approve(c: Csr): boolean {
  if (c.status.conditions?.some((x) => x.type === 'Approved')) return false;
  c.status.conditions = [
    {
      type: 'Approved',
      status: 'True',
      reason: 'KubectlApprove',
      message: 'This CSR was approved by kubectl certificate approve.',
      lastUpdateTime: now(),
    },
  ];
  c.status.certificate = Buffer.from(`lab certificate for ${c.spec.username}`).toString('base64');
  return true;
}

export const isPending = (c: Csr): boolean => !c.status.conditions?.length;
export { now as timestamp };
