import type { Problem } from '../errors/problem.js';
import type { Play, TaskNode } from '../playbook/model.js';

/** `critical` and `duration` on tasks: only a block can be a critical section, and a block's duration only counts when it is one. */
export function checkCriticalKeywords(play: Play): Problem[] {
  const problems: Problem[] = [];
  const visit = (nodes: TaskNode[]) => {
    for (const t of nodes) {
      const at = (key: string) => t.keyLocs?.[key] ?? t.loc;
      if (t.kind === 'module' && t.keywords.critical !== undefined) {
        problems.push({ message: `"critical" applies to a block or a play, not to the task "${t.title}"`, loc: at('critical'), task: t.title, hint: 'put the tasks that must not be cut in half into a block with "critical: true"' });
      }
      if (t.keywords.duration !== undefined && (t.kind === 'module' || !t.keywords.critical)) {
        problems.push({ message: `"duration" on "${t.title}" only counts on a critical block or a play`, loc: at('duration'), task: t.title, hint: 'add "critical: true" to the block, or remove "duration"' });
      }
      if (t.kind === 'block') [t.block, t.rescue, t.always].forEach(visit);
    }
  };
  visit(play.tasks);
  const c = play.keywords.critical;
  if (typeof c === 'object' && !titles(play.tasks).includes(c.from)) {
    problems.push({ message: `critical section "${c.name}" starts at the task "${c.from}", which this play does not have`, loc: play.loc, hint: 'name the first task of the section exactly as written in its "name:"' });
  }
  return problems;
}

function titles(nodes: TaskNode[]): string[] {
  return nodes.flatMap((t) => [t.title, ...(t.kind === 'block' ? [t.block, t.rescue, t.always].flatMap(titles) : [])]);
}
