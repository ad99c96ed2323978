import type { StatArgs } from '../generated/playbook.js';
import type { ModuleDef } from './module.js';
import { probePath } from './path-probe.js';
import { ok } from './result.js';

/** `stat`: facts about a path (exists, isdir, size, mode, owner, mtime, sha256 checksum). Read-only. */
export const statModule: ModuleDef<StatArgs> = {
  name: 'stat',
  remote: true,
  readOnly: true,
  async run(args, ctx) {
    const stat = await probePath(ctx, args.path, args.get_checksum !== false);
    return ok({ stat });
  },
};
