import type { Store } from './client.js';
import { snapshotOfKey, sortSnapshots, v2Folder, type SnapshotName } from './names.js';

/** A snapshot object in the store: its parsed name plus where it is and how big it is. */
export interface SnapshotEntry extends SnapshotName {
  key: string;
  /** Object size in bytes (compressed size when compressed). */
  size: number;
  /** When the object store last wrote it (ISO 8601), if it says. */
  lastModified?: string | undefined;
}

/** `s3://bucket/prefix/v2/` for messages. */
export function storeLocation(bucket: string, prefix: string | undefined): string {
  return `s3://${bucket}/${v2Folder(prefix)}`;
}

/** One object of a listing: its key, its size in bytes and when the store last wrote it (ISO 8601), if it says. */
export interface StoreObject {
  key: string;
  size: number;
  lastModified: string | undefined;
}

/** Every object whose key starts with PREFIX, across all pages of the listing. */
export async function listObjects(store: Store, bucket: string, prefix: string, signal?: AbortSignal): Promise<StoreObject[]> {
  const out: StoreObject[] = [];
  let token: string | undefined;
  do {
    const page = await store.call(
      (s3, sdk) =>
        s3.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal }),
      bucket,
    );
    for (const o of page.Contents ?? [])
      if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified?.toISOString() });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** Every snapshot directly under `<prefix>/v2/`, sorted oldest first; objects whose names do not parse are ignored. */
export async function listSnapshots(
  store: Store,
  bucket: string,
  prefix: string | undefined,
  signal?: AbortSignal,
): Promise<SnapshotEntry[]> {
  const out: SnapshotEntry[] = [];
  for (const o of await listObjects(store, bucket, v2Folder(prefix), signal)) {
    const snap = snapshotOfKey(o.key, prefix);
    if (snap) out.push({ ...snap, ...o });
  }
  return sortSnapshots(out);
}

/** A snapshot entry as plain JSON (snake_case: registered variables and `backups list --output json`). */
export function snapshotJson(e: SnapshotEntry): Record<string, unknown> {
  return {
    name: e.name,
    key: e.key,
    size: e.size,
    kind: e.kind,
    start_revision: e.startRevision,
    last_revision: e.lastRevision,
    created_at: new Date(e.createdAt * 1000).toISOString(),
    compression: e.compression,
    final: e.final,
  };
}
