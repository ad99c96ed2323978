import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of this checkout (two levels above test/lab). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the lab keeps its state: PKI, S3 data, pids, logs, known_hosts, env. */
export const labDir = join(repoRoot, '.lab');
/** The generated Ansible inventory for the lab. */
export const inventoryPath = join(repoRoot, 'inventory', 'lab.yaml');

/** One control-plane node of the lab, named as in the DCE 5.0 seed procedure. */
export interface Member {
  /** 1-based index: host0N, 127.0.1.N, controller-node-N. */
  index: number;
  host: string;
  ip: string;
  etcdName: string;
}

/** The three masters host01..host03 on 127.0.1.1-3. */
export const members: readonly Member[] = [1, 2, 3].map((index) => ({
  index,
  host: `host0${index}`,
  ip: `127.0.1.${index}`,
  etcdName: `controller-node-${index}`,
}));

/** The S3 server for backups (the seed's MinIO host). */
export const s3 = {
  ip: '127.0.0.1',
  port: 9000,
  bucket: 'etcd-backup',
  region: 'us-east-1',
  // The seed's example credentials (AWS documentation sample keys), fixed for the lab.
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
} as const;

/** The S3 endpoint URL the lab exports. */
export const s3Endpoint = `http://${s3.ip}:${s3.port}`;

/** Paths inside every host, exactly where the seed procedure has them. */
export const hostPaths = {
  manifests: '/etc/kubernetes/manifests',
  ssl: '/etc/kubernetes/ssl',
  etcdCa: '/etc/kubernetes/ssl/etcd/ca.crt',
  etcdCaKey: '/etc/kubernetes/ssl/etcd/ca.key',
  etcdServerCert: '/etc/kubernetes/ssl/etcd/server.crt',
  etcdServerKey: '/etc/kubernetes/ssl/etcd/server.key',
  etcdPeerCert: '/etc/kubernetes/ssl/etcd/peer.crt',
  etcdPeerKey: '/etc/kubernetes/ssl/etcd/peer.key',
  clientCert: '/etc/kubernetes/ssl/apiserver-etcd-client.crt',
  clientKey: '/etc/kubernetes/ssl/apiserver-etcd-client.key',
  etcdDataDir: '/var/lib/etcd',
} as const;

/** The etcd client URL of a member. */
export const clientUrl = (m: Member): string => `https://${m.ip}:2379`;
/** The etcd peer URL of a member. */
export const peerUrl = (m: Member): string => `https://${m.ip}:2380`;
/** `--initial-cluster` for the whole lab. */
export const initialCluster = (): string => members.map((m) => `${m.etcdName}=${peerUrl(m)}`).join(',');
/** The key the seed writes and the apiserver stand-in requires to report healthy. */
export const sentinelKey = '/registry/lab/sentinel';
