import type { S3UploadArgs } from '../generated/playbook.js';
import type { Store } from '../store/client.js';
import { StoreError } from '../errors/store-error.js';
import { COMPRESSION_SUFFIX, formatSnapshotName, parseSnapshotName, snapshotKey, type Compression } from '../store/names.js';
import { formatBytes } from '../store/progress.js';
import { META_COMPRESSION, META_SHA256, uploadFromHost } from '../store/transfer.js';
import { madeByText } from './dry-run-state.js';
import { transportOf, type ModuleDef, type ModuleResult } from './module.js';
import { failed, planEnv, runPlan, type Plan, type PlanEnv } from './plan.js';
import { probePath, type PathInfo } from './path-probe.js';
import { progressLines, taskSignal, withStore } from './s3-common.js';
import { changed, ok, wouldChange } from './result.js';

/** What an upload plans on: the object's key and compression, the host file, and the store actions it may take. */
export interface UploadFacts {
  key: string;
  compression: Compression;
  info: PathInfo;
  /** True when the object already holds this content with this compression. */
  same(sha256: string): Promise<boolean>;
  upload(sha256: string, size: number | undefined): Promise<{ size: number; sha256: string }>;
}

/**
 * Pure: upload the host file unless the object already holds it; in check mode a file that is not there yet is one
 * an earlier step (not run: a snapshot not taken) is to make, so the upload is planned, not failed.
 */
export function planUpload(args: S3UploadArgs, f: UploadFacts, env: PlanEnv): Plan {
  const { key, compression, info } = f;
  const where = `s3://${args.bucket}/${key}`;
  const gz = compression === 'gzip' ? ' gzip-compressed' : '';
  const objects = [{ bucket: args.bucket, key }];
  if (env.check && !info.exists) {
    const check = wouldChange(`upload ${args.src} (${madeByText(env.planned?.(args.src))}) from ${env.host} to ${where}${gz}`, {
      bucket: args.bucket,
      key,
    });
    return { result: check, steps: [], check, objects };
  }
  if (!info.exists || !info.isreg) return failed(`${args.src} ${info.exists ? 'is not a regular file' : 'does not exist'} on ${env.host}`);
  const sha256 = info.checksum ?? '';
  const upload = async (): Promise<ModuleResult> => {
    if (await f.same(sha256))
      return ok({ bucket: args.bucket, key, size: info.size, sha256, msg: `${where} already holds this file (sha256 ${sha256})` });
    const up = await f.upload(sha256, info.size);
    return changed({
      bucket: args.bucket,
      key,
      size: up.size,
      sha256: up.sha256,
      compression,
      msg: `uploaded ${args.src} (${formatBytes(up.size)}) to ${where}`,
    });
  };
  return {
    result: {},
    steps: [{ act: upload, show: `upload ${args.src} to ${where}${gz}` }],
    check: wouldChange(`upload ${args.src} (${formatBytes(info.size ?? 0)}) from ${env.host} to ${where}${gz}`, {
      bucket: args.bucket,
      key,
      size: info.size,
    }),
    objects,
  };
}

/** `s3_upload`: streams a host file to the object store (optionally gzip), checked against the host's SHA-256 of the file. */
export const s3UploadModule: ModuleDef<S3UploadArgs> = {
  name: 's3_upload',
  remote: true,
  readOnly: false,
  run(args, ctx) {
    return withStore(args, ctx, async (store) => {
      const compression = compressionArg(args.compress);
      const key = objectKey(args, compression);
      const env = planEnv(ctx);
      // the file's sha256 only when it will be uploaded (check mode does not read a multi-GiB snapshot)
      const info = await probePath(ctx, args.src, !env.check);
      const facts: UploadFacts = {
        key,
        compression,
        info,
        same: (sha256) => sameObject(store, args.bucket, key, sha256, compression),
        upload: (sha256, total) =>
          uploadFromHost({
            store,
            transport: transportOf(ctx),
            bucket: args.bucket,
            key,
            src: args.src,
            sha256,
            compression,
            become: ctx.become,
            signal: taskSignal(ctx),
            onProgress: progressLines(ctx, `upload ${args.src}:`),
            total,
          }),
      };
      return runPlan('s3_upload', planUpload(args, facts, env), ctx);
    });
  },
};

function compressionArg(v: string | undefined): Compression {
  if (v === undefined || v === '' || v === 'none') return 'none';
  if (v === 'gzip') return 'gzip';
  throw new StoreError('invalid', `compress must be gzip or none, got ${JSON.stringify(v)}`);
}

/** `key` as given, or `<prefix>/v2/<name>` with `.gz` added to a snapshot name when compressing; suffixes must agree. */
export function objectKey(args: Pick<S3UploadArgs, 'key' | 'prefix' | 'name'>, compression: Compression): string {
  if ((args.key === undefined || args.key === '') === (args.name === undefined || args.name === '')) {
    throw new StoreError('invalid', 's3_upload needs exactly one of "key" or "name" (with "prefix")');
  }
  if (args.key) {
    // A key in a v2 folder whose name parses is a snapshot etcdbrctl will read: its suffix must tell the truth.
    const snap = /(^|\/)v2\/[^/]+$/.test(args.key) ? parseSnapshotName(args.key.split('/').pop() ?? '') : undefined;
    if (snap && snap.compression !== compression) throw suffixMismatch(args.key, snap.compression, compression);
    return args.key;
  }
  const snap = parseSnapshotName(args.name ?? '');
  if (!snap)
    throw new StoreError(
      'invalid',
      `name "${args.name ?? ''}" is not a snapshot name (Full-%08d-%08d-<unix>[.gz|.Z|.zlib][.final]); use key for other objects`,
    );
  if (snap.compression === 'none' && compression !== 'none') return snapshotKey(args.prefix, formatSnapshotName({ ...snap, compression }));
  if (snap.compression !== compression) throw suffixMismatch(snap.name, snap.compression, compression);
  return snapshotKey(args.prefix, snap.name);
}

function suffixMismatch(name: string, has: Compression, want: Compression): StoreError {
  return new StoreError(
    'invalid',
    `${name} says ${has === 'none' ? 'uncompressed' : `${has} (${COMPRESSION_SUFFIX[has]})`} but compress is ${want}: etcdbrctl reads the compression from the name`,
  );
}

/** True when the object exists with our metadata for the same content and compression (nothing to do). */
async function sameObject(store: Store, bucket: string, key: string, sha256: string, compression: Compression): Promise<boolean> {
  try {
    const head = await store.call((s3, sdk) => s3.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key })), bucket, key);
    const m = head.Metadata ?? {};
    return m[META_SHA256] === sha256 && (m[META_COMPRESSION] ?? 'none') === compression;
  } catch (err) {
    if (err instanceof StoreError && err.code === 'no-object') return false;
    throw err;
  }
}
