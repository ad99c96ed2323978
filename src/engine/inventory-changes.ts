import { applyAddGroup, applyAddHost, type HostAddition } from '../inventory/runtime-changes.js';
import type { ModuleResult } from '../tasks/module.js';
import type { RunContext } from './context.js';
import { addedHostConnection } from './play-hosts.js';

/**
 * Applies what an add_host or group_by result planned (`add_host`, or `add_group` with `parent_groups`; per loop
 * item too) to the run's inventory, and sets `changed` as ansible-core 2.14 reports it (a task with changed_when
 * keeps its own). Marks the inventory changed, so later plays match their patterns again.
 */
export function applyInventoryChanges(rc: RunContext, host: string, result: ModuleResult, keepChanged: boolean): void {
  const one = (r: Record<string, unknown>): boolean | undefined => {
    if (r['failed'] || r['skipped']) return undefined;
    const add = r['add_host'];
    if (add && typeof add === 'object') {
      const changed = applyAddHost(rc.inventory, add as HostAddition);
      if (changed) addedHostConnection(rc, (add as HostAddition).host_name);
      return changed;
    }
    const group = r['add_group'];
    if (typeof group === 'string')
      return applyAddGroup(rc.inventory, host, group, Array.isArray(r['parent_groups']) ? r['parent_groups'].map(String) : []);
    return undefined;
  };
  const items = result['results'];
  let any: boolean | undefined;
  if (Array.isArray(items)) {
    for (const item of items as Array<Record<string, unknown>>) {
      const c = one(item);
      if (c === undefined) continue;
      if (!keepChanged) item['changed'] = c;
      any = (any ?? false) || c;
    }
  } else any = one(result);
  if (any === undefined) return;
  rc.inventoryChanged = true;
  if (!keepChanged) result.changed = any;
}
