/** The two snapshot kinds of the etcdbrctl layout: a whole database or a delta of events. */
export type SnapshotKind = 'Full' | 'Incr';

/** How a snapshot object is compressed (from its name's suffix). */
export type Compression = 'none' | 'gzip' | 'lzw' | 'zlib';

/** A parsed snapshot name `<Kind>-<start:%08d>-<last:%08d>-<unix>[.gz|.Z|.zlib][.final]`. */
export interface SnapshotName {
  name: string;
  kind: SnapshotKind;
  startRevision: number;
  lastRevision: number;
  /** Creation time, unix seconds. */
  createdAt: number;
  compression: Compression;
  final: boolean;
}

/** Name suffix of each compression (etcdbrctl's). */
export const COMPRESSION_SUFFIX: Readonly<Record<Compression, string>> = { none: '', gzip: '.gz', lzw: '.Z', zlib: '.zlib' };

const LAST_TOKEN = /^(\d+)(\.gz|\.Z|\.zlib)?(\.final)?$/;
const REVISION = /^\d{8,}$/;

/** Parses a snapshot name; undefined when it is not one (unknown objects are ignored, never guessed at). */
export function parseSnapshotName(name: string): SnapshotName | undefined {
  const tokens = name.split('-');
  if (tokens.length !== 4) return undefined;
  const [kind, start = '', last = '', tail = ''] = tokens;
  if (kind !== 'Full' && kind !== 'Incr') return undefined;
  if (!REVISION.test(start) || !REVISION.test(last)) return undefined;
  const m = LAST_TOKEN.exec(tail);
  if (!m?.[1]) return undefined;
  const startRevision = Number(start);
  const lastRevision = Number(last);
  const createdAt = Number(m[1]);
  if (![startRevision, lastRevision, createdAt].every(Number.isSafeInteger)) return undefined;
  if (startRevision > lastRevision || (kind === 'Full' && startRevision !== 0)) return undefined;
  const compression = suffixCompression(m[2]);
  return { name, kind, startRevision, lastRevision, createdAt, compression, final: m[3] !== undefined };
}

function suffixCompression(suffix: string | undefined): Compression {
  if (suffix === '.gz') return 'gzip';
  if (suffix === '.Z') return 'lzw';
  if (suffix === '.zlib') return 'zlib';
  return 'none';
}

/** Formats a snapshot name exactly as etcdbrctl does (`%08d` revisions, compression then final suffix). */
export function formatSnapshotName(s: Omit<SnapshotName, 'name'>): string {
  const pad = (n: number): string => String(n).padStart(8, '0');
  return `${s.kind}-${pad(s.startRevision)}-${pad(s.lastRevision)}-${s.createdAt}${COMPRESSION_SUFFIX[s.compression]}${s.final ? '.final' : ''}`;
}

/** Orders snapshots as etcdbrctl does: by last revision, then creation time (then Incr before Full, then name). */
export function compareSnapshots(a: SnapshotName, b: SnapshotName): number {
  return (
    a.lastRevision - b.lastRevision ||
    a.createdAt - b.createdAt ||
    (a.kind === b.kind ? 0 : a.kind === 'Incr' ? -1 : 1) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** A sorted copy (oldest first). */
export function sortSnapshots<T extends SnapshotName>(list: readonly T[]): T[] {
  return [...list].sort(compareSnapshots);
}

/** The store prefix without leading/trailing/double slashes. */
export function cleanPrefix(prefix: string | undefined): string {
  return (prefix ?? '').split('/').filter(Boolean).join('/');
}

/** The folder holding v2 snapshots: `<prefix>/v2/`, or `v2/` for an empty prefix. */
export function v2Folder(prefix: string | undefined): string {
  const p = cleanPrefix(prefix);
  return p ? `${p}/v2/` : 'v2/';
}

/** The object key of a snapshot: `<prefix>/v2/<name>`. */
export function snapshotKey(prefix: string | undefined, name: string): string {
  return `${v2Folder(prefix)}${name}`;
}

/** The snapshot name of a key directly inside the v2 folder, if it parses (chunks and other objects: undefined). */
export function snapshotOfKey(key: string, prefix: string | undefined): SnapshotName | undefined {
  const folder = v2Folder(prefix);
  if (!key.startsWith(folder)) return undefined;
  const rest = key.slice(folder.length);
  return rest.includes('/') ? undefined : parseSnapshotName(rest);
}

/** The compression a key's name implies (by suffix, before an optional `.final`); also for non-snapshot keys. */
export function compressionOfKey(key: string): Compression {
  const base = key.replace(/\.final$/, '');
  if (base.endsWith('.gz')) return 'gzip';
  if (base.endsWith('.Z')) return 'lzw';
  if (base.endsWith('.zlib')) return 'zlib';
  return 'none';
}
