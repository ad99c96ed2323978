import type { EffectiveKeywords, VarLayer } from '../playbook/effective-keywords.js';
import type { Play, RoleContext } from '../playbook/model.js';
import { makeScope } from '../template/index.js';
import type { RunContext } from './context.js';
import type { HostState } from './host-state.js';
import { isSecretName, type Redactor } from './redact.js';
import { ANSIBLE_VERSION } from './special-vars.js';

/** The vars of the blocks around a task and of the task itself, by precedence. */
export interface AuthoredVars {
  /** Block and task vars, outermost first. */
  block: Array<Record<string, unknown>>;
  /** Include parameters (an include_tasks / include_role's vars, role parameters), outermost first: above set_fact. */
  params: Array<Record<string, unknown>>;
}

/** Per-task additions to a host's scope: enclosing block/task vars (authored) and loop variables (data). */
export interface ScopeExtras {
  authored?: AuthoredVars;
  data?: Record<string, unknown>;
  /** Hosts of the current batch (ansible_play_batch). */
  batch?: string[];
  /** The role of the task: its own defaults and vars above those of the play's other roles. */
  role?: RoleContext | undefined;
}

/**
 * The block and task vars a task or block sees (outermost first, empty ones left out), each run-time include loop
 * around it adding its current item (ITEMS) to its layer.
 */
export function authoredVars(k: EffectiveKeywords, items: ReadonlyMap<VarLayer, Record<string, unknown>> | undefined): AuthoredVars {
  const out: AuthoredVars = { block: [], params: [] };
  for (const l of k.vars) {
    const item = l.loop ? items?.get(l) : undefined;
    const vars = item ? { ...l.vars, ...item } : l.vars;
    if (Object.keys(vars).length > 0) (l.params ? out.params : out.block).push(vars);
  }
  return out;
}

/** Variables of the run's vars files (and inline role vars) named by KEYS, as authored layers. */
function fileLayers(rc: RunContext, keys: readonly string[] | undefined): Array<{ kind: 'authored'; vars: Record<string, unknown> }> {
  return (keys ?? []).map((f) => ({ kind: 'authored' as const, vars: rc.varsFiles.get(f) ?? {} }));
}

/**
 * The variables a host sees, in Ansible's precedence order (low to high): defaults_files and role defaults (the
 * play's roles', then the task's own role's), inventory, play vars, vars_files, role vars (likewise), block and
 * task vars, registered results and set_fact, extra vars; then the magic variables.
 */
export function hostScope(rc: RunContext, play: Play, host: HostState, extras: ScopeExtras = {}): Record<string, unknown> {
  const where = { host: host.name };
  return guardSecrets(
    rc.redactor,
    makeScope(
      [
        { kind: 'data', vars: { ansible_host: host.name } },
        ...fileLayers(rc, play.defaultsFiles),
        ...fileLayers(rc, play.roleDefaults),
        ...fileLayers(rc, extras.role?.defaults),
        { kind: 'authored', vars: host.inventoryVars },
        { kind: 'authored', vars: (play.keywords.vars ?? {}) as Record<string, unknown> },
        ...fileLayers(rc, play.varsFiles),
        ...fileLayers(rc, play.roleVars),
        ...fileLayers(rc, extras.role?.vars),
        ...(extras.authored?.block ?? []).map((vars) => ({ kind: 'authored' as const, vars })),
        { kind: 'data', vars: host.registered },
        { kind: 'data', vars: host.facts },
        ...(extras.authored?.params ?? []).map((vars) => ({ kind: 'authored' as const, vars })),
        { kind: 'authored', vars: rc.opts.extraVars },
        { kind: 'data', vars: magicVars(rc, play, host, extras.batch) },
        // a role's task sees its role's name and directory, as in Ansible
        { kind: 'data', vars: extras.role ? { role_name: extras.role.name, role_path: extras.role.dir } : {} },
        { kind: 'data', vars: extras.data ?? {} },
      ],
      where,
    ),
  );
}

/**
 * Makes the redactor learn every secret a scope hands out before it can reach any output: the value of a
 * secret-named variable (`db_password`, `api_token`, … from the inventory, play vars, vars_files, set_fact, -e),
 * all of it when it is a mapping or list, and values under secret-named keys nested in other variables.
 * Plain values are registered now; templates when they are first rendered.
 */
