import type { S3DownloadArgs } from '../generated/playbook.js';
import { StoreError } from '../errors/store-error.js';
import { compressionOfKey, type Compression } from '../store/names.js';
import { formatBytes } from '../store/progress.js';
import { META_COMPRESSION, META_SHA256, downloadToHost } from '../store/transfer.js';
import { transportOf, type ModuleDef, type ModuleResult } from './module.js';
import { octalMode, probePath, type PathInfo } from './path-probe.js';
import { planEnv, runPlan, type Plan, type PlanEnv } from './plan.js';
import { progressLines, taskSignal, withStore } from './s3-common.js';
import { changed, fail, ok, wouldChange } from './result.js';

/** What a download plans on: the object (its size and the sha256 we recorded), what is at dest, and the transfer. */
export interface DownloadFacts {
  compression: Compression;
  objectSize: number | undefined;
  objectSha: string | undefined;
  existing: PathInfo;
  download(): Promise<{ size: number; sha256: string; objectSize: number }>;
}

/** Pure: keep a dest that already holds the object, refuse any other existing dest without force, else download it. */
export function planDownload(args: S3DownloadArgs, f: DownloadFacts, env: PlanEnv): Plan {
  const { compression, existing, objectSha } = f;
  if (existing.exists && (!existing.isreg || !args.force)) {
    const kept = keepExisting(args.dest, env.host, existing, objectSha);
    if (kept) return { result: kept, steps: [] };
  }
  const where = `s3://${args.bucket}/${args.key}`;
  const what = `${where} (${formatBytes(f.objectSize ?? 0)}${compression === 'none' ? '' : `, ${compression}`}) to ${args.dest} on ${env.host}`;
  const download = async (): Promise<ModuleResult> => {
    const r = await f.download();
    return changed({ dest: args.dest, size: r.size, sha256: r.sha256, object_size: r.objectSize, compression, msg: `downloaded ${what}` });
  };
  return {
    result: {},
    steps: [{ act: download, show: `download ${where} to ${args.dest}` }],
    check: wouldChange(`download ${what}`, { dest: args.dest, bucket: args.bucket, key: args.key, object_size: f.objectSize }),
    paths: { [args.dest]: true },
  };
}

/** `s3_download`: streams an object to a host file (decompressing by suffix), verified with the SHA-256 the host computes while writing it. */
export const s3DownloadModule: ModuleDef<S3DownloadArgs> = {
  name: 's3_download',
  remote: true,
  readOnly: false,
  run(args, ctx) {
    return withStore(args, ctx, async (store) => {
      const compression = decompressArg(args.decompress, args.key);
      const mode = parseInt(octalMode(args.mode) ?? '0600', 8);
      const head = await store.call(
        (s3, sdk) => s3.send(new sdk.HeadObjectCommand({ Bucket: args.bucket, Key: args.key })),
        args.bucket,
        args.key,
      );
      const objectSha = ourSha(head.Metadata, compression);
      const existing = await probePath(ctx, args.dest, !args.force && objectSha !== undefined);
      const facts: DownloadFacts = {
        compression,
        objectSize: head.ContentLength,
        objectSha,
        existing,
        download: () =>
          downloadToHost({
            store,
            transport: transportOf(ctx),
            bucket: args.bucket,
            key: args.key,
            dest: args.dest,
            mode,
            compression,
            become: ctx.become,
            signal: taskSignal(ctx),
            onProgress: progressLines(ctx, `download ${args.key}:`),
          }),
      };
      return runPlan('s3_download', planDownload(args, facts, planEnv(ctx)), ctx);
    });
  },
};

/** What to do with an existing dest: ok when it already holds the object's content, else refuse (never a silent overwrite). */
function keepExisting(
  dest: string,
  host: string,
  info: { isreg?: boolean | undefined; checksum?: string | undefined },
  objectSha: string | undefined,
): ModuleResult | undefined {
  if (!info.isreg) return fail(`${dest} on ${host} exists and is not a regular file`);
  if (objectSha !== undefined && info.checksum === objectSha)
    return ok({ dest, sha256: objectSha, msg: `${dest} already holds this object (sha256 ${objectSha})` });
  return fail(`${dest} already exists on ${host}; not replaced (set force: true to replace it)`, { dest });
}

/** The sha256 we recorded at upload, when it describes what this download writes. */
function ourSha(meta: Record<string, string> | undefined, compression: Compression): string | undefined {
  const m = meta ?? {};
  return m[META_SHA256] && (m[META_COMPRESSION] ?? 'none') === compression ? m[META_SHA256] : undefined;
}

/** `decompress`: auto/true (default) by the key's suffix, none/false to keep the bytes, or a named codec. */
export function decompressArg(v: boolean | string | undefined, key: string): Compression {
  if (v === undefined || v === true || v === 'auto' || v === '' || v === 'true') return compressionOfKey(key);
  if (v === false || v === 'none' || v === 'false') return 'none';
  if (v === 'gzip' || v === 'zlib' || v === 'lzw') return v;
  throw new StoreError('invalid', `decompress must be auto, none, gzip, zlib or lzw, got ${JSON.stringify(v)}`);
}
