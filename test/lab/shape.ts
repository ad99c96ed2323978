// Lab shapes: how the lab's control plane was built and where its certificates live, after the control planes
// tsplay meets in the field (/work/shared/docs/cluster-shapes.md §1).

/**
 * How the etcd members were created: `uniform` starts all three at once from identical manifests (every one lists
 * all members, `--initial-cluster-state=new` and a token); `grown` is what `kubeadm init` + `kubeadm join
 * --control-plane` (kubespray, DCE 5.0) leave behind: the first manifest lists only itself with no state or token
 * flag, each later one the members so far and `--initial-cluster-state=existing`, each written after a real
 * `member add`, and each master's manifest written in its own style (command or args, quoting, indentation).
 * `operator` is OpenShift 4's: etcd starts as one member and the etcd operator (the lab's stand-in) adds the other
 * masters one at a time, as learners it then promotes; the manifests name no member at all (test/lab/openshift/).
 */
export type Growth = 'uniform' | 'grown' | 'operator';

/**
 * Where the certificates are: kubespray/DCE (`/etc/kubernetes/ssl/...`, the seed's), plain kubeadm
 * (`/etc/kubernetes/pki/...`) or OpenShift 4 (`/etc/kubernetes/static-pod-resources/etcd-certs/...`, per node).
 */
export type CertLayout = 'kubespray' | 'kubeadm' | 'openshift';

/** One shape of the lab. */
export interface LabShape {
  name: string;
  growth: Growth;
  certs: CertLayout;
  /** One line for `lab:status` and docs. */
  description: string;
}

/** Every shape the lab can take (TSPLAY_LAB_SHAPE=NAME, or `npm run lab:up -- --shape NAME`). */
export const shapes: Readonly<Record<string, LabShape>> = {
  uniform: {
    name: 'uniform',
    growth: 'uniform',
    certs: 'kubespray',
    description: 'three masters started together from identical manifests, certificates in /etc/kubernetes/ssl',
  },
  dce: {
    name: 'dce',
    growth: 'grown',
    certs: 'kubespray',
    description:
      'grown one master at a time (kubeadm join, as kubespray and DCE 5.0 do), certificates in /etc/kubernetes/ssl (the DCE seed)',
  },
  kubeadm: {
    name: 'kubeadm',
    growth: 'grown',
    certs: 'kubeadm',
    description: 'grown one master at a time by kubeadm, certificates in /etc/kubernetes/pki',
  },
  openshift: {
    name: 'openshift',
    growth: 'operator',
    certs: 'openshift',
    description:
      'OpenShift 4 masters master-0..2 (core login, JSON static pods, etcd.env, no etcdctl on the PATH), members added one at a time by the etcd operator stand-in',
  },
};

/** The shape called `name`; throws listing the known ones. */
export function shapeNamed(name: string): LabShape {
  const s = shapes[name];
  if (!s) throw new Error(`unknown lab shape "${name}" (known: ${Object.keys(shapes).join(', ')})`);
  return s;
}

/** Paths of the etcd and kube-apiserver certificates inside a host, for one layout. */
export interface CertPaths {
  /** The directory mounted into the static pods. */
  dir: string;
  etcdCa: string;
  etcdCaKey: string;
  etcdServerCert: string;
  etcdServerKey: string;
  etcdPeerCert: string;
  etcdPeerKey: string;
  /** kube-apiserver's etcd client pair. */
  clientCert: string;
  clientKey: string;
  /** kubeadm's etcd health-check client pair (none in the kubespray/DCE layout). */
  healthcheckCert?: string;
  healthcheckKey?: string;
}

/** Where each layout keeps its certificates (kubeadm's names from its PKI docs; kubespray/DCE's from the seed). */
export function certPaths(layout: CertLayout): CertPaths {
  if (layout === 'openshift') {
    // every master holds every master's pairs, named after the node (NODE_NAME here); kube-apiserver's etcd client
    // pair is in each of its revision dirs (test/lab/openshift/layout.ts has the details)
    const certs = '/etc/kubernetes/static-pod-resources/etcd-certs';
    const all = `${certs}/secrets/etcd-all-certs`;
    return {
      dir: certs,
      etcdCa: `${certs}/configmaps/etcd-serving-ca/ca-bundle.crt`,
      etcdCaKey: '',
      etcdServerCert: `${all}/etcd-serving-NODE_NAME.crt`,
      etcdServerKey: `${all}/etcd-serving-NODE_NAME.key`,
      etcdPeerCert: `${all}/etcd-peer-NODE_NAME.crt`,
      etcdPeerKey: `${all}/etcd-peer-NODE_NAME.key`,
      clientCert: `${all}/etcd-peer-NODE_NAME.crt`,
      clientKey: `${all}/etcd-peer-NODE_NAME.key`,
    };
  }
  if (layout === 'kubeadm') {
    const etcd = '/etc/kubernetes/pki/etcd';
    return {
      dir: '/etc/kubernetes/pki',
      etcdCa: `${etcd}/ca.crt`,
      etcdCaKey: `${etcd}/ca.key`,
      etcdServerCert: `${etcd}/server.crt`,
      etcdServerKey: `${etcd}/server.key`,
      etcdPeerCert: `${etcd}/peer.crt`,
      etcdPeerKey: `${etcd}/peer.key`,
      clientCert: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
      clientKey: '/etc/kubernetes/pki/apiserver-etcd-client.key',
      healthcheckCert: `${etcd}/healthcheck-client.crt`,
      healthcheckKey: `${etcd}/healthcheck-client.key`,
    };
  }
  const etcd = '/etc/kubernetes/ssl/etcd';
  return {
    dir: '/etc/kubernetes/ssl',
    etcdCa: `${etcd}/ca.crt`,
    etcdCaKey: `${etcd}/ca.key`,
    etcdServerCert: `${etcd}/server.crt`,
    etcdServerKey: `${etcd}/server.key`,
    etcdPeerCert: `${etcd}/peer.crt`,
    etcdPeerKey: `${etcd}/peer.key`,
    clientCert: '/etc/kubernetes/ssl/apiserver-etcd-client.crt',
    clientKey: '/etc/kubernetes/ssl/apiserver-etcd-client.key',
  };
}
