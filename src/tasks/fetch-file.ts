import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { transportOf, type ModuleContext } from './module.js';

/**
 * Streams a host file to `dest` on the controller through `dest.tsplay-partial` (0600; directories it creates are
 * 0755 whatever the umask), renamed into place only when its sha256 is `sha256`; returns the sha256 received.
 */
export async function fetchFile(get: { path: string; dest: string; sha256: string | undefined }, ctx: ModuleContext): Promise<string> {
  await mkdir(dirname(get.dest), { recursive: true, mode: 0o755 });
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const tmp = `${get.dest}.tsplay-partial`;
  await rm(tmp, { force: true }); // a leftover of an interrupted fetch would keep its own mode
  const stream = await transportOf(ctx).get({ path: get.path, become: ctx.become, signal: ctx.signal });
  await pipeline(stream, tap, createWriteStream(tmp, { mode: 0o600 }));
  const got = hash.digest('hex');
  if (got === get.sha256) await rename(tmp, get.dest);
  return got;
}
