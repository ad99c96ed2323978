import type { TaskKeywords, Play } from '../playbook/model.js';
import type { Become } from '../transports/transport.js';
import { inherited, type Frames } from './frames.js';

/** Whether and as whom a task runs with sudo: task/block keywords, then the play, then ansible_become* host vars. */
export function becomeFor(play: Play, frames: Frames, task: TaskKeywords, vars: Record<string, unknown>): Become | undefined {
  const on = inherited(frames, task, 'become') ?? play.keywords.become ?? truthy(vars['ansible_become']);
  if (!on) return undefined;
  const user = inherited(frames, task, 'become_user') ?? play.keywords.become_user ?? str(vars['ansible_become_user']) ?? 'root';
  const password = str(vars['ansible_become_password']) ?? str(vars['ansible_become_pass']);
  return { user, password };
}

function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'string' && /^(true|yes|1|on)$/i.test(v));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}
