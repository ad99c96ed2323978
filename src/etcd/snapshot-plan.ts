import { sha256Snippet } from '../util/sha256-command.js';
import { shellQuote as q } from '../util/shell-quote.js';
import { etcdctlCommand, type EtcdConnection } from './etcdctl-command.js';
import { parseSnapshotStatus, type SnapshotStatus } from './etcdctl-json.js';
import { offlineCommand, offlineToolProbe, parseOfflineTool, type OfflineTool } from './offline-tool.js';

/** A verified snapshot file: etcd's status plus sha256 and size in bytes. */
export interface SnapshotFile extends SnapshotStatus {
  sha256: string;
  size: number;
}

/** Prints `snapshot status -w json`, then sha256, then size of a snapshot file (etcdutl when installed, else etcdctl). */
export function snapshotStatusCommand(path: string): string {
  const p = q(path);
  return (
    `if [ ! -f ${p} ]; then echo ${q(`no snapshot file at ${path}`)} >&2; exit 2; fi; ` +
    `${offlineCommand(['snapshot', 'status', path, '-w', 'json'])} && ${sha256Snippet(p)} && stat -c %s -- ${p}`
  );
}

/** Parses the output of snapshotStatusCommand. */
export function parseSnapshotFile(stdout: string): SnapshotFile {
  const [json = '', sha = '', size = ''] = stdout
    .trim()
    .split('\n')
    .map((l) => l.trim());
  if (!/^[0-9a-f]{64}$/.test(sha) || !/^\d+$/.test(size)) throw new Error(`unexpected snapshot status output: ${stdout.slice(0, 200)}`);
  return { ...parseSnapshotStatus(json), sha256: sha, size: Number(size) };
}

/** etcdctl --command-timeout for `snapshot save` (at least): an hour, enough to stream an 8 GiB db from a slow disk. */
export const SAVE_TIMEOUT_S = 3600;

/** The three steps of `save`: stream into `dest.part` (umask 077), verify it, then chmod 0600 and rename into place. */
export function saveCommands(c: EtcdConnection, dest: string): { save: string; verify: string; commit: string } {
  const part = `${dest}.part`;
  const dir = dest.includes('/') ? dest.slice(0, dest.lastIndexOf('/')) || '/' : '.';
  return {
    // etcdctl 3.4 bounds the whole snapshot stream by --command-timeout: the default 5 s fails ("context deadline
    // exceeded") on a db of a few hundred MiB. The task's own `timeout` still bounds the save from tsplay's side.
    save: `umask 077 && mkdir -p -- ${q(dir)} && rm -f -- ${q(part)} && ${etcdctlCommand({ ...c, timeoutS: Math.max(c.timeoutS, SAVE_TIMEOUT_S) }, ['snapshot', 'save', part], false)}`,
    verify: snapshotStatusCommand(part),
    commit: `chmod 600 -- ${q(part)} && mv -f -- ${q(part)} ${q(dest)}`,
  };
}

/** Arguments of a restore. */
export interface RestoreSpec {
  path: string;
  data_dir: string;
  name: string;
  initial_cluster: string;
  initial_advertise_peer_urls: string;
  initial_cluster_token: string;
  skip_hash_check?: boolean | undefined;
  bump_revision?: number | undefined;
  mark_compacted?: boolean | undefined;
}

/** What the host has, as far as a restore cares. */
export interface RestoreProbe {
  dataDirExists: boolean;
  tool: OfflineTool;
  bumpSupported: boolean;
}

/** Prints `exists=0|1`, `tool=etcdutl|etcdctl` and `bump=0|1` (whether the restore tool knows --bump-revision). */
export function restoreProbeCommand(dataDir: string): string {
  const help = offlineCommand(['snapshot', 'restore', '--help']);
  return (
    `if [ -e ${q(dataDir)} ]; then echo exists=1; else echo exists=0; fi; ${offlineToolProbe}; ` +
    `if (${help}) 2>&1 | grep -q -- --bump-revision; then echo bump=1; else echo bump=0; fi`
  );
}

/** Parses restoreProbeCommand's output. */
export function parseRestoreProbe(stdout: string): RestoreProbe {
  const get = (k: string): string => new RegExp(`^${k}=(\\S+)$`, 'm').exec(stdout)?.[1] ?? '';
  return { dataDirExists: get('exists') === '1', tool: parseOfflineTool(stdout), bumpSupported: get('bump') === '1' };
}

/** `<data_dir>.tsplay-<UTC yyyymmddThhmmss>` (trailing slashes dropped). */
export function asideName(dataDir: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
  return `${dataDir.replace(/\/+$/, '')}.tsplay-${stamp}`;
}

/** The decided restore: where the old data dir goes and the commands, in order. */
export interface RestorePlan {
  aside: string | null;
  /** Moves the data dir aside (to a free name: `.2`, `.3`… when taken) and prints where it went. */
  moveAside: string | null;
  restore: string;
  bumpApplied: boolean;
}

/** Decides a restore that never writes over an existing data dir. */
export function planRestore(a: RestoreSpec, p: RestoreProbe, now: Date): RestorePlan {
  const dataDir = a.data_dir.replace(/\/+$/, '') || '/';
  const aside = p.dataDirExists ? asideName(dataDir, now) : null;
  const moveAside =
    aside === null
      ? null
      : `a=${q(aside)}; n=1; while [ -e "$a" ]; do n=$((n+1)); a=${q(aside)}.$n; done; mv -- ${q(dataDir)} "$a" && printf '%s\\n' "$a"`;
  const bumpApplied = p.bumpSupported && a.bump_revision !== undefined && a.bump_revision > 0;
  const argv = [
    'snapshot',
    'restore',
    a.path,
    '--data-dir',
    dataDir,
    '--name',
    a.name,
    '--initial-cluster',
    a.initial_cluster,
    '--initial-cluster-token',
    a.initial_cluster_token,
    '--initial-advertise-peer-urls',
    a.initial_advertise_peer_urls,
    ...(a.skip_hash_check ? ['--skip-hash-check'] : []),
    ...(bumpApplied ? ['--bump-revision', String(a.bump_revision), ...(a.mark_compacted ? ['--mark-compacted'] : [])] : []),
  ];
  return { aside, moveAside, restore: `umask 077 && ${offlineCommand(argv, p.tool)} && chmod 700 -- ${q(dataDir)}`, bumpApplied };
}
