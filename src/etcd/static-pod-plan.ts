import { shellQuote as q } from '../util/shell-quote.js';

/** Where a static pod's manifest lives when running and when parked. */
export interface PodPaths {
  manifest: string;
  parked: string;
  parkedDir: string;
}

/** Where the manifest was found on the host. */
export type PodWhere = 'manifests' | 'parked' | 'both' | 'absent';

/** Paths of `<name>.yaml` in the manifests and parked dirs. */
export function podPaths(name: string, manifestsDir: string, parkedDir: string): PodPaths {
  const dir = (d: string): string => d.replace(/\/+$/, '') || '/';
  return { manifest: `${dir(manifestsDir)}/${name}.yaml`, parked: `${dir(parkedDir)}/${name}.yaml`, parkedDir: dir(parkedDir) };
}

/** Prints `where=…` then the content of the manifest (the active one when both exist). */
export function locateCommand(p: PodPaths): string {
  const m = q(p.manifest);
  const k = q(p.parked);
  return (
    `if [ -f ${m} ] && [ -f ${k} ]; then echo where=both; cat -- ${m}; elif [ -f ${m} ]; then echo where=manifests; cat -- ${m}; ` +
    `elif [ -f ${k} ]; then echo where=parked; cat -- ${k}; else echo where=absent; fi`
  );
}

/** Parses locateCommand's output. */
export function parseLocate(stdout: string): { where: PodWhere; content: string } {
  const nl = stdout.indexOf('\n');
  const first = nl < 0 ? stdout.trim() : stdout.slice(0, nl);
  const where = /^where=(manifests|parked|both|absent)$/.exec(first)?.[1] as PodWhere | undefined;
  if (!where) throw new Error(`unexpected output locating the manifest: ${first.slice(0, 200)}`);
  return { where, content: nl < 0 ? '' : stdout.slice(nl + 1) };
}

/** Where the manifest is once the moves a check-mode run only planned are counted (undefined: not touched by them). */
export function plannedWhere(where: PodWhere, manifest: boolean | undefined, parked: boolean | undefined): PodWhere {
  const inManifests = manifest ?? (where === 'manifests' || where === 'both');
  const inParked = parked ?? (where === 'parked' || where === 'both');
  return inManifests && inParked ? 'both' : inManifests ? 'manifests' : inParked ? 'parked' : 'absent';
}

/** What to do for the wanted state: nothing, a move, or a refusal. */
export type PodStep = { changed: false } | { changed: true; command: string } | { error: string };

/** Decides the move for state stopped (park the manifest, parked dir created 0700) or started (move it back). */
export function planStaticPod(state: 'stopped' | 'started', where: PodWhere, p: PodPaths, host: string): PodStep {
  if (where === 'absent')
    return { error: `no ${p.manifest} and no ${p.parked} on ${host}: nothing to ${state === 'stopped' ? 'stop' : 'start'}` };
  if (state === 'stopped') {
    if (where === 'parked') return { changed: false };
    if (where === 'both')
      return { error: `both ${p.manifest} and ${p.parked} exist on ${host}: refusing to overwrite the parked copy (remove the stale one)` };
    return { changed: true, command: `mkdir -p -m 0700 -- ${q(p.parkedDir)} && mv -- ${q(p.manifest)} ${q(p.parked)}` };
  }
  if (where === 'manifests' || where === 'both') return { changed: false };
  return { changed: true, command: `mv -- ${q(p.parked)} ${q(p.manifest)}` };
}

/** An anchored pgrep -f regex matching exactly the process kubelet runs for this argv (host-specific args included). */
export function processPattern(argv: readonly string[]): string {
  return `^${argv.join(' ').replace(/[.[\]()*+?{}|^$\\]/g, '\\$&')}$`;
}

