import type { AddHostArgs } from '../generated/playbook.js';
import type { HostAddition } from '../inventory/runtime-changes.js';
import type { ModuleDef, ModuleResult } from './module.js';
import { fail, ok } from './result.js';

/** Keys of add_host's arguments that are not host variables (as ansible-core 2.14: `host` and `group` still are). */
const SPECIAL = new Set(['name', 'hostname', 'groupname', 'groups']);

/**
 * What `add_host` asks the engine to add, as ansible-core 2.14's action plans it: the name (a "host:port" name sets
 * ansible_ssh_port), the groups (a list, or a comma-separated string), every other argument as a host variable.
 */
export function planAddHost(args: Record<string, unknown>): HostAddition | string {
  const given = args['name'] ?? args['hostname'] ?? args['host'];
  if (given === undefined || given === null) return 'name, host or hostname needs to be provided';
  const { name, port } = parseAddress(String(given));
  const vars: Record<string, unknown> = { ...args };
  if (port !== undefined) vars['ansible_ssh_port'] = port;
  const raw = args['groupname'] ?? args['groups'] ?? args['group'] ?? '';
  if (typeof raw !== 'string' && !Array.isArray(raw)) return 'Groups must be specified as a list.';
  const groups: string[] = [];
  if (raw !== '') {
    for (const g of typeof raw === 'string' ? raw.split(',') : raw) {
      const n = String(g).trim();
      if (!groups.includes(n)) groups.push(n);
    }
  }
  return { host_name: name, groups, host_vars: Object.fromEntries(Object.entries(vars).filter(([k]) => !SPECIAL.has(k))) };
}

/** Ansible's parse_address without ranges: "[v6]:port", "name:port", or the name as given. */
export function parseAddress(text: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { name: bracketed[1] ?? text, ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  const withPort = /^([^:[\]\s]+):(\d+)$/.exec(text);
  if (withPort) return { name: withPort[1] ?? text, port: Number(withPort[2]) };
  return { name: text };
}

/** `add_host`: plans a host for the run's inventory; the engine adds it (once per task, or once per loop item). */
export const addHostModule: ModuleDef<AddHostArgs> = {
  name: 'add_host',
  remote: false,
  readOnly: true,
  async run(args): Promise<ModuleResult> {
    const plan = planAddHost(args as Record<string, unknown>);
    if (typeof plan === 'string') return fail(plan);
    return ok({ add_host: plan });
  },
};