export function guardSecrets(redactor: Redactor, scope: Record<string, unknown>): Record<string, unknown> {
  const note = (k: string, v: unknown): void => {
    if (isSecretName(k)) redactor.addDeep(v);
    else redactor.addSecretKeys(v);
  };
  for (const k of Object.keys(scope)) {
    if (k === 'hostvars') continue; // a view of other hosts' scopes, each guarded when it is built
    const d = Object.getOwnPropertyDescriptor(scope, k);
    if (!d) continue;
    if ('value' in d) {
      note(k, d.value);
      continue;
    }
    const get = d.get;
    if (!get) continue;
    Object.defineProperty(scope, k, {
      enumerable: true,
      configurable: true,
      get: () => {
        const v: unknown = get();
        note(k, v);
        return v;
      },
    });
  }
  return scope;
}

/** Names of the variables the engine provides to every task (validation treats them as always defined). */
export const MAGIC_VARIABLES = [
  'inventory_hostname',
  'inventory_hostname_short',
  'group_names',
  'groups',
  'hostvars',
  'ansible_play_hosts',
  'play_hosts',
  'ansible_play_batch',
  'ansible_play_hosts_all',
  'ansible_check_mode',
  'ansible_verbosity',
  'ansible_version',
  'playbook_dir',
] as const;

/** inventory_hostname, groups, group_names, hostvars, play hosts, check mode and playbook_dir. */
function magicVars(
  rc: RunContext,
  play: Play,
  host: HostState,
  batch: string[] | undefined,
): Record<(typeof MAGIC_VARIABLES)[number], unknown> {
  const inv = rc.inventory.hosts.get(host.name);
  const playHosts = [...rc.hosts.values()].filter((h) => !h.failed && !h.unreachable).map((h) => h.name);
  return {
    inventory_hostname: host.name,
    inventory_hostname_short: host.name.split('.')[0],
    group_names: (inv?.groups ?? []).filter((g) => g !== 'all' && g !== 'ungrouped').sort(), // sorted, as Ansible's
    groups: groupsMap(rc),
    hostvars: hostvarsView(rc, play),
    ansible_play_hosts: playHosts,
    play_hosts: playHosts,
    ansible_play_batch: batch ?? playHosts,
    ansible_play_hosts_all: [...rc.hosts.keys()],
    ansible_check_mode: rc.opts.check,
    ansible_verbosity: rc.opts.verbosity,
    ansible_version: { ...ANSIBLE_VERSION },
    playbook_dir: play.dir,
  };
}

function groupsMap(rc: RunContext): Record<string, string[]> {
  const out: Record<string, string[]> = { all: [...rc.inventory.hosts.keys()] };
  for (const h of rc.inventory.hosts.values()) {
    for (const g of h.groups) (out[g] ??= []).includes(h.name) || out[g].push(h.name);
  }
  return out;
}

/** `hostvars.NAME`: another host's scope, built only when read. */
function hostvarsView(rc: RunContext, play: Play): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const name of rc.inventory.hosts.keys()) {
    let cached: Record<string, unknown> | undefined;
    Object.defineProperty(view, name, {
      enumerable: true,
      get: () => {
        const state = rc.hosts.get(name);
        if (!state) {
          const vars = rc.inventory.hosts.get(name)?.vars ?? {};
          rc.redactor.addSecretKeys(vars);
          return vars;
        }
        cached ??= guardSecrets(
          rc.redactor,
          makeScope(
            [
              ...fileLayers(rc, play.defaultsFiles),
              ...fileLayers(rc, play.roleDefaults),
              { kind: 'authored', vars: state.inventoryVars },
              { kind: 'authored', vars: (play.keywords.vars ?? {}) as Record<string, unknown> },
              { kind: 'data', vars: state.registered },
              { kind: 'data', vars: state.facts },
              { kind: 'authored', vars: rc.opts.extraVars },
              { kind: 'data', vars: { inventory_hostname: name } },
            ],
            { host: name },
          ),
        );
        return cached;
      },
    });
  }
  return view;
}
