import { run } from './run.js';
import { members, openshift, openshiftApiPort, s3 } from './topology.js';

/** Every address:port the lab listens on. */
export function labPorts(): { address: string; port: number; what: string }[] {
  const perHost = members.flatMap((m) => [
    { address: m.ip, port: 22, what: `${m.host} sshd` },
    { address: m.ip, port: 2379, what: `${m.etcdName} etcd client` },
    { address: m.ip, port: 2380, what: `${m.etcdName} etcd peer` },
    { address: m.ip, port: 2381, what: `${m.etcdName} etcd metrics` },
    { address: m.ip, port: 6443, what: `${m.host} apiserver stand-in` },
    ...(openshift ? [{ address: m.ip, port: 9978, what: `${m.etcdName} etcd metrics` }] : []),
  ]);
  const api = openshift ? [{ address: '127.0.0.1', port: openshiftApiPort, what: 'OpenShift operators and API stand-in' }] : [];
  return [...perHost, { address: s3.ip, port: s3.port, what: 'S3 (s3rver)' }, ...api];
}

/** One listening socket as `ss -ltnpH` reports it. */
export interface Listener {
  address: string;
  port: number;
  owner: string;
}

/** The machine's TCP listeners with their owning process when ss can tell. */
export async function listeners(): Promise<Listener[]> {
  const r = await run(['ss', '-ltnpH']);
  return r.stdout.split('\n').flatMap((line) => {
    const cols = line.trim().split(/\s+/);
    const local = cols[3];
    const m = local ? /^(.*):(\d+)$/.exec(local) : null;
    if (!m?.[1] || !m[2]) return [];
    const owner = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
    return [
      {
        address: m[1].replace(/^\[|\]$/g, '').replace(/%.*$/, ''),
        port: Number(m[2]),
        owner: owner ? `${owner[1]} (pid ${owner[2]})` : 'unknown process',
      },
    ];
  });
}

/** Lab ports someone already listens on (exactly, or through a wildcard 0.0.0.0 / [::] listener). */
export async function busyPorts(): Promise<string[]> {
  const all = await listeners();
  const wild = new Set(['0.0.0.0', '*', '::']);
  return labPorts().flatMap(({ address, port, what }) =>
    all
      .filter((l) => l.port === port && (l.address === address || wild.has(l.address)))
      .map((l) => `${address}:${port} (${what}) is taken by ${l.owner} listening on ${l.address}:${port}`),
  );
}

/** Throws one clear message when the lab cannot run here: not root, no namespaces, ports taken. */
export async function preflight(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the lab must run as root (mount namespaces, bind mounts, sshd on port 22)');
  const ns = await run(['unshare', '--mount', '--uts', '--propagation', 'private', 'true']);
  if (ns.code !== 0) throw new Error(`the lab needs mount+UTS namespaces but \`unshare --mount --uts\` failed: ${ns.stderr.trim()}`);
  const busy = await busyPorts();
  if (busy.length > 0) throw new Error(`lab ports already in use (another lab running? try \`npm run lab:down\`):\n  ${busy.join('\n  ')}`);
}
