import { shellQuote as q } from '../util/shell-quote.js';
import { podCommand } from './manifest.js';

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

/**
 * One command that finds the manifest and does what `planStaticPod` plans for the place it finds it, then `then` (a
 * wait): the plan is made for each of the four places up front, the host runs the branch of the one it sees. Prints
 * `where=…` first; a place the plan refuses (both, absent, …) runs nothing. One round trip instead of locate, move, wait.
 */
export function locateAndMoveCommand(state: 'stopped' | 'started', p: PodPaths, host: string, then: string): string {
  const branch = (where: PodWhere): string => {
    const step = planStaticPod(state, where, p, host);
    if ('error' in step) return `echo where=${where}`;
    return [`echo where=${where}`, ...(step.changed ? [`{ ${step.command}; } || exit $?`] : []), ...(then ? [then] : [])].join('; ');
  };
  const m = q(p.manifest);
  const k = q(p.parked);
  return (
    `if [ -f ${m} ] && [ -f ${k} ]; then ${branch('both')}; elif [ -f ${m} ]; then ${branch('manifests')}; ` +
    `elif [ -f ${k} ]; then ${branch('parked')}; else ${branch('absent')}; fi`
  );
}

/** The first line's `where=…` of locateAndMoveCommand's output (undefined when it is not there). */
export function parseWhere(stdout: string): PodWhere | undefined {
  return /^where=(manifests|parked|both|absent)$/m.exec(stdout)?.[1] as PodWhere | undefined;
}

/**
 * A gate before a command: waits (waitCommand's loop) until every probe is down, prints the probes' states, and exits 0
 * there when one is still up, so what follows the gate runs only once they all are down.
 */
export function gateCommand(list: Probes, timeoutS: number): string {
  return `gate=$(${waitCommand(list, false, timeoutS)}); echo "$gate"; case " $gate " in *=1' '*) exit 0;; esac`;
}

/** The probes `waitCommand` printed as still short of the wanted state (`up`: exits 0). */
export function pendingProbes(stdout: string, names: readonly string[], up: boolean): string[] {
  return names.filter((n) => !new RegExp(`(^|\\s)${n}=${up ? 1 : 0}(\\s|$)`).test(stdout));
}

/** An anchored pgrep -f regex matching exactly the process kubelet runs for this argv (host-specific args included). */
export function processPattern(argv: readonly string[]): string {
  return `^${argv.join(' ').replace(/[.[\]()*+?{}|^$\\]/g, '\\$&')}$`;
}

