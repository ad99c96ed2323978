import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certPaths, shapeNamed, type LabShape } from './shape.js';

/** Root of this checkout (two levels above test/lab). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * One independent lab on this machine: its own state dir, inventory, host addresses and S3 port, so two
 * labs (e.g. the shared default one and a fault-injection suite's) can run at the same time.
 */
export interface LabInstance {
  /** '' for the default lab; else the value of TSPLAY_LAB. */
  name: string;
  /** State dir (PKI, S3 data, pids, logs, known_hosts, env). */
  dir: string;
  /** The generated Ansible inventory. */
  inventory: string;
  /** Last octet of host01's address (127.0.1.N); host02/03 follow. */
  firstHost: number;
  s3Port: number;
  /** The shape of its control plane: TSPLAY_LAB_SHAPE, else the instance's own (uniform for the default lab). */
  shape: LabShape;
}

/** Named instances (TSPLAY_LAB=name). Addresses and ports must not overlap with any other lab's. */
const instances: Record<string, { firstHost: number; s3Port: number; shape: string }> = {
  '': { firstHost: 1, s3Port: 9000, shape: 'uniform' },
  // test/integration/shapes/*: one lab per shape, reused across the shape's drill file
  dce: { firstHost: 11, s3Port: 9011, shape: 'dce' },
  kubeadm: { firstHost: 16, s3Port: 9016, shape: 'kubeadm' },
  // test/integration/demo.test.ts: `npm run demo` end to end
  demo: { firstHost: 26, s3Port: 9026, shape: 'uniform' },
  // bench/downtime.ts and bench/soak.ts (npm run bench), never at the same time as npm test's own instances
  bench: { firstHost: 36, s3Port: 9036, shape: 'uniform' },
  // test/integration/faults.test.ts: 127.0.1.61-63, S3 on 9061
  faults: { firstHost: 61, s3Port: 9061, shape: 'uniform' },
  // test/integration/openshift.test.ts: OpenShift-shaped masters on 127.0.1.71-73, S3 on 9071, the operators' API on 9072
  openshift: { firstHost: 71, s3Port: 9071, shape: 'openshift' },
};

/**
 * The instance this process works on: TSPLAY_LAB (unset or empty: the default lab in .lab/ and inventory/lab.yaml),
 * in the shape TSPLAY_LAB_SHAPE names (unset: the instance's own).
 */
export function labInstance(
  name: string = process.env['TSPLAY_LAB'] ?? '',
  shape: string | undefined = process.env['TSPLAY_LAB_SHAPE'] || undefined,
): LabInstance {
  const known = instances[name];
  if (!known)
    throw new Error(
      `TSPLAY_LAB=${name}: unknown lab instance (known: ${Object.keys(instances).filter(Boolean).join(', ')}; unset for the default lab)`,
    );
  const dir = join(repoRoot, name ? `.lab-${name}` : '.lab');
  return {
    name,
    dir,
    inventory: name ? join(dir, 'inventory.yaml') : join(repoRoot, 'inventory', 'lab.yaml'),
    firstHost: known.firstHost,
    s3Port: known.s3Port,
    shape: shapeNamed(shape ?? known.shape),
  };
}

/** The lab instance of this process (fixed when this module is first loaded). */
export const instance = labInstance();
/** The shape of this process's lab. */
export const shape = instance.shape;
/** This lab is shaped as OpenShift 4 masters (test/lab/openshift/). */
export const openshift = shape.name === 'openshift';
/** Where the OpenShift shape's operator stand-in serves its API (127.0.0.1). */
export const openshiftApiPort = instance.s3Port + 1;
/** Where the lab keeps its state: PKI, S3 data, pids, logs, known_hosts, env (.lab, or .lab-NAME for TSPLAY_LAB=NAME). */
export const labDir = instance.dir;
/** The generated Ansible inventory for the lab (inventory/lab.yaml, or .lab-NAME/inventory.yaml). */
export const inventoryPath = instance.inventory;

/** One control-plane node of the lab, named as in the DCE 5.0 seed procedure. */
export interface Member {
  /** 1-based index: host0N, 127.0.1.N, controller-node-N. */
  index: number;
  host: string;
  ip: string;
  etcdName: string;
}

/** The three masters host01..host03 on 127.0.1.1-3 (another instance: 127.0.1.F..F+2). */
export const members: readonly Member[] = [1, 2, 3].map((index) => ({
  index,
  // OpenShift names masters (and their etcd members) after their nodes
  host: openshift ? `master-${index - 1}` : `host0${index}`,
  ip: `127.0.1.${instance.firstHost + index - 1}`,
  // the seed's member names; plain kubeadm names a member after its node (here not the lab's host name either);
  // OpenShift names masters and their etcd members after their nodes
  etcdName: openshift ? `master-${index - 1}` : shape.certs === 'kubeadm' ? `k8s-master-${index}` : `controller-node-${index}`,
}));

/** The S3 server for backups (the seed's MinIO host). */
export const s3 = {
  ip: '127.0.0.1',
  port: instance.s3Port,
  bucket: 'etcd-backup',
  region: 'us-east-1',
  // The seed's example credentials (AWS documentation sample keys), fixed for the lab.
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
} as const;

/** The S3 endpoint URL the lab exports. */
export const s3Endpoint = `http://${s3.ip}:${s3.port}`;

/** Paths inside every host: the manifests and data dir where the seed has them, certificates where the shape's layout puts them. */
export const hostPaths = {
  manifests: '/etc/kubernetes/manifests',
  etcdDataDir: '/var/lib/etcd',
  ...certPaths(shape.certs),
} as const;

/** The etcd client URL of a member. */
export const clientUrl = (m: Member): string => `https://${m.ip}:2379`;
/** The etcd peer URL of a member. */
export const peerUrl = (m: Member): string => `https://${m.ip}:2380`;
/** `--initial-cluster` for the given members (default: the whole lab). */
export const initialCluster = (of: readonly Member[] = members): string => of.map((m) => `${m.etcdName}=${peerUrl(m)}`).join(',');
/** The key the seed writes and the apiserver stand-in requires to report healthy. */
export const sentinelKey = '/registry/lab/sentinel';
