// Which certificate files a client uses to talk to a member, when the inventory names none: read off the member's
// own manifest and the layouts kubeadm and kubespray/DCE really have (cluster-shapes.md §1).
import { posix } from 'node:path';
import type { EtcdManifestFacts } from './manifest.js';

/** The CA, certificate and key a client presents to etcd, and where they came from. */
export interface ClientTls {
  cacert: string;
  cert: string;
  key: string;
  /** `inventory` (etcd_ca/etcd_cert/etcd_key or module arguments), or what the pair is in the host's layout. */
  source: 'inventory' | 'apiserver-etcd-client' | 'healthcheck-client' | 'server';
}

/** Client pairs worth trying on a host, best first: kube-apiserver's etcd client pair beside the etcd CA's directory, kubeadm's health-check pair next to the CA, else the member's own server pair. */
export function clientTlsCandidates(etcd: Pick<EtcdManifestFacts, 'trusted_ca_file' | 'cert_file' | 'key_file'>): ClientTls[] {
  const ca = etcd.trusted_ca_file;
  if (!ca) return [];
  const caDir = posix.dirname(ca);
  const out: ClientTls[] = [
    {
      cacert: ca,
      cert: posix.join(posix.dirname(caDir), 'apiserver-etcd-client.crt'),
      key: posix.join(posix.dirname(caDir), 'apiserver-etcd-client.key'),
      source: 'apiserver-etcd-client',
    },
    {
      cacert: ca,
      cert: posix.join(caDir, 'healthcheck-client.crt'),
      key: posix.join(caDir, 'healthcheck-client.key'),
      source: 'healthcheck-client',
    },
  ];
  if (etcd.cert_file && etcd.key_file) out.push({ cacert: ca, cert: etcd.cert_file, key: etcd.key_file, source: 'server' });
  return out;
}

/** What the inventory (or the task) says, filled in from the manifest-derived candidate where it says nothing. */
export interface TlsOverride {
  cacert?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}

/**
 * Chooses the client TLS files: every file the inventory names is used as given; the rest come from the first
 * candidate whose files all exist on the host. Returns the choice, or why there is none (naming every path tried).
 */
export function chooseClientTls(
  candidates: readonly ClientTls[],
  given: TlsOverride,
  exists: (path: string) => boolean,
  where: string,
): ClientTls | { error: string } {
  if (given.cacert && given.cert && given.key) {
    const named: Array<[string, string]> = [
      [given.cacert, 'etcd_ca'],
      [given.cert, 'etcd_cert'],
      [given.key, 'etcd_key'],
    ];
    const missing = named.filter(([p]) => !exists(p));
    if (missing.length)
      return {
        error: `${where}: ${missing.map(([p, v]) => `${p} (${v})`).join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist or cannot be read`,
      };
    return { cacert: given.cacert, cert: given.cert, key: given.key, source: 'inventory' };
  }
  const fill = (c: ClientTls): ClientTls => ({
    cacert: given.cacert || c.cacert,
    cert: given.cert || c.cert,
    key: given.key || c.key,
    source: given.cacert || given.cert || given.key ? 'inventory' : c.source,
  });
  const hit = candidates.map(fill).find((c) => exists(c.cacert) && exists(c.cert) && exists(c.key));
  if (hit) return hit;
  if (candidates.length === 0)
    return {
      error: `${where}: no client certificate for etcd: the manifest has no --trusted-ca-file; set etcd_ca, etcd_cert and etcd_key`,
    };
  const tried = candidates
    .map(fill)
    .map((c) => [c.cacert, c.cert, c.key].filter((p) => !exists(p)))
    .filter((m) => m.length);
  const missing = [...new Set(tried.flat())];
  return {
    error: `${where}: no usable client certificate for etcd: missing ${missing.join(', ')}; set etcd_ca, etcd_cert and etcd_key to the files kube-apiserver uses for etcd`,
  };
}
