import type { SourceLocation } from '../errors/problem.js';
import { ansibleBoolean } from './ansible-forms.js';
import type { EffectiveKeywords } from './effective-keywords.js';
import type { ModuleTask } from './model.js';

/** A play's `gather_facts` as a boolean: true/yes/on/1 (any case) are true (Ansible's boolean()); unset or a template is false (tsplay gathers only when asked). */
export function gatherFacts(value: unknown): boolean {
  return ansibleBoolean(value) === true;
}

const implicit = new WeakSet<object>();

/** True for the implicit "Gathering Facts" task (ansible-playbook --list-tasks does not list it). */
export function isGatheringFacts(task: object): boolean {
  return implicit.has(task);
}

/** The implicit first task of a play with `gather_facts: true`: `setup`, named "Gathering Facts" as in ansible-playbook, tagged always; it has the play's keywords (EFFECTIVE). */
export function gatheringFactsTask(file: string, dir: string, loc: SourceLocation, effective: EffectiveKeywords): ModuleTask {
  const task: ModuleTask = {
    kind: 'module',
    id: `${file}:${loc.line}:${loc.col}`,
    loc,
    dir,
    keywords: {},
    effective,
    tags: ['always'],
    title: 'Gathering Facts',
    module: 'setup',
    args: {},
  };
  implicit.add(task);
  return task;
}
