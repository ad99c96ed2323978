import type { Problem } from '../errors/problem.js';
import { walkTasks } from '../playbook/task-walk.js';
import type { RunRule } from './rule.js';

/** A destructive play or task needs --yes, or a terminal to confirm on (check mode and validation never change anything). */
export const destructive: RunRule = {
  name: 'destructive',
  check: (ctx) => {
    const { opts } = ctx;
    if (opts.yes || opts.interactive || opts.check || opts.validateOnly) return [];
    const found: Problem[] = [];
    // a resume only runs the plays from where it stopped
    for (const p of ctx.plays.slice(opts.resume?.play ?? 0)) {
      if (p.keywords.destructive)
        found.push({ message: `play "${ctx.playTitle(p)}" is destructive: run with --yes to confirm, or from a terminal`, loc: p.loc });
      walkTasks(p.tasks, (t) => {
        if (t.keywords.destructive)
          found.push({ message: `task "${t.title}" is destructive: run with --yes to confirm, or from a terminal`, loc: t.loc });
      });
    }
    return found;
  },
};
