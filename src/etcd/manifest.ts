import { parse } from 'yaml';

/** A member of `--initial-cluster`. */
export interface ClusterMember {
  name: string;
  peer_url: string;
}

/** What an etcd static-pod manifest says about its member (the `etcd` fact). */
export interface EtcdManifestFacts {
  name: string;
  data_dir: string;
  client_url: string;
  peer_url: string;
  listen_client_urls: string[];
  advertise_client_urls: string[];
  listen_peer_urls: string[];
  initial_advertise_peer_urls: string[];
  initial_cluster: string;
  initial_cluster_members: ClusterMember[];
  initial_cluster_state: string;
  initial_cluster_token: string;
  cert_file: string;
  key_file: string;
  trusted_ca_file: string;
  peer_cert_file: string;
  peer_key_file: string;
  peer_trusted_ca_file: string;
  manifest_path: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);

/** Container 0's `command + args` of a static-pod manifest (what kubelet runs); throws when there is none. */
export function podCommand(text: string, where: string): string[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new Error(`${where} is not valid YAML: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`);
  }
  const spec = isObj(doc) && isObj(doc['spec']) ? doc['spec'] : undefined;
  const containers = spec && Array.isArray(spec['containers']) ? spec['containers'] : [];
  const c0: unknown = containers[0];
  if (!isObj(c0)) throw new Error(`${where} is not a Pod manifest with containers (spec.containers[0] missing)`);
  const argv = [...strings(c0['command']), ...strings(c0['args'])];
  if (argv.length === 0) throw new Error(`${where}: containers[0] has no command or args`);
  return argv;
}

/** Command-line flags as name → values (`--flag=value`, `--flag value`, bare `--flag` = "true"; repeated flags keep every value). */
export function parseFlags(argv: readonly string[]): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string): void => void flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)(?:=([\s\S]*))?$/.exec(argv[i] ?? '');
    if (!m) continue;
    const name = m[1] ?? '';
    if (m[2] !== undefined) add(name, m[2]);
    else if (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('-')) add(name, argv[++i] ?? '');
    else add(name, 'true');
  }
  return flags;
}

/** Parses `name1=url1,name2=url2` (a member may appear with several peer URLs). */
export function parseInitialCluster(s: string): ClusterMember[] {
  return s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { name: '', peer_url: p } : { name: p.slice(0, eq), peer_url: p.slice(eq + 1) };
    });
}

/** The `etcd` fact from a static-pod manifest's text; throws with a clear message when --name or --data-dir is missing. */
export function etcdFactsFromManifest(text: string, manifestPath: string): EtcdManifestFacts {
  const flags = parseFlags(podCommand(text, manifestPath));
  const one = (k: string): string => flags.get(k)?.at(-1) ?? '';
  const list = (k: string): string[] =>
    (flags.get(k) ?? [])
      .flatMap((v) => v.split(','))
      .map((u) => u.trim())
      .filter(Boolean);
  const missing = ['name', 'data-dir'].filter((k) => one(k) === '');
  if (missing.length) throw new Error(`${manifestPath}: the etcd command has no ${missing.map((k) => `--${k}`).join(' or ')}`);
  const name = one('name');
  const members = parseInitialCluster(one('initial-cluster'));
  const listenClient = list('listen-client-urls');
  const advertiseClient = list('advertise-client-urls');
  const listenPeer = list('listen-peer-urls');
  const advertisePeer = list('initial-advertise-peer-urls');
  return {
    name,
    data_dir: one('data-dir'),
    client_url: advertiseClient[0] ?? listenClient[0] ?? '',
    peer_url: advertisePeer[0] ?? members.find((m) => m.name === name)?.peer_url ?? listenPeer[0] ?? '',
    listen_client_urls: listenClient,
    advertise_client_urls: advertiseClient,
    listen_peer_urls: listenPeer,
    initial_advertise_peer_urls: advertisePeer,
    initial_cluster: one('initial-cluster'),
    initial_cluster_members: members,
    initial_cluster_state: one('initial-cluster-state') || 'new',
    initial_cluster_token: one('initial-cluster-token'),
    cert_file: one('cert-file'),
    key_file: one('key-file'),
    trusted_ca_file: one('trusted-ca-file'),
    peer_cert_file: one('peer-cert-file'),
    peer_key_file: one('peer-key-file'),
    peer_trusted_ca_file: one('peer-trusted-ca-file'),
    manifest_path: manifestPath,
  };
}