/** Exits 0 while a process matches; the pattern travels as octal escapes so this probe never matches itself. */
export function processProbe(pattern: string): string {
  const escaped = [...Buffer.from(pattern, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
  return `pgrep -f -- "$(printf '%b' '${escaped}')" >/dev/null`;
}

/** Exits 0 when a TCP port accepts connections on the address (bash /dev/tcp, else ss). */
export function portProbe(address: string, port: number): string {
  return (
    `if command -v bash >/dev/null 2>&1; then timeout 5 bash -c ${q(`exec 3<>/dev/tcp/${address}/${port}`)} 2>/dev/null; ` +
    `else ss -Hltn ${q(`sport = :${port}`)} | grep -q .; fi`
  );
}

/** Exits 0 when the URL answers 2xx (curl -fsS; TLS not verified: it is a liveness probe), else an HTTP/1.0 GET over bash /dev/tcp for http URLs. */
export function healthProbe(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const get = `exec 3<>/dev/tcp/${u.hostname}/${port} && printf %b ${q(`GET ${u.pathname}${u.search} HTTP/1.0\r\nHost: ${u.host}\r\n\r\n`)} >&3 && head -n1 <&3 | grep -q ' 2[0-9][0-9] '`;
  const fallback = u.protocol === 'http:' ? `timeout 5 bash -c ${q(get)}` : `echo ${q(`curl is needed to probe ${url}`)} >&2; exit 3`;
  return `if command -v curl >/dev/null 2>&1; then curl -fsSk -o /dev/null --max-time 5 ${q(url)}; else ${fallback}; fi`;
}

/** One probe per condition, each exiting 0 when its condition holds (port open, URL healthy, process running). */
export type Probes = Array<[name: string, command: string]>;

/**
 * One host-side command that polls the probes every 50 ms until each is in the wanted state (`up`: exits 0) or
 * `timeoutS` passed (at least, at most one second more), then prints `name=1` (up) or `name=0` per probe: one round
 * trip instead of one per attempt. The probes run in order and a round stops at the first one not there yet (a port
 * probe before a costlier HTTPS one).
 */
export function waitCommand(list: Probes, up: boolean, timeoutS: number): string {
  const want = up ? 1 : 0;
  const init = list.map(([n]) => `${n}=${1 - want}`).join('; ');
  const check = list
    .map(([n, c]) => `if [ $ok = 1 ]; then if ${c}; then ${n}=1; else ${n}=0; fi; fi; [ "$${n}" = ${want} ] || ok=0`)
    .join('; ');
  const show = list.map(([n]) => `${n}=$${n}`).join(' ');
  return (
    // whole seconds on the host's clock: +1 so the wait is never shorter than asked
    `end=$(( $(date +%s) + ${Math.max(0, Math.ceil(timeoutS)) + 1} )); ${init}; ` +
    `while :; do ok=1; ${check}; [ $ok = 1 ] && break; [ "$(date +%s)" -ge "$end" ] && break; sleep 0.05 2>/dev/null || sleep 1; done; ` +
    `echo ${show}`
  );
}

/** Exits 0 when host:port accepts a TCP connection from this host (bash /dev/tcp, else nc -z; with neither: 1, taken as closed). */
export function remotePortProbe(address: string, port: number): string {
  return (
    `if command -v bash >/dev/null 2>&1; then timeout 2 bash -c ${q(`exec 3<>/dev/tcp/${address}/${port}`)} 2>/dev/null; ` +
    `elif command -v nc >/dev/null 2>&1; then nc -z -w 2 ${q(address)} ${port} 2>/dev/null; else false; fi`
  );
}

/** host and port of `https://host:port/…`, `host:port` or `[v6]:port`; undefined when there is no port. */
export function hostPort(target: string): { host: string; port: number } | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})(?:\/.*)?$/.exec(target.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** Client TLS files for a health probe (etcd's peer port wants a client certificate). */
export interface ProbeTls {
  cacert?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}

/**
 * Exits 0 when the https URL answers 2xx to a GET made with the client certificate, verified against cacert (curl,
 * else `openssl s_client`; each attempt at most 0.5 s). With neither tool on the host there is no probe: exits 0.
 */
export function tlsHealthProbe(url: string, tls: ProbeTls): string {
  const u = new URL(url);
  const hp = `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || '443'}`;
  const opt = (flag: string, v: string | undefined): string => (v ? ` ${flag} ${q(v)}` : '');
  const curl = `curl --http1.1 -fsS -m 0.5 -o /dev/null${opt('--cacert', tls.cacert)}${opt('--cert', tls.cert)}${opt('--key', tls.key)} ${q(url)} 2>/dev/null`;
  const get = q(`GET ${u.pathname}${u.search} HTTP/1.0\r\nHost: ${u.host}\r\n\r\n`);
  const openssl =
    `printf %b ${get} | timeout 0.5 openssl s_client -quiet -ign_eof -connect ${q(hp)}${opt('-CAfile', tls.cacert)}${opt('-cert', tls.cert)}${opt('-key', tls.key)} 2>/dev/null ` +
    `| head -n1 | grep -q ' 2[0-9][0-9] '`;
  return `if command -v curl >/dev/null 2>&1; then ${curl}; elif command -v openssl >/dev/null 2>&1; then ${openssl}; else true; fi`;
}
