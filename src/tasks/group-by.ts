import type { GroupByArgs } from '../generated/playbook.js';
import type { ModuleDef, ModuleResult } from './module.js';
import { ok } from './result.js';

/** The group and parent groups `group_by` asks for, as ansible-core 2.14's action plans them (spaces become dashes; parents default to all). */
export function planGroupBy(args: GroupByArgs): { add_group: string; parent_groups: string[] } {
  const parents = args.parents === undefined ? ['all'] : typeof args.parents === 'string' ? [args.parents] : args.parents;
  return { add_group: String(args.key).replaceAll(' ', '-'), parent_groups: parents.map((p) => String(p).replaceAll(' ', '-')) };
}

/** `group_by`: plans this host's membership of a group for the run's inventory; the engine applies it, per host. */
export const groupByModule: ModuleDef<GroupByArgs> = {
  name: 'group_by',
  remote: false,
  readOnly: true,
  async run(args): Promise<ModuleResult> {
    return ok({ ...planGroupBy(args) });
  },
};
