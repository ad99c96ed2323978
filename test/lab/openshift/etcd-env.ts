// etcd.env as the etcd operator writes it into the etcd-scripts config map: one `export KEY="value"` line per variable,
// sorted by key, values quoted like Go's %q; per master NODE_<name>_IP, NODE_<name>_ETCD_NAME and NODE_<name>_ETCD_URL_HOST
// (envVarSafe names). The client certificate paths keep the operator's NODE_NAME placeholder and are the pods' paths
// (/etc/kubernetes/static-pod-certs/...), not the host's: whoever uses them on a host has to map them.
import { DATA_DIR, ETCD_IMAGE, IN_POD_CERTS, envVarSafe, type OsNode } from './layout.js';

/** Every variable of etcd.env for these masters. */
export function etcdEnvVars(nodes: readonly OsNode[], image = ETCD_IMAGE): Record<string, string> {
  const endpoints = nodes
    .map((n) => `https://${n.ip}:2379`)
    .sort()
    .join(',');
  const vars: Record<string, string> = {
    ALL_ETCD_ENDPOINTS: endpoints,
    ETCDCTL_API: '3',
    ETCDCTL_CACERT: `${IN_POD_CERTS}/configmaps/etcd-serving-ca/ca-bundle.crt`,
    ETCDCTL_CERT: `${IN_POD_CERTS}/secrets/etcd-all-certs/etcd-peer-NODE_NAME.crt`,
    ETCDCTL_KEY: `${IN_POD_CERTS}/secrets/etcd-all-certs/etcd-peer-NODE_NAME.key`,
    ETCDCTL_ENDPOINTS: endpoints,
    ETCD_DATA_DIR: DATA_DIR,
    ETCD_ELECTION_TIMEOUT: '1000',
    ETCD_ENABLE_PPROF: 'true',
    ETCD_HEARTBEAT_INTERVAL: '100',
    ETCD_IMAGE: image,
    ETCD_INITIAL_CLUSTER_STATE: 'existing',
    ETCD_QUOTA_BACKEND_BYTES: '8589934592',
  };
  if (process.arch === 'arm64' || process.arch === 's390x') vars['ETCD_UNSUPPORTED_ARCH'] = process.arch;
  for (const n of nodes) {
    const k = envVarSafe(n.name);
    vars[`NODE_${k}_ETCD_NAME`] = n.name;
    vars[`NODE_${k}_ETCD_URL_HOST`] = n.ip;
    vars[`NODE_${k}_IP`] = n.ip;
  }
  return vars;
}

/** A value quoted as Go's %q does for the printable ASCII the lab writes. */
const goQuote = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The text of etcd.env. */
export function etcdEnvFile(vars: Record<string, string>): string {
  return Object.keys(vars)
    .sort()
    .map((k) => `export ${k}=${goQuote(vars[k] ?? '')}\n`)
    .join('');
}

/** The variables a pod of node `node` gets (COMPUTED_ENV_VARS: etcd.env's, NODE_NAME filled in). */
export function podEnv(vars: Record<string, string>, node: string): { name: string; value: string }[] {
  return Object.keys(vars)
    .sort()
    .map((k) => ({ name: k, value: (vars[k] ?? '').replaceAll('NODE_NAME', node) }));
}
