// The one walk over a play's task tree (blocks with their rescue and always sections; includes and roles are blocks
// by the time the playbook is normalised): every static consumer (checks, preflights, listings) visits tasks here.
import type { BlockTask, Play, TaskNode } from './model.js';

/** A section of a block: its body, its rescue or its always. */
export type BlockSection = 'block' | 'rescue' | 'always';

/** Where a visited task sits: the blocks around it (outermost first) and the section of each it is in. */
export interface TaskPlace {
  /** Enclosing blocks, outermost first, each with the section the walk went down through. */
  path: ReadonlyArray<{ block: BlockTask; section: BlockSection }>;
  /** Position of the task in its list. */
  index: number;
}

/** What a visitor returns: `'skip'` keeps the walk out of a block's sections (the block itself was visited). */
// biome-ignore lint/suspicious/noConfusingVoidType: visitors that return nothing are written as plain `(t) => { ... }` bodies
export type VisitResult = void | 'skip';

/** Visits every task and block of `nodes` in order, each block before its sections (block, rescue, always). */
export function walkTasks(
  nodes: readonly TaskNode[],
  visit: (t: TaskNode, at: TaskPlace) => VisitResult,
  path: TaskPlace['path'] = [],
): void {
  nodes.forEach((t, index) => {
    if (visit(t, { path, index }) === 'skip' || t.kind !== 'block') return;
    for (const section of ['block', 'rescue', 'always'] as const) walkTasks(t[section], visit, [...path, { block: t, section }]);
  });
}

/** True when the task is inside a rescue section (Ansible's ansible_failed_task/result are set there). */
export function inRescue(at: TaskPlace): boolean {
  return at.path.some((p) => p.section === 'rescue');
}

/** A play's tasks followed by its handlers: everything of the play that can run. */
export function playTasks(play: Play): TaskNode[] {
  return [...play.tasks, ...play.handlers];
}

/** Every node of the tree (blocks included), in walk order. */
export function allTasks(nodes: readonly TaskNode[]): TaskNode[] {
  const out: TaskNode[] = [];
  walkTasks(nodes, (t) => void out.push(t));
  return out;
}
