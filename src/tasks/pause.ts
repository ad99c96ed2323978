import { setTimeout as sleep } from 'node:timers/promises';
import type { PauseArgs } from '../generated/playbook.js';
import type { ModuleDef } from './module.js';
import { fail, ok } from './result.js';

/** `pause`: waits `seconds`/`minutes`, or asks the operator to confirm `prompt` (needs a TTY, or --yes). */
export const pauseModule: ModuleDef<PauseArgs> = {
  name: 'pause',
  remote: false,
  readOnly: true,
  async run(args, ctx) {
    const seconds = Number(args?.seconds ?? 0) + Number(args?.minutes ?? 0) * 60;
    if (seconds > 0) {
      await sleep(seconds * 1000, undefined, { signal: ctx.signal });
      return ok({ delta: seconds, msg: `paused ${seconds} s` });
    }
    const confirmed = await ctx.confirm(args?.prompt ?? 'Press enter to continue');
    return confirmed ? ok({ user_input: 'yes', msg: 'confirmed' }) : fail('not confirmed by the operator');
  },
};
