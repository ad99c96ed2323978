import { PassThrough, Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Transport } from '../transports/transport.js';
import type { Become } from '../connection/types.js';
import { sha256Snippet } from '../util/sha256-command.js';
import { shellQuote } from '../util/shell-quote.js';
import type { Store } from './client.js';
import { compressor, decompressor } from './codecs.js';
import { StoreError } from '../errors/store-error.js';
import { loadStorageSdk } from './sdk.js';
import type { Compression } from './names.js';
import { HashTap, type ProgressFn } from './progress.js';

/** Multipart part size: memory is about partSize × (queueSize + 1), whatever the file size. */
export const PART_SIZE = 8 * 1024 * 1024;
export const QUEUE_SIZE = 3;

/** Object metadata we write (`x-amz-meta-sha256`: SHA-256 of the uncompressed content). */
export const META_SHA256 = 'sha256';
export const META_COMPRESSION = 'compression';

/** What is common to both directions. */
interface HostSide {
  store: Store;
  transport: Transport;
  bucket: string;
  key: string;
  become?: Become | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressFn | undefined;
}

/** Host → S3: streams `src` from the host (optionally gzip), checks it against the host's own SHA-256, records it as metadata. */
export async function uploadFromHost(
  o: HostSide & { src: string; sha256: string; compression: Compression; total?: number | undefined },
): Promise<{ size: number; sha256: string }> {
  const [{ s3 }, { Upload }] = await Promise.all([o.store.sdk(), loadStorageSdk()]);
  const source = await o.transport.get({ path: o.src, become: o.become, signal: o.signal });
  // The digest is checked before the last part is sent: a changed or damaged stream never becomes an object.
  const tap = new HashTap({ onProgress: o.onProgress, expectSha256: o.sha256, what: `${o.src} on ${o.transport.host}`, total: o.total });
  const body = new PassThrough();
  const stages: Transform[] = o.compression === 'none' ? [tap] : [tap, compressor(o.compression)];
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: o.bucket,
      Key: o.key,
      Body: body,
      ContentType: 'application/octet-stream',
      Metadata: { [META_SHA256]: o.sha256, [META_COMPRESSION]: o.compression },
    },
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
    leavePartsOnError: false,
    abortController: abortControllerFor(o.signal),
  });
  const piping = pipeline([source, ...stages, body]);
  const uploading = upload.done();
  uploading.catch(() => undefined);
  try {
    await Promise.all([piping, uploading]);
  } catch (err) {
    source.destroy();
    body.destroy();
    // Why it failed: a stream error of ours (a changed file, a lost host) wins; but when a request failed (the store
    // went away), the SDK stops reading and the pipeline only reports an abort: then the upload's own error says why.
    const [streamErr, uploadErr] = await Promise.all([settledWithin(piping, 2000), settledWithin(uploading, 2000)]);
    await upload.abort().catch(() => undefined);
    const aborted = (e: unknown): boolean =>
      e instanceof Error && (e.name === 'AbortError' || (e as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE');
    throw toTransferError(streamErr !== undefined && !aborted(streamErr) ? streamErr : (uploadErr ?? streamErr ?? err), o, 'upload');
  }
  return { size: tap.bytes, sha256: tap.sha256 };
}

/** S3 → host: streams the object (decompressing), writes `dest` atomically with `mode`, checked against the SHA-256 the host computed while writing. */
export async function downloadToHost(
  o: HostSide & { dest: string; mode: number; compression: Compression; timeoutMs?: number | undefined },
): Promise<{ size: number; sha256: string; objectSize: number; metadataSha256?: string | undefined }> {
  const res = await o.store
    .call((s3, sdk) => s3.send(new sdk.GetObjectCommand({ Bucket: o.bucket, Key: o.key }), { abortSignal: o.signal }), o.bucket, o.key)
    .catch((e: unknown) => {
      throw toTransferError(e, o, 'download');
    });
  if (!(res.Body instanceof Readable)) throw new StoreError('failed', `object s3://${o.bucket}/${o.key} has no readable body`);
  const meta = res.Metadata ?? {};
  // Our metadata digest is of the uncompressed content: it applies when we undo exactly the compression we applied.
  const metaSha = meta[META_SHA256] && (meta[META_COMPRESSION] ?? 'none') === o.compression ? meta[META_SHA256] : undefined;
  // the object's size is what comes over the wire; uncompressed it may differ, so no total then
  const total = o.compression === 'none' ? res.ContentLength : undefined;
  const tap = new HashTap({ onProgress: o.onProgress, expectSha256: metaSha, what: `s3://${o.bucket}/${o.key}`, total });
  const content = new PassThrough();
  const body = res.Body;
  const piping = pipeline(body, decompressor(o.compression), tap, content);
  const putting = o.transport.put({
    path: o.dest,
    content,
    mode: o.mode,
    become: o.become,
    signal: o.signal,
    sha256: piping.then(() => tap.sha256),
  });
  // A host that cannot write (a full disk, a missing directory) stops reading its input: the download is ended with
  // it, or the stream would wait for a reader forever; the host's error is then the one to report.
  let pipeSettled = false;
  piping.then(
    () => (pipeSettled = true),
    () => (pipeSettled = true),
  );
  let putFirst = false;
  putting.catch(() => {
    if (pipeSettled) return;
    putFirst = true;
    body.destroy();
    content.destroy();
  });
  // The put commits the file only once the host's SHA-256 of what it wrote equals the streamed one (tap.sha256), and
  // the tap fails the stream first when that differs from the object's recorded digest: a rejected put wrote nothing.
  const [p, w] = await Promise.allSettled([piping, putting]);
  if (p.status === 'rejected' || w.status === 'rejected') {
    body.destroy();
    content.destroy();
    const hostFirst = putFirst && !o.signal?.aborted && w.status === 'rejected';
    throw toTransferError(
      hostFirst ? w.reason : p.status === 'rejected' ? p.reason : w.status === 'rejected' ? w.reason : undefined,
      o,
      'download',
    );
  }
  return { size: tap.bytes, sha256: tap.sha256, objectSize: res.ContentLength ?? 0, metadataSha256: meta[META_SHA256] };
}

/** SHA-256 of a file on the host (openssl or sha256sum). */
export async function sha256OnHost(o: Pick<HostSide, 'transport' | 'become' | 'signal'>, path: string): Promise<string> {
  const r = await o.transport.exec({ command: sha256Snippet(shellQuote(path)), become: o.become, signal: o.signal, timeoutMs: undefined });
  const sum = /^([0-9a-f]{64})\b/.exec(r.stdout)?.[1];
  if (r.code !== 0 || !sum)
    throw new StoreError(
      'failed',
      `cannot compute the SHA-256 of ${path} on ${o.transport.host}: ${r.stderr.trim() || `exit code ${String(r.code)}`}`,
    );
  return sum;
}

/** The rejection reason of a promise that settles within ms (undefined when it resolved or is still pending). */
function settledWithin(p: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([
    p.then(
      () => undefined,
      (e: unknown) => e,
    ),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref()),
  ]);
}

