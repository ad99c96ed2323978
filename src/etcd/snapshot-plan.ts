import { sha256Snippet } from '../util/sha256-command.js';
import { shellQuote as q } from '../util/shell-quote.js';
import { etcdctlCommand, type EtcdConnection } from './etcdctl-command.js';
import { parseSnapshotStatus, type SnapshotStatus } from './etcdctl-json.js';
import { offlineCommand, offlineToolProbe, parseOfflineTool, type OfflineTool } from './offline-tool.js';

/** A verified snapshot file: etcd's status plus sha256, size in bytes and the file's fingerprint as it was verified. */
export interface SnapshotFile extends SnapshotStatus {
  sha256: string;
  size: number;
  /** fingerprintCommand's line, taken before the file was read (absent from output of older versions). */
  fingerprint?: string;
}

/**
 * Prints the identity of a file as `device:inode:size:mtime:ctime` (times to the nanosecond, in UTC): any write to
 * the file, a rename over it or a copy in its place changes it (the ctime cannot be set back), so a file with the
 * same fingerprint as when it was verified is still the file that was verified.
 */
export function fingerprintCommand(quotedPath: string): string {
  return `LC_ALL=C TZ=UTC stat -c '%d:%i:%s:%y:%z' -- ${quotedPath}`;
}

/** The shape of fingerprintCommand's line. */
export const FINGERPRINT = /^\d+:\d+:\d+:\d{4}-\d\d-\d\d [0-9:.]+ [+-]\d{4}:\d{4}-\d\d-\d\d [0-9:.]+ [+-]\d{4}$/;

/**
 * Prints `snapshot status -w json`, then sha256, then size of a snapshot file (etcdutl when installed, else etcdctl),
 * then its fingerprint taken before any of them read it (a write while they read shows as a changed fingerprint).
 */
export function snapshotStatusCommand(path: string): string {
  const p = q(path);
  return (
    `if [ ! -f ${p} ]; then echo ${q(`no snapshot file at ${path}`)} >&2; exit 2; fi; fp=$(${fingerprintCommand(p)}) && ` +
    `${offlineCommand(['snapshot', 'status', path, '-w', 'json'])} && ${sha256Snippet(p)} && stat -c %s -- ${p} && printf '%s\\n' "$fp"`
  );
}

/** Parses the output of snapshotStatusCommand. */
export function parseSnapshotFile(stdout: string): SnapshotFile {
  const [json = '', sha = '', size = '', fingerprint = ''] = stdout
    .trim()
    .split('\n')
    .map((l) => l.trim());
  if (!/^[0-9a-f]{64}$/.test(sha) || !/^\d+$/.test(size)) throw new Error(`unexpected snapshot status output: ${stdout.slice(0, 200)}`);
  return { ...parseSnapshotStatus(json), sha256: sha, size: Number(size), ...(FINGERPRINT.test(fingerprint) ? { fingerprint } : {}) };
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
  /** Where the current data dir goes, exactly (fails when there is none or this path exists); unset: a free `.tsplay-<time>` name, only when there is one. */
  keep_data_dir?: string | undefined;
  /**
   * The snapshot was verified earlier (etcd_snapshot status, before the stop): the restore only proves the file is
   * unchanged since (its fingerprint) instead of reading it again with `snapshot status`; the revision is the one
   * that verification found (null: unknown, e.g. check mode).
   */
  verified?: { fingerprint: string; revision: number | null } | undefined;
  name: string;
  initial_cluster: string;
  initial_advertise_peer_urls: string;
  initial_cluster_token: string;
  skip_hash_check?: boolean | undefined;
  bump_revision?: number | undefined;
  mark_compacted?: boolean | undefined;
}

/** What the host has, as far as a restore cares (check mode asks, to say what a run would do). */
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

/** The decided restore: one host command, and where the old data dir goes. */
export interface RestorePlan {
  /** Where an existing data dir is moved (keep_data_dir, or the first free `.tsplay-<time>[.N]` name). */
  aside: string;
  /** Whether the move comes before the snapshot's status (keep_data_dir). */
  moveFirst: boolean;
  /**
   * One command, one round trip: `tool=` and the snapshot's `snapshot status` (its JSON line), the data dir moved
   * aside (`moved_aside=PATH`; to keep_data_dir this comes first), `phase=restore`, `bump=0|1` when a bump was asked
   * for, then the restore into a data dir that no longer exists (umask 077, then 0700). Each part runs only when
   * the one before succeeded.
   */
  command: string;
  /** Whether the command asks the tool for --bump-revision (and applies it when the tool has it). */
  bumpAsked: boolean;
}

