// `setup` (and a play's `gather_facts: true`): a small fact set read with POSIX tools (uname, hostname, getent,
// ip, /etc/os-release), parsed by a pure plan into the ansible_* names ansible-core uses.
import type { SetupArgs } from '../generated/playbook.js';
import { plannedModule, unchanged, type Plan, type Probe } from './plan.js';

/** The facts `setup` sets (for the validation-time undefined-variable check). */
export const SETUP_FACTS = [
  'ansible_hostname',
  'ansible_nodename',
  'ansible_fqdn',
  'ansible_domain',
  'ansible_default_ipv4',
  'ansible_all_ipv4_addresses',
  'ansible_os_family',
  'ansible_distribution',
  'ansible_distribution_version',
  'ansible_distribution_major_version',
  'ansible_distribution_release',
  'ansible_distribution_minor_version',
  'ansible_architecture',
  'ansible_machine',
  'ansible_kernel',
  'ansible_system',
  'ansible_user_id',
  'ansible_processor_vcpus',
  'ansible_memtotal_mb',
  'ansible_service_mgr',
  'ansible_pkg_mgr',
] as const;

const PROBE = [
  `echo "node=$(uname -n)"`,
  `echo "machine=$(uname -m)"`,
  `echo "system=$(uname -s)"`,
  `echo "kernel=$(uname -r)"`,
  `echo "user=$(id -un)"`,
  `echo "vcpus=$(nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo)"`,
  `echo "mem=$(awk '/^MemTotal:/{print $2}' /proc/meminfo 2>/dev/null)"`,
  `echo "fqdn=$(a=$(getent ahostsv4 "$(uname -n)" 2>/dev/null | awk 'NR==1{print $1}'); [ -n "$a" ] && getent hosts "$a" 2>/dev/null | head -n 1)"`,
  `echo "comm=$(cat /proc/1/comm 2>/dev/null)"`,
  `[ -d /run/systemd/system ] && echo systemd=1`,
  `[ -d /etc/init.d ] && echo initd=1`,
  `for m in apt-get dnf yum apk zypper pacman; do command -v $m >/dev/null 2>&1 && { echo "pkg=$m"; break; }; done`,
  `echo "debian_version=$(cat /etc/debian_version 2>/dev/null)"`,
  `echo "route=$(ip -4 route get 8.8.8.8 2>/dev/null | head -n 1)"`,
  `ip -4 -o addr show 2>/dev/null | sed 's/^/addr=/'`,
  `d=$(ip -4 route get 8.8.8.8 2>/dev/null | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p' | head -n 1); [ -n "$d" ] && echo "mac=$(cat /sys/class/net/$d/address 2>/dev/null)" && echo "mtu=$(cat /sys/class/net/$d/mtu 2>/dev/null)"`,
  `sed 's/^/os:/' /etc/os-release 2>/dev/null`,
  'true',
].join('; ');

/** ID (or ID_LIKE) of /etc/os-release to ansible's os_family. */
const FAMILY: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Debian',
  raspbian: 'Debian',
  linuxmint: 'Debian',
  rhel: 'RedHat',
  centos: 'RedHat',
  fedora: 'RedHat',
  rocky: 'RedHat',
  almalinux: 'RedHat',
  ol: 'RedHat',
  amzn: 'RedHat',
  rhcos: 'RedHat',
  suse: 'Suse',
  sles: 'Suse',
  'opensuse-leap': 'Suse',
  alpine: 'Alpine',
  arch: 'Archlinux',
  gentoo: 'Gentoo',
};
const DISTRIBUTION: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  centos: 'CentOS',
  rhel: 'RedHat',
  fedora: 'Fedora',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  ol: 'OracleLinux',
  amzn: 'Amazon',
  alpine: 'Alpine',
  sles: 'SLES',
  'opensuse-leap': 'openSUSE Leap',
  arch: 'Archlinux',
  rhcos: 'RedHat',
};
const PKG: Record<string, string> = { 'apt-get': 'apt', dnf: 'dnf', yum: 'yum', apk: 'apk', zypper: 'zypper', pacman: 'pacman' };

