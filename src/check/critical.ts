// `critical` and `duration`: only a block can be a critical section, and a block's duration only counts when it is one.
import type { Problem } from '../errors/problem.js';
import { allTasks, walkTasks } from '../playbook/task-walk.js';
import type { PlayRule } from './rule.js';

/** `critical` on a module task, `duration` outside a critical section, a play's section starting at a task it lacks. */
export const criticalKeywords: PlayRule = {
  name: 'critical-keywords',
  each: 'play',
  check: ({ play }) => {
    const problems: Problem[] = [];
    walkTasks(play.tasks, (t) => {
      const at = (key: string) => t.keyLocs?.[key] ?? t.loc;
      if (t.kind === 'module' && t.keywords.critical !== undefined) {
        problems.push({
          message: `"critical" applies to a block or a play, not to the task "${t.title}"`,
          loc: at('critical'),
          task: t.title,
          hint: 'put the tasks that must not be cut in half into a block with "critical: true"',
        });
      }
      if (t.keywords.duration !== undefined && (t.kind === 'module' || !t.keywords.critical)) {
        problems.push({
          message: `"duration" on "${t.title}" only counts on a critical block or a play`,
          loc: at('duration'),
          task: t.title,
          hint: 'add "critical: true" to the block, or remove "duration"',
        });
      }
    });
    const c = play.keywords.critical;
    if (typeof c === 'object' && !allTasks(play.tasks).some((t) => t.title === c.from)) {
      problems.push({
        message: `critical section "${c.name}" starts at the task "${c.from}", which this play does not have`,
        loc: play.loc,
        hint: 'name the first task of the section exactly as written in its "name:"',
      });
    }
    return problems;
  },
};
