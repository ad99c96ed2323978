import type { SetFactArgs } from '../generated/playbook.js';
import type { ModuleDef } from './module.js';
import { ok } from './result.js';

/** `set_fact`: sets variables on the host for the rest of the run (the engine stores `ansible_facts`). */
export const setFactModule: ModuleDef<SetFactArgs> = {
  name: 'set_fact',
  remote: false,
  readOnly: true,
  async run(args) {
    const { cacheable: _c, ...given } = args;
    // as Ansible's set_fact: a string value true/false/yes/no (any case, after templating) becomes a boolean
    const facts = Object.fromEntries(
      Object.entries(given).map(([k, v]) => [k, typeof v === 'string' && /^(true|false|yes|no)$/i.test(v) ? /^(true|yes)$/i.test(v) : v]),
    );
    return ok({ ansible_facts: facts });
  },
};
