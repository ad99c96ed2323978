import type { DebugArgs } from '../generated/playbook.js';
import type { ModuleDef, ModuleResult } from './module.js';
import { ok } from './result.js';

/** `debug`: shows a message, or a variable (an expression) by name; hidden below its verbosity. */
export const debugModule: ModuleDef<DebugArgs> = {
  name: 'debug',
  remote: false,
  readOnly: true,
  rawArgs: ['var'],
  async run(args, ctx): Promise<ModuleResult> {
    const verbosity = args?.verbosity ?? 0;
    if (verbosity > ctx.verbosity) return ok({ skipped: true, skipped_reason: `verbosity threshold ${verbosity} not met` });
    if (args?.var !== undefined) return ok({ [args.var]: ctx.evaluate(args.var) });
    return ok({ msg: args?.msg ?? 'Hello world!' });
  },
};
