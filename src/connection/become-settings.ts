// Whether and as whom a task sudoes: the become keywords, overridden by the host's ansible_become* variables.
import type { Problem } from '../errors/problem.js';
import type { Become } from './types.js';
import { boolVar, firstVar, stringVar } from './var-values.js';

/** Become keywords of a task/block/play (already merged by the caller). */
export interface BecomeKeywords {
  become?: boolean | undefined;
  become_user?: string | undefined;
  become_method?: string | undefined;
}

/**
 * Whether and as whom to sudo. As in Ansible, the connection vars `ansible_become`, `ansible_become_user`
 * and `ansible_become_method` override the keywords; the password comes only from
 * `ansible_become_password`/`ansible_become_pass`. Only the sudo method is supported.
 */
export function resolveBecome(vars: Record<string, unknown>, keywords: BecomeKeywords = {}): { become?: Become; problems: Problem[] } {
  const problems: Problem[] = [];
  const varOn = vars['ansible_become'] === undefined ? undefined : boolVar(vars['ansible_become']);
  if (vars['ansible_become'] !== undefined && varOn === undefined) {
    problems.push({ message: `ansible_become must be a boolean, got ${JSON.stringify(vars['ansible_become'])}` });
  }
  const method = stringVar(vars['ansible_become_method']) ?? keywords.become_method ?? 'sudo';
  if (method !== 'sudo') problems.push({ message: `become method "${method}" is not supported`, hint: 'tsplay supports sudo' });
  if (!(varOn ?? keywords.become ?? false)) return { problems };
  const user = stringVar(vars['ansible_become_user']) ?? keywords.become_user ?? 'root';
  const password = stringVar(firstVar(vars, ['ansible_become_password', 'ansible_become_pass'])?.value);
  return { become: { user, password }, problems };
}
