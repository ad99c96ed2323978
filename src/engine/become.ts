import type { EffectiveKeywords } from '../playbook/effective-keywords.js';
import { renderValue } from '../template/index.js';
import { resolveBecome } from '../connection/become-settings.js';
import type { Become } from '../connection/types.js';
import { keywordBool, type KeywordWhere } from './keyword-values.js';

/**
 * Whether and as whom a task runs with sudo. Keywords come from the task, its blocks, then the play (K), templates rendered with the host's VARS; as in Ansible,
 * the host's `ansible_become*` connection variables override them. Throws on an unusable setting (e.g. a method other than sudo).
 */
export function becomeFor(k: EffectiveKeywords, vars: Record<string, unknown>, where: KeywordWhere): Become | undefined {
  const become = keywordBool(k.become, vars, 'become', where);
  const becomeUser = k.become_user === undefined ? undefined : String(renderValue(k.become_user, vars, { ...where, field: 'become_user' }));
  const r = resolveBecome(vars, {
    ...(become !== undefined ? { become } : {}),
    ...(becomeUser !== undefined ? { become_user: becomeUser } : {}),
  });
  if (r.problems.length) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.become;
}
