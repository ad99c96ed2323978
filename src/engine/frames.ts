import type { TaskKeywords } from '../playbook/model.js';
import type { Play } from '../playbook/model.js';

/** Keywords of the enclosing blocks, innermost last; a task inherits them as Ansible does. */
export type Frames = readonly TaskKeywords[];

/** The innermost defined value of a keyword (task first, then blocks outward, then the play when it has one). */
export function inherited<K extends keyof TaskKeywords>(frames: Frames, task: TaskKeywords, key: K): TaskKeywords[K] | undefined {
  if (task[key] !== undefined) return task[key];
  for (let i = frames.length - 1; i >= 0; i--) {
    const v = frames[i]?.[key];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** All `when` conditions that apply to a task: every enclosing block's and the task's own (all must hold). */
export function conditions(frames: Frames, task: TaskKeywords): Array<string | boolean> {
  const out: Array<string | boolean> = [];
  for (const k of [...frames, task]) {
    if (k.when === undefined) continue;
    out.push(...(Array.isArray(k.when) ? k.when : [k.when]));
  }
  return out;
}

/** Vars of the enclosing blocks and the task, outermost first (later wins). */
export function frameVars(frames: Frames, task: TaskKeywords): Array<Record<string, unknown>> {
  return [...frames, task].map((k) => (k.vars ?? {}) as Record<string, unknown>).filter((v) => Object.keys(v).length > 0);
}

/** Environment for a task: play, blocks, then task (later wins). */
export function environmentOf(play: Play, frames: Frames, task: TaskKeywords): Record<string, unknown> {
  return Object.assign({}, play.keywords.environment ?? {}, ...[...frames, task].map((k) => k.environment ?? {}));
}
