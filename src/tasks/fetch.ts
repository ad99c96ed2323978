import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FetchArgs } from '../generated/playbook.js';
import { CONTROLLER, madeBy } from './dry-run-state.js';
import { transportOf, type ModuleDef } from './module.js';
import { probePath } from './path-probe.js';
import { changed, fail, ok, wouldChange } from './result.js';

/** `fetch`: streams a host file to the controller (`dest/HOST/SRC`, or `dest` with flat) and verifies its sha256. */
export const fetchModule: ModuleDef<FetchArgs> = {
  name: 'fetch',
  remote: true,
  readOnly: false,
  async run(args, ctx) {
    const info = await probePath(ctx, args.src, true);
    const base = resolve(ctx.dir, args.dest);
    const dest = args.flat
      ? args.dest.endsWith('/')
        ? join(base, args.src.split('/').pop() ?? 'file')
        : base
      : join(base, ctx.host, args.src);
    if (ctx.check && !info.exists && args.fail_on_missing !== false) {
      ctx.dryRun?.setPath(CONTROLLER, dest, true);
      return wouldChange(`fetch ${args.src} (${madeBy(ctx, args.src)}) from ${ctx.host} to ${dest}`, { dest });
    }
    if (!info.exists || !info.isreg) {
      const msg = `${args.src} ${info.exists ? 'is not a regular file' : 'does not exist'} on ${ctx.host}`;
      return args.fail_on_missing === false ? ok({ skipped: true, msg }) : fail(msg);
    }
    if (ctx.check) {
      ctx.dryRun?.setPath(CONTROLLER, dest, true);
      return wouldChange(`fetch ${args.src} from ${ctx.host} to ${dest}`, { dest });
    }
    // Directories it creates are never group/world-writable whatever the umask; the file is 0600 (a snapshot, a key).
    await mkdir(dirname(dest), { recursive: true, mode: 0o755 });
    const hash = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _e, cb) {
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    const tmp = `${dest}.tsplay-partial`;
    await rm(tmp, { force: true }); // a leftover of an interrupted fetch would keep its own mode
    const stream = await transportOf(ctx).get({ path: args.src, become: ctx.become, signal: ctx.signal });
    await pipeline(stream, tap, createWriteStream(tmp, { mode: 0o600 }));
    const got = hash.digest('hex');
    if (got !== info.checksum)
      return fail(`checksum mismatch fetching ${args.src}: remote ${String(info.checksum)}, received ${got}`, { dest });
    await rename(tmp, dest);
    return changed({ dest, checksum: got, size: info.size });
  },
};
