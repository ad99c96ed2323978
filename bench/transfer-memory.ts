// Controller memory while streaming a large file host → S3 → host (not a test: prints numbers).
// Usage: node --expose-gc --import tsx bench/transfer-memory.ts [MiB=512]
// Uses a private s3rver (child process, ephemeral loopback port) and the local transport.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Store } from '../src/store/client.js';
import { storeConfig } from '../src/store/config.js';
import { formatBytes } from '../src/store/progress.js';
import { downloadToHost, sha256OnHost, uploadFromHost } from '../src/store/transfer.js';
import { resolveConnectionSpec } from '../src/connection/connection-spec.js';
import { LocalTransport } from '../src/transports/local.js';
import { startS3rver } from '../test/support/s3rver.js';

const mib = Number(process.argv[2] ?? 512);
const gc = (globalThis as { gc?: () => void }).gc;

async function writeFile(path: string): Promise<void> {
  const block = randomBytes(1 << 20);
  const out = createWriteStream(path);
  for (let i = 0; i < mib; i++) {
    block[i % block.length] = i & 0xff; // every MiB differs a little
    if (!out.write(Buffer.from(block))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** Runs fn while sampling RSS every 50 ms; returns the peak growth over the baseline. */
async function measure(label: string, fn: () => Promise<unknown>): Promise<void> {
  gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = Date.now();
  await fn();
  clearInterval(timer);
  const s = (Date.now() - t0) / 1000;
  console.log(
    `${label.padEnd(16)} ${formatBytes(mib * 2 ** 20)} in ${s.toFixed(1)} s (${formatBytes((mib * 2 ** 20) / s)}/s)  RSS base ${formatBytes(base)}  peak ${formatBytes(peak)}  growth ${formatBytes(peak - base)}`,
  );
}

const s3 = await startS3rver();
const dir = await mkdtemp(join(tmpdir(), 'tsplay-bench-'));
const { spec } = resolveConnectionSpec('localhost', { ansible_connection: 'local' });
if (!spec) throw new Error('no local spec');
const transport = new LocalTransport(spec);
const store = new Store(storeConfig(s3.env));
try {
  const src = join(dir, 'big.db');
  await writeFile(src);
  const sha256 = await sha256OnHost({ transport }, src);
  const key = 'bench/v2/Full-00000000-00000001-1700000000';
  await measure('upload', () => uploadFromHost({ store, transport, bucket: 'etcd-backup', key, src, sha256, compression: 'none' }));
  await measure('download', () =>
    downloadToHost({ store, transport, bucket: 'etcd-backup', key, dest: join(dir, 'back.db'), mode: 0o600, compression: 'none' }),
  );
  await measure('upload gzip', () =>
    uploadFromHost({ store, transport, bucket: 'etcd-backup', key: `${key}.gz`, src, sha256, compression: 'gzip' }),
  );
  await measure('download gzip', () =>
    downloadToHost({
      store,
      transport,
      bucket: 'etcd-backup',
      key: `${key}.gz`,
      dest: join(dir, 'back2.db'),
      mode: 0o600,
      compression: 'gzip',
    }),
  );
} finally {
  store.destroy();
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
}
