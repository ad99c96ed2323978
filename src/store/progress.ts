import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Bytes moved so far and the average rate since the start. */
export interface TransferProgress {
  bytes: number;
  bytesPerSecond: number;
  done: boolean;
  /** The size of the whole transfer, when known (for a percentage and the time left). */
  total?: number | undefined;
}

/** Receives progress at most every `intervalMs` (and once at the end). */
export type ProgressFn = (p: TransferProgress) => void;

/** A pass-through that hashes (SHA-256) and counts what flows, reports progress, and can check the digest at the end. */
export class HashTap extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private hex: string | undefined;
  private readonly started = Date.now();
  private lastReport = Date.now();

  constructor(
    private readonly opts: {
      onProgress?: ProgressFn | undefined;
      intervalMs?: number;
      expectSha256?: string | undefined;
      what?: string;
      total?: number | undefined;
    } = {},
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    const now = Date.now();
    if (this.opts.onProgress && now - this.lastReport >= (this.opts.intervalMs ?? 1000)) {
      this.lastReport = now;
      this.opts.onProgress(this.progress(false));
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.hex = this.hash.digest('hex');
    this.opts.onProgress?.(this.progress(true));
    const want = this.opts.expectSha256;
    if (want && want !== this.hex)
      return cb(new Error(`SHA-256 mismatch for ${this.opts.what ?? 'the data'}: expected ${want}, streamed ${this.hex}`));
    cb();
  }

  /** The hex digest (only after the stream ended). */
  get sha256(): string {
    if (this.hex === undefined) throw new Error('HashTap: digest read before the stream ended');
    return this.hex;
  }

  private progress(done: boolean): TransferProgress {
    const s = Math.max((Date.now() - this.started) / 1000, 0.001);
    return { bytes: this.bytes, bytesPerSecond: this.bytes / s, done, ...(this.opts.total ? { total: this.opts.total } : {}) };
  }
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1.2 GiB`, `85 MiB`, `512 B`. */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 || v >= 100 ? Math.round(v) : v.toFixed(1)} ${UNITS[u] ?? 'B'}`;
}

/** A progress line like `1.2 GiB of 4.0 GiB (30%)  85 MiB/s  about 34s left` (without a total: `1.2 GiB  85 MiB/s`). */
export function formatProgress(p: TransferProgress): string {
  const rate = `${formatBytes(p.bytesPerSecond)}/s`;
  if (!p.total) return `${formatBytes(p.bytes)}  ${rate}${p.done ? '  done' : ''}`;
  const pct = Math.min(100, Math.floor((p.bytes / p.total) * 100));
  const left = p.bytesPerSecond > 0 ? Math.max(0, (p.total - p.bytes) / p.bytesPerSecond) : undefined;
  const eta = p.done
    ? 'done'
    : left === undefined
      ? ''
      : `about ${left < 90 ? `${Math.ceil(left)}s` : `${Math.floor(left / 60)}m${String(Math.round(left % 60)).padStart(2, '0')}s`} left`;
  return `${formatBytes(p.bytes)} of ${formatBytes(p.total)} (${pct}%)  ${rate}${eta ? `  ${eta}` : ''}`;
}
