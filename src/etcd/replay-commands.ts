import { shellQuote as q } from '../util/shell-quote.js';
import { offlineCommand } from './offline-tool.js';

/** Where and how a temporary single-member etcd runs on the host for replaying deltas (loopback only). */
export interface ReplayEtcd {
  workDir: string;
  clientPort: number;
  peerPort: number;
}

const name = 'tsplay-replay';
const peerUrl = (r: ReplayEtcd): string => `http://127.0.0.1:${r.peerPort}`;
/** The temporary member's client URL (loopback of the host). */
export const clientUrl = (r: ReplayEtcd): string => `http://127.0.0.1:${r.clientPort}`;

/** Restores the Full snapshot into the temporary data dir (etcdutl on 3.5+, etcdctl on 3.4: offline-tool.ts). */
export function restoreCommand(r: ReplayEtcd, snapshot: string): string {
  const argv = [
    'snapshot',
    'restore',
    snapshot,
    '--data-dir',
    `${r.workDir}/data`,
    '--name',
    name,
    '--initial-cluster',
    `${name}=${peerUrl(r)}`,
    '--initial-advertise-peer-urls',
    peerUrl(r),
  ];
  return `mkdir -p ${q(r.workDir)} && chmod 700 ${q(r.workDir)} && ${offlineCommand(argv)}`;
}
/** startCommand's exit code when a socket already uses one of the ports. */
export const PORTS_TAKEN = 3;

/**
 * Starts the temporary etcd detached from the SSH session; prints its pid. Exits PORTS_TAKEN when any TCP socket
 * already uses one of its ports (listening or not: an outgoing connection's local port blocks the bind too); without
 * `ss` that is seen when etcd fails to bind.
 */
export function startCommand(r: ReplayEtcd): string {
  const taken = `ss -Htan ${q(`( sport = :${r.clientPort} or sport = :${r.peerPort} )`)} 2>/dev/null | grep -q .`;
  const etcd = [
    'etcd',
    `--name=${name}`,
    `--data-dir=${r.workDir}/data`,
    `--listen-client-urls=${clientUrl(r)}`,
    `--advertise-client-urls=${clientUrl(r)}`,
    `--listen-peer-urls=${peerUrl(r)}`,
    `--initial-advertise-peer-urls=${peerUrl(r)}`,
    `--initial-cluster=${name}=${peerUrl(r)}`,
  ]
    .map(q)
    .join(' ');
  return `if ${taken}; then echo "port ${r.clientPort} or ${r.peerPort} is in use" >&2; exit ${PORTS_TAKEN}; fi; setsid nohup ${etcd} > ${q(`${r.workDir}/etcd.log`)} 2>&1 < /dev/null & echo $!`;
}

/**
 * Prints `running` while the temporary etcd (pid, when given) runs, else `exited` and the last 20 lines of its log
 * (the log goes with the work dir when the member is removed).
 */
export function memberStateCommand(r: ReplayEtcd, pid: number | undefined): string {
  const tail = `tail -n 20 -- ${q(`${r.workDir}/etcd.log`)} 2>/dev/null`;
  return pid ? `if kill -0 ${pid} 2>/dev/null; then echo running; else echo exited; ${tail}; fi` : `echo exited; ${tail}`;
}

/** memberStateCommand's output: whether the member exited, and the end of its log when it did. */
export function parseMemberState(stdout: string): { exited: boolean; log: string } {
  return stdout.startsWith('exited\n') ? { exited: true, log: stdout.slice('exited\n'.length) } : { exited: false, log: '' };
}

/** Saves the replayed state as the final snapshot (tmp then rename, mode 0600). */
export function saveCommand(r: ReplayEtcd, dest: string): string {
  return `ETCDCTL_API=3 etcdctl --endpoints=${q(clientUrl(r))} snapshot save ${q(`${dest}.part`)} && chmod 600 ${q(`${dest}.part`)} && mv -f ${q(`${dest}.part`)} ${q(dest)}`;
}

/** Stops the temporary etcd (by pid, only if it is still that etcd) and removes its work dir. */
export function cleanupCommand(r: ReplayEtcd, pid: number | undefined): string {
  const kill = pid
    ? `if grep -q ${q(name)} /proc/${pid}/cmdline 2>/dev/null; then kill ${pid}; for i in $(seq 50); do kill -0 ${pid} 2>/dev/null || break; sleep 0.1; done; kill -9 ${pid} 2>/dev/null; fi; `
    : '';
  return `${kill}rm -rf ${q(r.workDir)}`;
}
