import type { AssertArgs } from '../generated/playbook.js';
import type { ModuleDef } from './module.js';
import { fail, ok } from './result.js';

/** `assert`: fails unless every expression in `that` holds; says which one failed. */
export const assertModule: ModuleDef<AssertArgs> = {
  name: 'assert',
  remote: false,
  readOnly: true,
  rawArgs: ['that'],
  async run(args, ctx) {
    const list = Array.isArray(args.that) ? args.that : [args.that];
    for (const cond of list) {
      const ok = typeof cond === 'boolean' ? cond : Boolean(truthy(ctx.evaluate(cond)));
      if (!ok) {
        return fail(args.fail_msg ?? args.msg ?? `Assertion failed: ${String(cond)}`, { assertion: cond, evaluated_to: false });
      }
    }
    return ok({ msg: args.success_msg ?? 'All assertions passed' });
  },
};

/** Jinja-style truthiness: empty strings, lists and mappings, 0, null and false are false. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}