function netmask(prefix: number): string {
  const n = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function network(address: string, prefix: number): string {
  const mask = netmask(prefix).split('.').map(Number);
  return address
    .split('.')
    .map((o, i) => Number(o) & (mask[i] ?? 0))
    .join('.');
}

/** Parses the probe's lines into ansible_* facts. */
export function parseFacts(p: Probe): Record<string, unknown> {
  const kv = new Map<string, string>();
  const os = new Map<string, string>();
  const addrs: string[] = [];
  for (const line of p.stdout.split('\n')) {
    if (line.startsWith('os:')) {
      const m = /^os:([A-Z_]+)=(.*)$/.exec(line);
      if (m) os.set(m[1] ?? '', (m[2] ?? '').replace(/^"(.*)"$/, '$1'));
    } else if (line.startsWith('addr=')) addrs.push(line.slice(5));
    else if (line.includes('=')) kv.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
  }
  const node = kv.get('node') ?? '';
  const [, fqdnHost = '', ...aliases] = (kv.get('fqdn') ?? '').trim().split(/\s+/);
  const fqdn = [fqdnHost, ...aliases].find((n) => n.includes('.')) ?? (fqdnHost || node);
  const id = (os.get('ID') ?? '').toLowerCase();
  const like = (os.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/);
  const family = FAMILY[id] ?? like.map((l) => FAMILY[l]).find(Boolean) ?? os.get('NAME') ?? kv.get('system') ?? '';
  let version = os.get('VERSION_ID') ?? '';
  const debianVersion = kv.get('debian_version') ?? '';
  if (id === 'debian' && /^\d+(\.\d+)*$/.test(debianVersion)) version = debianVersion;
  const interfaces = addrs
    .map((l) => {
      const m = /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\/(\d+)(?:\s+brd\s+([\d.]+))?/.exec(l);
      return m ? { iface: m[1] ?? '', address: m[2] ?? '', prefix: Number(m[3]), broadcast: m[4] } : undefined;
    })
    .filter((x) => x !== undefined);
  const route = kv.get('route') ?? '';
  const dev = /\bdev (\S+)/.exec(route)?.[1];
  const src = /\bsrc (\S+)/.exec(route)?.[1];
  const gw = /\bvia (\S+)/.exec(route)?.[1];
  const def = interfaces.find((i) => i.iface === dev && i.address === src) ?? interfaces.find((i) => i.iface === dev);
  const comm = kv.get('comm') ?? '';
  const initLike = comm === '' || comm === 'init' || comm.endsWith('sh');
  const serviceMgr = kv.has('systemd') ? 'systemd' : !initLike ? comm : kv.has('initd') ? 'sysvinit' : 'service';
  return {
    ansible_hostname: node.split('.')[0] ?? node,
    ansible_nodename: node,
    ansible_fqdn: fqdn,
    ansible_domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    ansible_default_ipv4: def
      ? {
          address: def.address,
          alias: def.iface,
          interface: def.iface,
          gateway: gw ?? '',
          netmask: netmask(def.prefix),
          network: network(def.address, def.prefix),
          prefix: String(def.prefix),
          ...(def.broadcast ? { broadcast: def.broadcast } : {}),
          ...(kv.get('mac') ? { macaddress: kv.get('mac') } : {}),
          ...(kv.get('mtu') ? { mtu: Number(kv.get('mtu')) } : {}),
        }
      : {},
    ansible_all_ipv4_addresses: interfaces.map((i) => i.address).filter((a) => !a.startsWith('127.')),
    ansible_os_family: family,
    ansible_distribution: DISTRIBUTION[id] ?? (os.get('NAME') ?? '').split(' ')[0] ?? '',
    ansible_distribution_version: version,
    ansible_distribution_major_version: version.split('.')[0] ?? '',
    ...(version.includes('.') ? { ansible_distribution_minor_version: version.split('.')[1] ?? '' } : {}),
    ansible_distribution_release: os.get('VERSION_CODENAME') ?? '',
    ansible_architecture: kv.get('machine') ?? '',
    ansible_machine: kv.get('machine') ?? '',
    ansible_kernel: kv.get('kernel') ?? '',
    ansible_system: kv.get('system') ?? '',
    ansible_user_id: kv.get('user') ?? '',
    ansible_processor_vcpus: Number(kv.get('vcpus') ?? 0),
    ansible_memtotal_mb: Math.floor(Number(kv.get('mem') ?? 0) / 1024),
    ansible_service_mgr: serviceMgr,
    ansible_pkg_mgr: PKG[kv.get('pkg') ?? ''] ?? 'unknown',
  };
}

/** fnmatch-style `filter` patterns (`ansible_distribution*`). */
function filtered(facts: Record<string, unknown>, filter: string[]): Record<string, unknown> {
  if (filter.length === 0) return facts;
  const res = filter.map(
    (f) =>
      new RegExp(
        `^${f
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ),
  );
  return Object.fromEntries(Object.entries(facts).filter(([k]) => res.some((r) => r.test(k))));
}

/** `setup`: a small fact set (host names, IPv4 addresses, OS family and distribution, architecture...) as ansible_* facts. Read-only. */
export const setupModule = plannedModule<SetupArgs>({
  name: 'setup',
  readOnly: true,
  facts: SETUP_FACTS,
  probe: () => PROBE,
  plan(a, probe): Plan {
    const filter = a.filter === undefined ? [] : Array.isArray(a.filter) ? a.filter : a.filter.split(',').map((s) => s.trim());
    return unchanged({ ansible_facts: filtered(parseFacts(probe), filter) });
  },
});
