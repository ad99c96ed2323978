import type { PingArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { execOn, type ModuleDef } from './module.js';
import { fail, ok } from './result.js';

/** `ping`: proves the host runs commands over the connection (answers `pong`, or `data`). */
export const pingModule: ModuleDef<PingArgs> = {
  name: 'ping',
  remote: true,
  readOnly: true,
  async run(args, ctx) {
    const data = args?.data ?? 'pong';
    const r = await execOn(ctx, `printf %s ${shellQuote(data)}`, { onOutput: undefined });
    if (r.code !== 0 || r.stdout !== data) return fail(`ping failed: ${r.stderr.trim() || `exit code ${String(r.code)}`}`);
    return ok({ ping: data });
  },
};
