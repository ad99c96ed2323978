import type { SetFactArgs } from '../generated/playbook.js';
import type { ModuleDef } from './module.js';

/** `set_fact`: sets variables on the host for the rest of the run (the engine stores `ansible_facts`). */
export const setFactModule: ModuleDef<SetFactArgs> = {
  name: 'set_fact',
  remote: false,
  readOnly: true,
  async run(args) {
    const { cacheable: _c, ...facts } = args;
    return { changed: false, ansible_facts: facts };
  },
};