/** Exits 0 while a process matches; the pattern travels as octal escapes so this probe never matches itself. */
export function processProbe(pattern: string): string {
  return `pgrep -f -- "$(printf '%b' '${octal(pattern)}')" >/dev/null`;
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

/**
 * A probe's cheaper form for the bash loop: `init` runs once before the first round, `test` each round; both use bash
 * builtins where they can, so a round forks no process while nothing changes (the POSIX form execs several).
 */
export interface BashProbe {
  init: string;
  test: string;
}

/** One probe per condition: a POSIX sh command exiting 0 when its condition holds (port open, URL healthy, process running), and optionally its bash form. */
export type Probes = Array<[name: string, command: string, bash?: BashProbe]>;

/**
 * One host-side command that polls the probes every 50 ms until each is in the wanted state (`up`: exits 0) or
 * `timeoutS` passed (at least, at most one second more), then prints `name=1` (up) or `name=0` per probe: one round
 * trip instead of one per attempt. The probes run in order and a round stops at the first one not there yet (a port
 * probe before a costlier HTTPS one). With bash on the host the loop runs in bash (its clock, its `read -t` for the
 * pause, the probes' bash forms): a POSIX round execs `date`, `sleep` and each probe's tools, which on a small
 * control plane takes CPU from the very processes being waited for (etcd and kube-apiserver starting up).
 */
export function waitCommand(list: Probes, up: boolean, timeoutS: number): string {
  const want = up ? 1 : 0;
  const init = list.map(([n]) => `${n}=${1 - want}`).join('; ');
  const round = (test: (p: Probes[number]) => string): string =>
    list
      .map((p) => `if [ $ok = 1 ]; then if ${test(p)}; then ${p[0]}=1; else ${p[0]}=0; fi; fi; [ "$${p[0]}" = ${want} ] || ok=0`)
      .join('; ');
  const show = list.map(([n]) => `${n}=$${n}`).join(' ');
  // whole seconds on the host's clock: +1 so the wait is never shorter than asked
  const seconds = Math.max(0, Math.ceil(timeoutS)) + 1;
  const posix =
    `end=$(( $(date +%s) + ${seconds} )); ${init}; ` +
    `while :; do ok=1; ${round(([, c]) => c)}; [ $ok = 1 ] && break; [ "$(date +%s)" -ge "$end" ] && break; sleep 0.05 2>/dev/null || sleep 1; done; ` +
    `echo ${show}`;
  const setup = list.flatMap(([, , b]) => (b ? [b.init] : [])).join('; ');
  // the pause: read -t on a pipe nobody writes to (no process per round); sleep if /dev/fd is missing
  const bash =
    `{ exec {pause}<> <(:); } 2>/dev/null || pause=; end=$(( SECONDS + ${seconds} )); ${init};${setup ? ` ${setup};` : ''} ` +
    `while :; do ok=1; ${round(([, c, b]) => (b ? b.test : c))}; [ $ok = 1 ] && break; [ $SECONDS -ge $end ] && break; ` +
    `if [ -n "$pause" ]; then read -r -t 0.05 -u "$pause"; else sleep 0.05 2>/dev/null || sleep 1; fi; done; echo ${show}`;
  return `if command -v bash >/dev/null 2>&1; then bash -c ${q(bash)}; else ${posix}; fi`;
}

/**
 * A port probe for the wait loop: `sh` as given; in bash, when the address is one of the host's own (`ip route get`
 * says local: the kernel answers at once, open or refused), a connect by the loop's own shell, no process started; else `sh`.
 */
export function portWaitProbe(name: string, address: string, port: number, sh: string): Probes[number] {
  const local = `local_${name}`;
  return [
    name,
    sh,
    {
      init: `${local}=0; case $(ip route get ${q(address)} 2>/dev/null) in 'local '*) ${local}=1;; esac`,
      test: `{ if [ $${local} = 1 ]; then exec 3<>${q(`/dev/tcp/${address}/${port}`)} && exec 3>&-; else ${sh}; fi; } 2>/dev/null`,
    },
  ];
}

/**
 * A process probe for the wait loop: `processProbe(pattern)`; in bash, pgrep once, then only the processes it found
 * are looked at (their command line read from /proc and matched against the same regex, a builtin each round), and
 * pgrep again when none of them is left, so a process started meanwhile is still seen.
 */
export function processWaitProbe(name: string, pattern: string): Probes[number] {
  const pids = `pids_${name}`;
  const pat = `pat_${name}`;
  return [
    name,
    processProbe(pattern),
    {
      init:
        `${pat}=$(printf '%b' ${q(octal(pattern))}); ${pids}=; ` +
        `alive_${name}() { local p a; for p in $${pids}; do mapfile -d '' -t a 2>/dev/null < /proc/$p/cmdline && [[ "\${a[*]}" =~ $${pat} ]] && return 0; done; ` +
        `${pids}=$(pgrep -f -- "$${pat}"); [ -n "$${pids}" ]; }`,
      test: `alive_${name}`,
    },
  ];
}

/** The process probe (named `name`) from a static pod's manifest command; none when it is not a Pod manifest with a command. */
export function manifestProcessProbes(name: string, pod: string, content: string): Probes {
  try {
    return [processWaitProbe(name, processPattern(podCommand(content, pod)))];
  } catch {
    return [];
  }
}

/** Every byte of `text` as a `\NNN` octal escape (for printf %b): a pattern sent that way never matches the command line that carries it. */
function octal(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
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
