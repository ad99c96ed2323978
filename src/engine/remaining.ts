import type { Play, TaskNode } from '../playbook/model.js';
import { allTasks } from '../playbook/task-walk.js';
import type { RunOptions } from './options.js';

/** True when a play from `play` on (where a resume starts again) is destructive or has a destructive task: a resume needs --yes. */
export function remainingIsDestructive(plays: Play[], play: number): boolean {
  return plays.slice(play).some((p) => p.keywords.destructive || allTasks(p.tasks).some((t) => t.keywords.destructive));
}

/** True when a resume enters play `index` in the middle of a critical section (after a task of it, or in a later play of the section). */
export function resumedInsideSection(plays: Play[], index: number, opts: Pick<RunOptions, 'resume'>): boolean {
  if (!opts.resume || index !== opts.resume.play) return false;
  if (opts.resume.afterTaskId !== undefined) return true;
  const name = (c: unknown) => (typeof c === 'string' ? c : typeof c === 'object' && c !== null ? (c as { name: string }).name : undefined);
  const here = plays[index]?.keywords.critical;
  const before = index > 0 ? plays[index - 1]?.keywords.critical : undefined;
  return typeof here === 'string' && here === name(before);
}

/** True when the task with this id is inside `nodes` (at any depth). */
export function containsTask(nodes: TaskNode[], id: string): boolean {
  return allTasks(nodes).some((t) => t.id === id);
}