function abortControllerFor(signal: AbortSignal | undefined): AbortController {
  const ac = new AbortController();
  if (signal?.aborted) ac.abort(signal.reason);
  else signal?.addEventListener('abort', () => ac.abort(signal.reason), { once: true });
  return ac;
}

function toTransferError(err: unknown, o: HostSide, dir: 'upload' | 'download'): Error {
  if (o.signal?.aborted) {
    const why = o.signal.reason instanceof Error ? o.signal.reason.message : String(o.signal.reason);
    return new StoreError('aborted', `${dir} of s3://${o.bucket}/${o.key} was stopped: ${why}`);
  }
  if (err instanceof StoreError) return err;
  const e = err as { name?: unknown; $metadata?: unknown; message?: unknown } | undefined;
  // SDK errors carry $metadata; stream/host errors (checksum mismatch, unreadable file) keep their own message.
  // the store went away in the middle: say which transfer, and that nothing half-written became an object
  const during = (se: StoreError): StoreError =>
    se.code !== 'unreachable'
      ? se
      : new StoreError(
          'unreachable',
          `${dir} of s3://${o.bucket}/${o.key} ${dir === 'upload' ? 'from' : 'to'} ${o.transport.host} failed: ${se.message}${dir === 'upload' ? ' (no object was written)' : ''}`,
        );
  if (
    e &&
    typeof e === 'object' &&
    ('$metadata' in e || (typeof e.name === 'string' && /^(NoSuch|Access|InvalidAccess|Signature|NotFound)/.test(e.name)))
  ) {
    return during(o.store.error(err, o.bucket, o.key));
  }
  const msg = e instanceof Error ? e.message : String(err);
  if (/SHA-256 mismatch/.test(msg)) return new StoreError('integrity', `${dir} of s3://${o.bucket}/${o.key} failed: ${msg}`);
  const net = o.store.error(err, o.bucket, o.key);
  if (net.code === 'unreachable') return during(net);
  return new StoreError(
    'failed',
    `${dir} of s3://${o.bucket}/${o.key} ${dir === 'upload' ? 'from' : 'to'} ${o.transport.host} failed: ${o.store.scrub(msg)}`,
  );
}
