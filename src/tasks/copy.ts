import { existsSync } from 'node:fs';
import { sourcePath } from '../playbook/roles/source-path.js';
import { CONTROLLER } from './dry-run-state.js';
import type { CopyArgs } from '../generated/playbook.js';
import type { ModuleDef } from './module.js';
import { writeFile } from './write-file.js';
import { copyRemotePlan } from './copy-remote.js';
import { bool, execute } from './plan.js';
import { probePath } from './path-probe.js';
import { fail, ok, wouldChange } from './result.js';

/** `copy`: writes `content`, or the controller file `src` (relative to the playbook), to `dest` on the host; `remote_src` copies a file already on the host; `force: false` leaves an existing dest alone. */
export const copyModule: ModuleDef<CopyArgs> = {
  name: 'copy',
  remote: true,
  readOnly: false,
  async run(args, ctx) {
    if (bool(args.remote_src)) {
      if (args.src === undefined) return fail('src is required with remote_src');
      return execute(copyRemotePlan, args, ctx);
    }
    if ((args.content === undefined) === (args.src === undefined)) {
      return fail('copy needs exactly one of "content" or "src"');
    }
    const source =
      args.content !== undefined
        ? { kind: 'buffer' as const, data: Buffer.from(args.content, 'utf8') }
        : { kind: 'file' as const, path: sourcePath(args.src ?? '', ctx.dir, ctx.roleDir, 'files') };
    if (!bool(args.force, true)) {
      const there = await probePath(ctx, args.dest, false);
      // Ansible skips an existing dest (a directory: the file inside it, which tsplay does not resolve here)
      if (there.exists && !there.isdir) return ok({ dest: args.dest });
    }
    if (source.kind === 'file' && ctx.check && !existsSync(source.path) && ctx.dryRun?.pathState(CONTROLLER, source.path) === true) {
      // check mode: the controller file is made by an earlier step that did not run (a fetch)
      ctx.dryRun.setPath(ctx.host, args.dest ?? '', true);
      return wouldChange(`copy ${source.path} (made by an earlier step) to ${args.dest ?? ''} on ${ctx.host}`, { dest: args.dest });
    }
    return writeFile(ctx, source, args, 'copy');
  },
};
