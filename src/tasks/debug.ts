import type { DebugArgs } from '../generated/playbook.js';
import type { ModuleDef, ModuleResult } from './module.js';

/** `debug`: shows a message, or a variable (an expression) by name; hidden below its verbosity. */
export const debugModule: ModuleDef<DebugArgs> = {
  name: 'debug',
  remote: false,
  readOnly: true,
  rawArgs: ['var'],
  async run(args, ctx): Promise<ModuleResult> {
    const verbosity = args?.verbosity ?? 0;
    if (verbosity > ctx.verbosity) return { changed: false, skipped: true, skipped_reason: `verbosity threshold ${verbosity} not met` };
    if (args?.var !== undefined) return { changed: false, [args.var]: ctx.evaluate(args.var) };
    return { changed: false, msg: args?.msg ?? 'Hello world!' };
  },
};
