// OpenShift backups in an object store, as openshift-backup.yaml writes them: one folder per backup,
// [<prefix>/]openshift/<cluster>/<stamp>/, holding the two files cluster-backup.sh wrote, snapshot_<ts>.db and
// static_kuberesources_<ts>.tar.gz (both ending in __POSSIBLY_DIRTY__ before the extension when it ran with --force).
import type { Store } from './client.js';
import { listObjects } from './list.js';

/** One object of a backup. */
export interface BackupFile {
  key: string;
  name: string;
  size: number;
}

/** One backup folder and what it holds. */
export interface OpenShiftBackup {
  /** The folder's last path element (openshift-backup.yaml's UTC timestamp). */
  name: string;
  /** The folder, as a key prefix ending in `/`. */
  path: string;
  snapshots: BackupFile[];
  resources: BackupFile[];
  /** Anything else in the folder. */
  others: BackupFile[];
}

const SNAPSHOT = /^snapshot_(.+?)(__POSSIBLY_DIRTY__)?\.db$/;
const RESOURCES = /^static_kuberesources_(.+?)(__POSSIBLY_DIRTY__)?\.tar\.gz$/;

/** The folder of a cluster's backups: `[prefix/]openshift/<cluster>/`. */
export function backupsFolder(prefix: string | undefined, cluster: string): string {
  const p = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return `${p ? `${p}/` : ''}openshift/${cluster}/`;
}

/** Groups listed objects under `folder` into backups, oldest first (the timestamps sort as text). */
export function groupBackups(folder: string, objects: readonly { key: string; size: number }[]): OpenShiftBackup[] {
  const byName = new Map<string, OpenShiftBackup>();
  for (const o of objects) {
    if (!o.key.startsWith(folder)) continue;
    const rest = o.key.slice(folder.length).split('/');
    if (rest.length !== 2 || !rest[0] || !rest[1]) continue;
    const [name, file] = rest as [string, string];
    const b = byName.get(name) ?? { name, path: `${folder}${name}/`, snapshots: [], resources: [], others: [] };
    byName.set(name, b);
    const f = { key: o.key, name: file, size: o.size };
    if (SNAPSHOT.test(file)) b.snapshots.push(f);
    else if (RESOURCES.test(file)) b.resources.push(f);
    else b.others.push(f);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Why a backup cannot be restored (undefined: it can): both files, exactly one of each, from the same cluster-backup.sh run. */
export function backupProblem(b: OpenShiftBackup): string | undefined {
  if (b.snapshots.length === 0 && b.resources.length === 0)
    return `${b.path} holds neither snapshot_*.db nor static_kuberesources_*.tar.gz`;
  if (b.snapshots.length === 0)
    return `${b.path} has no snapshot_*.db (only ${b.resources.map((f) => f.name).join(', ')}): the etcd snapshot of this backup is missing`;
  if (b.resources.length === 0)
    return `${b.path} has no static_kuberesources_*.tar.gz (only ${b.snapshots.map((f) => f.name).join(', ')}): the static pod resources of this backup are missing`;
  if (b.snapshots.length > 1 || b.resources.length > 1)
    return `${b.path} holds more than one backup (${[...b.snapshots, ...b.resources].map((f) => f.name).join(', ')})`;
  const ts = (re: RegExp, f: BackupFile | undefined): string => (f ? (re.exec(f.name)?.[1] ?? '') : '');
  if (ts(SNAPSHOT, b.snapshots[0]) !== ts(RESOURCES, b.resources[0]))
    return `${b.path}: ${b.snapshots[0]?.name ?? ''} and ${b.resources[0]?.name ?? ''} are not from the same cluster-backup.sh run`;
  return undefined;
}

/** Whether cluster-backup.sh ran with --force for this backup. */
export const isDirty = (b: OpenShiftBackup): boolean => [...b.snapshots, ...b.resources].some((f) => f.name.includes('__POSSIBLY_DIRTY__'));

/** Every object under the folder (paginated). */
export async function listFolder(
  store: Store,
  bucket: string,
  folder: string,
  signal?: AbortSignal,
): Promise<{ key: string; size: number }[]> {
  return (await listObjects(store, bucket, folder, signal)).map(({ key, size }) => ({ key, size }));
}

/** The backup to restore: the named one, or the latest; a problem message when there is none or it is incomplete. */
export function chooseBackup(
  backups: readonly OpenShiftBackup[],
  named: string | undefined,
  where: string,
): OpenShiftBackup | { problem: string; hint?: string } {
  if (backups.length === 0)
    return {
      problem: `no OpenShift backup in ${where}`,
      hint: 'openshift-backup.yaml writes them there (check cluster_name and store_prefix)',
    };
  const name = named?.replace(/\/+$/, '').split('/').pop();
  const b = name ? backups.find((x) => x.name === name) : backups[backups.length - 1];
  if (!b)
    return {
      problem: `backup "${named ?? ''}" is not in ${where}`,
      hint: `the latest there: ${backups
        .slice(-3)
        .reverse()
        .map((x) => x.name)
        .join(', ')}`,
    };
  const problem = backupProblem(b);
  if (problem)
    return {
      problem,
      hint: name ? 'restore a complete backup' : 'the latest backup is incomplete: name a complete one with -e openshift_backup=<stamp>',
    };
  return b;
}
