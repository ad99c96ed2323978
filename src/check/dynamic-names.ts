import type { Play } from '../playbook/model.js';
import { playTasks, walkTasks } from '../playbook/task-walk.js';
import { MODULE_REGISTRY } from '../tasks/registry.js';

/** Variables a task sets while the playbook runs, anywhere in it: register names, set_fact keys, module facts. */
export function dynamicNames(plays: Play[]): Set<string> {
  const out = new Set<string>();
  for (const play of plays) {
    for (const u of play.unread ?? []) if (u.register) out.add(u.register);
    walkTasks(playTasks(play), (t) => {
      if (t.keywords.register) out.add(t.keywords.register);
      if (t.kind !== 'module') return;
      if (t.module === 'set_fact' && t.args && typeof t.args === 'object') for (const k of Object.keys(t.args)) out.add(k);
      if (t.module !== 'meta') for (const k of MODULE_REGISTRY[t.module].facts ?? []) out.add(k);
    });
  }
  return out;
}
