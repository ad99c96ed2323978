import type { TaskKeywords, Play } from '../playbook/model.js';
import { resolveBecome } from '../transports/connection-spec.js';
import type { Become } from '../transports/transport.js';
import { inherited, type Frames } from './frames.js';
import { keywordBool, type KeywordWhere } from './keyword-values.js';

/**
 * Whether and as whom a task runs with sudo. Keywords come from the task, its blocks, then the play; as in Ansible,
 * the host's `ansible_become*` connection variables override them. Throws on an unusable setting (e.g. a method other than sudo).
 */
export function becomeFor(play: Play, frames: Frames, task: TaskKeywords, vars: Record<string, unknown>, where: KeywordWhere): Become | undefined {
  const become = keywordBool(inherited(frames, task, 'become') ?? play.keywords.become, vars, 'become', where);
  const becomeUser = inherited(frames, task, 'become_user') ?? play.keywords.become_user;
  const r = resolveBecome(vars, { ...(become !== undefined ? { become } : {}), ...(becomeUser !== undefined ? { become_user: becomeUser } : {}) });
  if (r.problems.length) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.become;
}
