import type { Problem } from '../errors/problem.js';
import { playTasks, walkTasks } from '../playbook/task-walk.js';
import { didYouMean } from '../util/did-you-mean.js';
import { keyLoc } from './locate.js';
import type { RunRule } from './rule.js';

/** A literal delegate_to must be an inventory host, a name add_host creates, or the implicit localhost (localhost, 127.0.0.1 or ::1). */
export const delegates: RunRule = {
  name: 'delegates',
  check: ({ plays, inventory, engine }) => {
    const problems: Problem[] = [];
    // hosts of the inventory, the implicit localhost, and the names add_host creates while the run goes
    const hosts = [...inventory.hosts.keys(), ...engine.localhosts, ...engine.runtimeHosts];
    for (const p of plays) {
      walkTasks(playTasks(p), (t) => {
        const d = t.keywords.delegate_to;
        if (typeof d !== 'string' || d.includes('{{') || hosts.includes(d)) return;
        problems.push({
          message: `delegate_to: "${d}" is not a host of the inventory`,
          loc: keyLoc(t, 'delegate_to'),
          task: t.title,
          hint: didYouMean(d, hosts) ?? 'add it to the inventory, or use localhost for the controller',
        });
      });
    }
    return problems;
  },
};
