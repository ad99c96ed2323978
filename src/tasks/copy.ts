import { existsSync } from 'node:fs';
import { sourcePath } from '../playbook/roles/source-path.js';
import { CONTROLLER } from './dry-run-state.js';
import type { CopyArgs } from '../generated/playbook.js';
import type { ModuleDef } from './module.js';
import { writeFile } from './write-file.js';

/** `copy`: writes `content`, or the controller file `src` (relative to the playbook), to `dest` on the host. */
export const copyModule: ModuleDef<CopyArgs> = {
  name: 'copy',
  remote: true,
  readOnly: false,
  async run(args, ctx) {
    if ((args.content === undefined) === (args.src === undefined)) {
      return { failed: true, changed: false, msg: 'copy needs exactly one of "content" or "src"' };
    }
    const source =
      args.content !== undefined
        ? { kind: 'buffer' as const, data: Buffer.from(args.content, 'utf8') }
        : { kind: 'file' as const, path: sourcePath(args.src ?? '', ctx.dir, ctx.roleDir, 'files') };
    if (source.kind === 'file' && ctx.check && !existsSync(source.path) && ctx.dryRun?.pathState(CONTROLLER, source.path) === true) {
      // check mode: the controller file is made by an earlier step that did not run (a fetch)
      ctx.dryRun.setPath(ctx.host, args.dest ?? '', true);
      return { changed: true, dest: args.dest, msg: `check mode: would copy ${source.path} (made by an earlier step) to ${args.dest ?? ''} on ${ctx.host}` };
    }
    return writeFile(ctx, source, args);
  },
};
