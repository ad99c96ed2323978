import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ModuleName } from '../playbook/model.js';
import { shellQuote } from '../util/shell-quote.js';
import { execOn, type ModuleContext, type ModuleResult } from './module.js';
import { octalMode, parsePathProbe, pathProbeCommand, type PathInfo } from './path-probe.js';
import { failed, planEnv, runPlan, unchanged, type Plan, type PlanEnv, type Probe, type Step } from './plan.js';
import { changed } from './result.js';

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
export async function writeFile(
  ctx: ModuleContext,
  src: FileSource,
  opts: WriteOptions,
  module: ModuleName = 'copy',
): Promise<ModuleResult> {
  const [want, probe] = await Promise.all([sourceChecksum(src), execOn(ctx, pathProbeCommand(opts.dest, true), { onOutput: undefined })]);
  return runPlan(module, writePlan(src, want, opts, probe, planEnv(ctx), new Date()), ctx);
}

/** Pure: the steps that bring `dest` to the source's content (checksum `want`), mode and owner, from the probe of `dest`. */
export function writePlan(src: FileSource, want: string, opts: WriteOptions, probe: Probe, env: PlanEnv, now: Date): Plan {
  const probed = parsePathProbe(opts.dest, probe);
  if ('error' in probed) return failed(probed.error, { dest: opts.dest });
  // in check mode, a file an earlier planned step would have removed is written again
  const before: PathInfo = env.planned?.(opts.dest) === false ? { exists: false, path: opts.dest } : probed;
  if (before.isdir) return failed(`${opts.dest} is a directory`, { dest: opts.dest });
  const mode = octalMode(opts.mode);
  const contentDiffers = before.checksum !== want;
  const modeDiffers = mode !== undefined && before.mode !== mode;
  const ownerDiffers = (opts.owner && before.pw_name !== opts.owner) || (opts.group && before.gr_name !== opts.group);
  const result = { dest: opts.dest, checksum: want, ...(mode ? { mode } : {}) };
  if (!contentDiffers && !modeDiffers && !ownerDiffers) return unchanged(result);
  const dest = shellQuote(opts.dest);
  const steps: Step[] = [];
  if (opts.backup && before.exists && contentDiffers) {
    const name = shellQuote(`${opts.dest}.${now.toISOString().replace(/[:.]/g, '-')}~`);
    steps.push({ command: `cp -p -- ${dest} ${name} && printf '%s\\n' ${name}`, capture: 'backup_file', show: `back up ${opts.dest}` });
  }
  if (contentDiffers) {
    const fallback = before.exists && before.mode ? parseInt(before.mode, 8) : 0o644;
    const content = (): Buffer | Readable => (src.kind === 'buffer' ? src.data : createReadStream(src.path));
    steps.push({
      put: { path: opts.dest, mode: mode ? parseInt(mode, 8) : fallback, content },
      show: `write ${opts.dest}${mode ? ` (mode ${mode})` : ''}`,
    });
  } else if (modeDiffers && mode) steps.push({ command: `chmod ${mode} -- ${dest}` });
  if (ownerDiffers) steps.push({ command: `chown ${shellQuote(`${opts.owner ?? ''}${opts.group ? `:${opts.group}` : ''}`)} -- ${dest}` });
  const msg = env.check ? { msg: `check mode: would write ${opts.dest}${mode ? ` (mode ${mode})` : ''} on ${env.host}` } : {};
  return { result: changed({ ...result, ...msg }), steps, paths: { [opts.dest]: true } };
}
