import type { SourceLocation } from '../errors/problem.js';
import type { ModuleTask } from './model.js';

/** A play's `gather_facts` as a boolean: true/yes/on/1 (any case) are true, as YAML 1.1 and Ansible read them; unset is false (tsplay gathers only when asked). */
export function gatherFacts(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' && ['true', 'yes', 'on', 'y', '1'].includes(value.trim().toLowerCase());
}

/** The implicit first task of a play with `gather_facts: true`: `setup`, named "Gathering Facts" as in ansible-playbook, tagged always. */
export function gatheringFactsTask(file: string, dir: string, loc: SourceLocation): ModuleTask {
  return {
    kind: 'module',
    id: `${file}:${loc.line}:${loc.col}`,
    loc,
    dir,
    keywords: {},
    tags: ['always'],
    title: 'Gathering Facts',
    module: 'setup',
    args: {},
  };
}
