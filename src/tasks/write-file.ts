import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { shellQuote } from '../util/shell-quote.js';
import { execOn, type ModuleContext, type ModuleResult } from './module.js';
import { octalMode, probePath } from './path-probe.js';
import { fail } from './result.js';

/** What to write: bytes in memory, or a controller file streamed without loading it. */
export type FileSource = { kind: 'buffer'; data: Buffer } | { kind: 'file'; path: string };

/** Options shared by `copy` and `template`. */
export interface WriteOptions {
  dest: string;
  mode?: string | number | undefined;
  owner?: string | undefined;
  group?: string | undefined;
  backup?: boolean | undefined;
}

/** SHA-256 of a source, streaming files. */
export async function sourceChecksum(src: FileSource): Promise<string> {
  const h = createHash('sha256');
  if (src.kind === 'buffer') return h.update(src.data).digest('hex');
  for await (const chunk of createReadStream(src.path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Writes a file on the host only when its content, mode or owner differ (idempotent; check mode only reports). */
export async function writeFile(ctx: ModuleContext, src: FileSource, opts: WriteOptions): Promise<ModuleResult> {
  const [want, probed] = await Promise.all([sourceChecksum(src), probePath(ctx, opts.dest, true)]);
  // in check mode, a file an earlier planned step would have removed is written again
  const before = ctx.dryRun?.pathState(ctx.host, opts.dest) === false ? { exists: false } as typeof probed : probed;
  if (before.isdir) return fail(`${opts.dest} is a directory`, { dest: opts.dest });
  const mode = octalMode(opts.mode);
  const contentDiffers = before.checksum !== want;
  const modeDiffers = mode !== undefined && before.mode !== mode;
  const ownerDiffers = (opts.owner && before.pw_name !== opts.owner) || (opts.group && before.gr_name !== opts.group);
  const result = { dest: opts.dest, checksum: want, ...(mode ? { mode } : {}) };
  if (!contentDiffers && !modeDiffers && !ownerDiffers) return { changed: false, ...result };
  if (ctx.check) {
    ctx.dryRun?.setPath(ctx.host, opts.dest, true);
    return { changed: true, ...result, msg: `check mode: would write ${opts.dest}${mode ? ` (mode ${mode})` : ''} on ${ctx.host}` };
  }
  let backupFile: string | undefined;
  if (opts.backup && before.exists && contentDiffers) backupFile = await backup(ctx, opts.dest);
  if (contentDiffers) {
    const content: Buffer | Readable = src.kind === 'buffer' ? src.data : createReadStream(src.path);
    const fallback = before.exists && before.mode ? parseInt(before.mode, 8) : 0o644;
    await ctx.transport?.put({ path: opts.dest, content, mode: mode ? parseInt(mode, 8) : fallback, become: ctx.become, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
  } else if (modeDiffers && mode) await must(ctx, `chmod ${mode} -- ${shellQuote(opts.dest)}`);
  if (ownerDiffers) await must(ctx, `chown ${shellQuote(`${opts.owner ?? ''}${opts.group ? `:${opts.group}` : ''}`)} -- ${shellQuote(opts.dest)}`);
  return { changed: true, ...result, ...(backupFile ? { backup_file: backupFile } : {}) };
}

async function backup(ctx: ModuleContext, dest: string): Promise<string> {
  const name = `${dest}.${new Date().toISOString().replace(/[:.]/g, '-')}~`;
  await must(ctx, `cp -p -- ${shellQuote(dest)} ${shellQuote(name)}`);
  return name;
}

async function must(ctx: ModuleContext, line: string): Promise<void> {
  const r = await execOn(ctx, line, { onOutput: undefined });
  if (r.code !== 0) throw new Error(`${line}: ${r.stderr.trim() || `exit code ${String(r.code)}`}`);
}
