// Includes whose file or role name is a template: what can only be known when they run is said before the run.
import { relative } from 'node:path';
import { checkTemplate } from '../template/index.js';
import type { Problem } from '../errors/problem.js';
import { playTasks, walkTasks } from '../playbook/task-walk.js';
import { keyLoc } from './locate.js';
import type { PlayRule } from './rule.js';

/**
 * Each include with a templated name: its template is syntax-checked, and a warning names the files or roles it can
 * pick (each was read and checked now) and says that the choice itself is made per host when the include is reached.
 * The warnings normalising the play found (the deprecated legacy `include:`) are given here too.
 */
export const runTimeIncludes: PlayRule = {
  name: 'run-time-includes',
  each: 'play',
  check: ({ play, warnings }) => {
    const problems: Problem[] = [];
    // and what normalising the play found worth saying (the legacy include)
    warnings.push(...(play.warnings ?? []));
    walkTasks(playTasks(play), (t) => {
      if (t.kind !== 'block' || !t.choose) return;
      const c = t.choose;
      const loc = keyLoc(t, c.key);
      problems.push(...checkTemplate(c.template, { loc, task: t.title, field: c.key }));
      const read = t.block.flatMap((x) =>
        x.kind === 'block' && x.candidate !== undefined ? [relative(play.dir, x.candidate) || '.'] : [],
      );
      const what = c.kind === 'file' ? 'task files' : 'roles';
      warnings.push({
        message: `${c.key} "${c.template}" is resolved per host at run time: checked now are the ${read.length} ${what} "${c.pattern}" matches (${read.join(', ')}); another name fails the host when the include is reached`,
        loc,
        task: t.title,
      });
    });
    return problems;
  },
};
