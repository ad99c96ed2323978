// OpenShift 4's etcd.env (the etcd-scripts config map on every master): parsing it, finding this master in it, and
// turning what it says into what a tool on the host needs: endpoints, and the certificate paths mapped from the
// pods' view (/etc/kubernetes/static-pod-certs/...) to the host's (/etc/kubernetes/static-pod-resources/etcd-certs/...).

/** Where etcd.env is on an OpenShift 4 master. */
export const OPENSHIFT_ETCD_ENV = '/etc/kubernetes/static-pod-resources/etcd-certs/configmaps/etcd-scripts/etcd.env';
/** What the etcd pods see as /etc/kubernetes/static-pod-certs, on the host. */
export const OPENSHIFT_CERTS_DIR = '/etc/kubernetes/static-pod-resources/etcd-certs';
const POD_CERTS_DIR = '/etc/kubernetes/static-pod-certs';

/** How the etcd operator turns a node name into part of a variable name. */
export const envVarSafe = (node: string): string => node.replaceAll('-', '_').replaceAll('.', '_');

/** Parses `export KEY="value"` lines (Go %q quoting; also 'single' and bare values); comments and blank lines ignored. */
export function parseEtcdEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m?.[1]) throw new Error(`line ${i + 1}: not a variable assignment: ${line.slice(0, 80)}`);
    const v = m[2] ?? '';
    if (v.startsWith('"')) {
      try {
        vars[m[1]] = JSON.parse(v) as string;
      } catch {
        throw new Error(`line ${i + 1}: ${m[1]}: unterminated or invalid double-quoted value`);
      }
    } else if (v.startsWith("'")) {
      if (!v.endsWith("'") || v.length < 2) throw new Error(`line ${i + 1}: ${m[1]}: unterminated single-quoted value`);
      vars[m[1]] = v.slice(1, -1);
    } else vars[m[1]] = v;
  }
  return vars;
}

/** One master as etcd.env describes it. */
export interface EnvNode {
  name: string;
  ip: string;
  url_host: string;
  key: string;
}

/** The masters etcd.env lists (NODE_<key>_ETCD_NAME with its _IP and _ETCD_URL_HOST), in file order. */
export function envNodes(vars: Record<string, string>): EnvNode[] {
  return Object.keys(vars).flatMap((k) => {
    const m = /^NODE_(.+)_ETCD_NAME$/.exec(k);
    if (!m?.[1]) return [];
    const key = m[1];
    return [
      {
        name: vars[k] ?? '',
        ip: vars[`NODE_${key}_IP`] ?? '',
        url_host: vars[`NODE_${key}_ETCD_URL_HOST`] ?? vars[`NODE_${key}_IP`] ?? '',
        key,
      },
    ];
  });
}

/** What identifies this host: an explicit node name, its host names (`hostname`, `hostname -f`), its address. */
export interface Identity {
  node?: string | undefined;
  hostnames: string[];
  address?: string | undefined;
}

/** The master this host is in etcd.env, or why none (or several) matched. */
export function findNode(nodes: readonly EnvNode[], id: Identity): EnvNode | { error: string } {
  const listed = nodes.map((n) => `${n.name} (${n.ip})`).join(', ') || 'none';
  if (id.node) {
    const n = nodes.find((x) => x.name === id.node || x.key === envVarSafe(id.node ?? ''));
    return n ?? { error: `node "${id.node}" is not in etcd.env (it lists ${listed})` };
  }
  const names = [...new Set(id.hostnames.flatMap((h) => [h, h.split('.')[0] ?? h]).filter(Boolean))];
  for (const h of names) {
    const n = nodes.find((x) => x.name === h || x.key === envVarSafe(h));
    if (n) return n;
  }
  // a short host name against fully qualified node names (e.g. ip-10-0-1-2 and ip-10-0-1-2.ec2.internal), when unique
  for (const h of names) {
    const short = nodes.filter((x) => x.name.split('.')[0] === h);
    if (short.length === 1 && short[0]) return short[0];
  }
  const address = id.address?.replace(/^\[|\]$/g, '');
  const byIp = nodes.filter((x) => address && x.ip.replace(/^\[|\]$/g, '') === address);
  if (byIp.length === 1 && byIp[0]) return byIp[0];
  return {
    error: `this host (${names.join(', ') || '?'}${address ? `, ${address}` : ''}) is not one of the masters in etcd.env (it lists ${listed}); pass its node name`,
  };
}

/** A path etcd.env gives as the pods see it, as it is on the host (and NODE_NAME filled in). */
export function hostPath(path: string, node: string, certsDir = OPENSHIFT_CERTS_DIR): string {
  const filled = path.replaceAll('NODE_NAME', node);
  return filled === POD_CERTS_DIR || filled.startsWith(`${POD_CERTS_DIR}/`)
    ? `${certsDir.replace(/\/+$/, '')}${filled.slice(POD_CERTS_DIR.length)}`
    : filled;
}

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const urlHost = (ip: string): string => (ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip);

/** The `openshift_etcd` fact: this master, every master, endpoints and the client certificate at host paths. */
export interface OpenShiftEtcd {
  node: string;
  ip: string;
  client_url: string;
  peer_url: string;
  endpoints: string[];
  all_endpoints: string[];
  nodes: { name: string; ip: string; client_url: string; peer_url: string }[];
  cacert: string;
  cert: string;
  key: string;
  data_dir: string;
  image: string;
  vars: Record<string, string>;
}

/** Everything a host-side tool needs from etcd.env for this master. */
export function openshiftEtcd(
  vars: Record<string, string>,
  id: Identity,
  certsDir = OPENSHIFT_CERTS_DIR,
): OpenShiftEtcd | { error: string } {
  const nodes = envNodes(vars);
  if (nodes.length === 0) return { error: 'etcd.env lists no masters (no NODE_<name>_ETCD_NAME variables)' };
  const missing = ['ETCDCTL_CACERT', 'ETCDCTL_CERT', 'ETCDCTL_KEY'].filter((k) => !vars[k]);
  if (missing.length) return { error: `etcd.env has no ${missing.join(', ')}` };
  const me = findNode(nodes, id);
  if ('error' in me) return me;
  const url = (n: EnvNode, port: number): string => `https://${urlHost(n.url_host || n.ip)}:${port}`;
  const all = list(vars['ALL_ETCD_ENDPOINTS']);
  const endpoints = list(vars['ETCDCTL_ENDPOINTS']);
  return {
    node: me.name,
    ip: me.ip,
    client_url: url(me, 2379),
    peer_url: url(me, 2380),
    endpoints: endpoints.length ? endpoints : all.length ? all : nodes.map((n) => url(n, 2379)),
    all_endpoints: all.length ? all : nodes.map((n) => url(n, 2379)),
    nodes: nodes.map((n) => ({ name: n.name, ip: n.ip, client_url: url(n, 2379), peer_url: url(n, 2380) })),
    cacert: hostPath(vars['ETCDCTL_CACERT'] ?? '', me.name, certsDir),
    cert: hostPath(vars['ETCDCTL_CERT'] ?? '', me.name, certsDir),
    key: hostPath(vars['ETCDCTL_KEY'] ?? '', me.name, certsDir),
    data_dir: vars['ETCD_DATA_DIR'] || '/var/lib/etcd',
    image: vars['ETCD_IMAGE'] ?? '',
    vars,
  };
}
