import type { ModuleTask } from '../playbook/model.js';
import type { RunOptions } from './options.js';

/** Decides which tasks run: --tags / --skip-tags (with Ansible's `always` and `never`) and --start-at-task. */
export class TaskSelection {
  private started: boolean;
  private resumed: boolean;
  constructor(
    private readonly opts: Pick<RunOptions, 'tags' | 'skipTags' | 'startAtTask'>,
    private readonly resumeAfter?: string,
  ) {
    this.started = opts.startAtTask === undefined;
    this.resumed = resumeAfter === undefined;
  }

  /** The id of the task a resume continues after, while the tasks before it are still being skipped. */
  waitingFor(): string | undefined {
    return this.resumed ? undefined : this.resumeAfter;
  }

  /** True when the task should run (handlers always pass the tag filter, as in Ansible they follow notify). */
  selects(task: ModuleTask, handler: boolean): boolean {
    if (handler) return true;
    if (!this.resumed) {
      if (task.id === this.resumeAfter) this.resumed = true;
      return false;
    }
    if (!this.started) {
      if (task.title !== this.opts.startAtTask) return false;
      this.started = true;
    }
    return tagsAllow(task.tags, this.opts.tags, this.opts.skipTags);
  }
}

/** Ansible's tag rules for one task's (inherited) tags. */
export function tagsAllow(taskTags: string[], only: string[], skip: string[]): boolean {
  const has = (t: string) => taskTags.includes(t);
  if (skip.some(has) || (skip.includes('tagged') && taskTags.length > 0) || (skip.includes('untagged') && taskTags.length === 0))
    return false;
  if (only.length === 0 || only.includes('all')) return !has('never') || only.some(has);
  if (has('always')) return true;
  if (only.includes('tagged') && taskTags.length > 0) return true;
  if (only.includes('untagged') && taskTags.length === 0) return true;
  return only.some(has);
}
