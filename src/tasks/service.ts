// `service` and `systemd`/`systemd_service`: one probe learns the init system and the unit's state, a pure plan
// decides the commands. Without systemd, `service` drives SysV scripts in /etc/init.d as Ansible's does.
import type { ServiceArgs, SystemdArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { bool, failed, plannedModule, type Plan, type PlanEnv, type Probe, type Step } from './plan.js';
import { ok } from './result.js';

/** What the probe learnt about one service. */
export interface ServiceFacts {
  init: 'systemd' | 'sysv';
  /** The unit or script exists. */
  found: boolean;
  running: boolean;
  /** Started at boot (unknown: undefined). */
  enabled: boolean | undefined;
}

/** Prints `systemd|sysv`, then `found running enabled` as 0/1 (or `-` for unknown). */
export function serviceProbe(name: string, forceSystemd: boolean): string {
  const n = shellQuote(name);
  const unit = shellQuote(name.includes('.') ? name : `${name}.service`);
  const systemd =
    `echo systemd; s=$(systemctl show -p LoadState --value ${unit} 2>/dev/null); f=1; [ "$s" = not-found ] && f=0; ` +
    `r=0; systemctl is-active --quiet ${unit} && r=1; e=0; systemctl is-enabled --quiet ${unit} 2>/dev/null && e=1; echo "$f $r $e"`;
  const script = shellQuote(`/etc/init.d/${name}`);
  const sysv =
    `echo sysv; if [ -x ${script} ]; then r=0; ${script} status >/dev/null 2>&1 && r=1; ` +
    `e=0; for l in /etc/rc[2345].d/S*; do [ "\${l##*/S[0-9][0-9]}" = ${n} ] && e=1; done; echo "1 $r $e"; else echo "0 0 -"; fi`;
  return forceSystemd
    ? `if [ -d /run/systemd/system ]; then ${systemd}; else echo none; fi`
    : `if [ -d /run/systemd/system ]; then ${systemd}; else ${sysv}; fi`;
}

/** Parses serviceProbe's output (undefined: no systemd where it was required). */
export function parseService(p: Probe): ServiceFacts | undefined {
  const [init = '', line = ''] = p.stdout.trim().split('\n');
  if (init !== 'systemd' && init !== 'sysv') return undefined;
  const [f, r, e] = line.split(' ');
  return { init, found: f === '1', running: r === '1', enabled: e === '-' ? undefined : e === '1' };
}

interface Want {
  name: string;
  state?: string | undefined;
  enabled?: boolean | undefined;
  daemonReload?: boolean;
}

/** The commands that bring the service to the wanted state, and Ansible's result. */
export function servicePlan(w: Want, s: ServiceFacts, env: PlanEnv, module: 'service' | 'systemd'): Plan {
  if (!s.found && (w.state !== undefined || w.enabled !== undefined)) {
    return failed(
      module === 'systemd' || s.init === 'systemd'
        ? `Could not find the requested service ${w.name}: host`
        : "cannot find 'service' binary or init script for service,  possible typo in service name?, aborting",
      { name: w.name },
    );
  }
  const ctl = (verb: string): Step =>
    s.init === 'systemd'
      ? { command: `systemctl ${verb} ${shellQuote(w.name)}` }
      : { command: `${shellQuote(`/etc/init.d/${w.name}`)} ${verb}` };
  const steps: Step[] = [];
  let changed = false;
  if (w.daemonReload && s.init === 'systemd' && !env.check) steps.push({ command: 'systemctl daemon-reload' });
  if (w.enabled !== undefined && w.enabled !== s.enabled) {
    changed = true;
    if (s.init === 'systemd') steps.push({ command: `systemctl ${w.enabled ? 'enable' : 'disable'} ${shellQuote(w.name)}` });
    else {
      const n = shellQuote(w.name);
      const on = w.enabled ? 'enable' : 'disable';
      steps.push({
        command: `if command -v update-rc.d >/dev/null 2>&1; then update-rc.d ${n} defaults >/dev/null 2>&1; update-rc.d ${n} ${on}; elif command -v chkconfig >/dev/null 2>&1; then chkconfig ${n} ${w.enabled ? 'on' : 'off'}; else echo 'no update-rc.d or chkconfig to ${on} ${w.name.replace(/'/g, '')} with' >&2; exit 1; fi`,
        show: `${on} ${w.name} at boot`,
      });
    }
  }
  const state = w.state;
  if (state === 'started' && !s.running) steps.push(ctl('start'));
  else if (state === 'stopped' && s.running) steps.push(ctl('stop'));
  else if (state === 'restarted') steps.push(ctl(s.running || s.init === 'systemd' ? 'restart' : 'start'));
  else if (state === 'reloaded') steps.push(ctl(s.running ? 'reload' : 'start'));
  changed = changed || steps.some((x) => x.command !== 'systemctl daemon-reload');
  const result: Record<string, unknown> = { name: w.name, changed };
  if (state !== undefined) result['state'] = state;
  if (w.enabled !== undefined) result['enabled'] = w.enabled;
  return { result, steps };
}

/** Service names are plain words (they become paths under /etc/init.d). */
function badName(name: string): string | undefined {
  return /^[A-Za-z0-9_.@:-]+$/.test(name) ? undefined : `invalid service name ${JSON.stringify(name)}`;
}

/** `service`: start/stop/restart/reload and enable services; systemd when the host runs it, else SysV /etc/init.d scripts. */
export const serviceModule = plannedModule<ServiceArgs>({
  name: 'service',
  readOnly: false,
  probe: (a) => (badName(a.name) ? undefined : serviceProbe(a.name, a.use === 'systemd')),
  plan(a, probe, env) {
    const s = parseService(probe);
    const bad = badName(a.name);
    if (bad) return failed(bad);
    if (!s) return failed(`service: use=systemd but systemd is not running on ${env.host}`);
    if (a.state === undefined && a.enabled === undefined)
      return failed('Neither argument state nor enabled was specified', { name: a.name });
    return servicePlan({ name: a.name, state: a.state, enabled: a.enabled === undefined ? undefined : bool(a.enabled) }, s, env, 'service');
  },
});

function unitOf(a: SystemdArgs): string | undefined {
  return a.name ?? a.service ?? a.unit;
}

function systemdPlan(a: SystemdArgs, probe: Probe, env: PlanEnv): Plan {
  const name = unitOf(a);
  const reload = bool(a.daemon_reload ?? a['daemon-reload']);
  if (!name) {
    if (!reload) return failed('missing required arguments: name (or daemon_reload)');
    return { result: ok(), steps: env.check ? [] : [{ command: 'systemctl daemon-reload' }] };
  }
  const bad = badName(name);
  if (bad) return failed(bad);
  const s = parseService(probe);
  if (!s)
    return failed(`systemd is not running on ${env.host} (use the service module, which falls back to /etc/init.d scripts)`, { name });
  return servicePlan(
    { name, state: a.state, enabled: a.enabled === undefined ? undefined : bool(a.enabled), daemonReload: reload },
    s,
    env,
    'systemd',
  );
}

function systemdProbe(a: SystemdArgs): string | undefined {
  const name = unitOf(a);
  return name && !badName(name) ? serviceProbe(name, true) : undefined;
}

/** `systemd` (and `systemd_service`): systemd units only; `daemon_reload` runs `systemctl daemon-reload` first. */
export const systemdModule = plannedModule<SystemdArgs>({ name: 'systemd', readOnly: false, probe: systemdProbe, plan: systemdPlan });

/** `systemd_service`: the same module under its newer name. */
export const systemdServiceModule = plannedModule<SystemdArgs>({
  name: 'systemd_service',
  readOnly: false,
  probe: systemdProbe,
  plan: systemdPlan,
});
