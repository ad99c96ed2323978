import type { RuntimeNames } from '../inventory/patterns.js';
import type { Play } from '../playbook/model.js';
import { playTasks, walkTasks } from '../playbook/task-walk.js';
import { planAddHost } from '../tasks/add-host.js';
import { planGroupBy } from '../tasks/group-by.js';
import type { GroupByArgs } from '../generated/playbook.js';

/**
 * For each play, the host and group names that add_host and group_by tasks of the plays before it may create
 * (literal names, and whether any is a template): what its host pattern may name without being a typo.
 */
export function runtimeNamesByPlay(plays: Play[]): RuntimeNames[] {
  return cumulative(plays).slice(0, -1);
}

/** Every host and group name the playbook's add_host and group_by tasks may create (what delegate_to may name). */
export function allRuntimeNames(plays: Play[]): RuntimeNames {
  return cumulative(plays).at(-1) ?? { names: new Set(), templated: false };
}

/** The names before each play, then after the last one. */
function cumulative(plays: Play[]): RuntimeNames[] {
  const names = new Set<string>();
  let templated = false;
  const add = (n: string): void => {
    if (n.includes('{{') || n.includes('{%')) templated = true;
    else names.add(n);
  };
  const visit = (play: Play): void =>
    walkTasks(playTasks(play), (t) => {
      if (t.kind === 'block' || !t.args || typeof t.args !== 'object') return;
      if (t.module === 'add_host') {
        const plan = planAddHost(t.args as Record<string, unknown>);
        if (typeof plan !== 'string') [plan.host_name, ...plan.groups].forEach(add);
      } else if (t.module === 'group_by') {
        const plan = planGroupBy(t.args as GroupByArgs);
        [plan.add_group, ...plan.parent_groups].forEach(add);
      }
    });
  const out = plays.map((play) => {
    const before: RuntimeNames = { names: new Set(names), templated };
    visit(play);
    return before;
  });
  return [...out, { names, templated }];
}
