import { formatLocation } from '../errors/problem.js';
import { matchHosts } from '../inventory/index.js';
import type { Play } from '../playbook/model.js';
import { resolveConnectionSpec } from '../connection/connection-spec.js';
import type { RunContext } from './context.js';
import { newHostState, type HostState } from './host-state.js';
import { resolvedHostVars } from './prepare.js';
import { isSecretName, leaves } from './redact.js';

/**
 * The hosts a play runs on: those validated before the run, or, once add_host or group_by changed the inventory,
 * (or when its pattern names what those create) its pattern (and --limit) matched again against the inventory as
 * it is now, as ansible-playbook does for each play. A host met for the first time gets its state and connection settings here; a pattern that now matches no
 * host skips the play with a warning.
 */
export function playTargets(rc: RunContext, play: Play, validated: string[], rematch: boolean): HostState[] {
  if ((!rc.inventoryChanged && !rematch) || play.hosts.length === 0)
    return validated.map((h) => rc.hosts.get(h)).filter((h): h is HostState => h !== undefined);
  const m = matchHosts(rc.inventory, play.hosts, { emptyIsWarning: true });
  const limit = rc.opts.limit ? new Set(matchHosts(rc.inventory, rc.opts.limit).hosts) : undefined;
  const names = m.hosts.filter((h) => !limit || limit.has(h));
  if (names.length === 0) {
    const why = [...m.problems, ...(m.warnings ?? [])][0]?.message ?? `pattern "${play.hosts.join(',')}" matches no host`;
    rc.emit({
      type: 'warning',
      message: `${play.hostsLoc ? `${formatLocation(play.hostsLoc)}: ` : ''}play "${play.name}" skipped: ${why}`,
    });
    return [];
  }
  return names.map((name) => rc.hosts.get(name) ?? addedHost(rc, name));
}

/** State and connection settings of a host that add_host added. */
function addedHost(rc: RunContext, name: string): HostState {
  const state = newHostState(name, rc.inventory.hosts.get(name)?.vars ?? {});
  rc.hosts.set(name, state);
  addedHostConnection(rc, name);
  return state;
}

/** Connection settings of a host add_host added or changed (a play or a delegate_to may reach it); problems are warnings and make it unreachable. */
export function addedHostConnection(rc: RunContext, name: string): void {
  const vars = resolvedHostVars(rc.inventory, name, rc.opts.extraVars);
  for (const [k, v] of Object.entries(vars)) if (isSecretName(k)) rc.redactor.add(...leaves(v));
  const r = resolveConnectionSpec(name, vars, rc.opts.connection);
  if (r.spec) rc.connections.addSpec(name, r.spec);
  for (const p of r.problems) rc.emit({ type: 'warning', host: name, message: `${p.message}${p.hint ? ` (${p.hint})` : ''}` });
}