/** The restore's argv (with or without --bump-revision). */
function restoreArgv(a: RestoreSpec, dataDir: string, bump: boolean): string[] {
  return [
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
    ...(bump ? ['--bump-revision', String(a.bump_revision), ...(a.mark_compacted ? ['--mark-compacted'] : [])] : []),
  ];
}

/**
 * Decides a restore that never writes over an existing data dir, as one host command (the tool, the data dir's
 * presence and --bump-revision support are found on the host as it runs: no probe round trip before it).
 */
export function planRestore(a: RestoreSpec, now: Date): RestorePlan {
  const dataDir = a.data_dir.replace(/\/+$/, '') || '/';
  const d = q(dataDir);
  const p = q(a.path);
  const missing = `if [ ! -f ${p} ]; then echo ${q(`no snapshot file at ${a.path}`)} >&2; exit 2; fi; ${offlineToolProbe}`;
  // an empty fingerprint (check mode: the file was not there to verify) is shown as what it stands for
  const expected = a.verified?.fingerprint || '<the fingerprint etcd_snapshot status takes>';
  const status = a.verified
    ? `${missing} && fp=$(${fingerprintCommand(p)}) && if [ "$fp" = ${q(expected)} ]; then echo verified=1; ` +
      `else echo ${q(`${a.path} changed since it was verified (was ${expected}, now: `)}"$fp)" >&2; exit 2; fi`
    : `${missing} && ${offlineCommand(['snapshot', 'status', a.path, '-w', 'json'])}`;
  const keep = a.keep_data_dir?.replace(/\/+$/, '');
  const aside = keep || asideName(dataDir, now);
  const k = q(aside);
  const moveAside = keep
    ? `if [ ! -e ${d} ]; then echo ${q(`no data dir at ${dataDir} to keep at ${aside}`)} >&2; exit 3; fi; ` +
      `if [ -e ${k} ] || [ -L ${k} ]; then echo ${q(`${aside} already exists: not moving ${dataDir} there`)} >&2; exit 3; fi; ` +
      `mv -- ${d} ${k} && printf 'moved_aside=%s\\n' ${k}`
    : `if [ -e ${d} ]; then a=${k}; n=1; while [ -e "$a" ]; do n=$((n+1)); a=${k}.$n; done; ` +
      `mv -- ${d} "$a" && printf 'moved_aside=%s\\n' "$a"; fi`;
  const bumpAsked = a.bump_revision !== undefined && a.bump_revision > 0;
  const plain = offlineCommand(restoreArgv(a, dataDir, false));
  const restore = bumpAsked
    ? `if (${offlineCommand(['snapshot', 'restore', '--help'])}) 2>&1 | grep -q -- --bump-revision; ` +
      `then echo bump=1 && ${offlineCommand(restoreArgv(a, dataDir, true))}; else echo bump=0 && ${plain}; fi`
    : plain;
  return {
    aside,
    moveFirst: Boolean(keep),
    // to keep_data_dir, the move comes first: a rollback record names that path before this runs, and must be true
    // (the data dir there) from the first failure on, a snapshot refused by its status included
    command: `${keep ? `{ ${moveAside}; } && { ${status}; }` : `{ ${status}; } && { ${moveAside}; }`} && echo phase=restore && umask 077 && { ${restore}; } && chmod 700 -- ${d}`,
    bumpAsked,
  };
}

/** What planRestore's command printed, as far as it got. */
export interface RestoreOutput {
  /** The snapshot's status (undefined: the status did not run through, or did not parse). */
  status: SnapshotStatus | undefined;
  /** A `verified` restore found the file unchanged since its verification (instead of a status). */
  unchanged: boolean;
  tool: OfflineTool;
  movedAside: string | null;
  /** The restore itself started (the status and the move aside were done). */
  restoring: boolean;
  /** --bump-revision was passed (null: no bump was asked for). */
  bump: boolean | null;
}

/** Parses planRestore's command's stdout (of a finished or a failed run). */
export function parseRestoreOutput(stdout: string): RestoreOutput {
  const lines = stdout.split('\n').map((l) => l.trim());
  const json = lines.find((l) => l.startsWith('{'));
  let status: SnapshotStatus | undefined;
  try {
    status = json === undefined ? undefined : parseSnapshotStatus(json);
  } catch {
    status = undefined;
  }
  const value = (k: string): string | undefined => lines.find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1);
  const bump = value('bump');
  return {
    status,
    unchanged: lines.includes('verified=1'),
    tool: parseOfflineTool(stdout),
    movedAside: value('moved_aside') ?? null,
    restoring: lines.includes('phase=restore'),
    bump: bump === undefined ? null : bump === '1',
  };
}
