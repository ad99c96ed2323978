import type { FailArgs } from '../generated/playbook.js';
import type { ModuleDef } from './module.js';
import { fail } from './result.js';

/** `fail`: stops the host with a message. */
export const failModule: ModuleDef<FailArgs> = {
  name: 'fail',
  remote: false,
  readOnly: true,
  async run(args) {
    return fail(args?.msg ?? 'Failed as requested from task');
  },
};
