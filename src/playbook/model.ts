import type { Problem, SourceLocation } from '../errors/problem.js';
import type { PlaybookEntry, Task } from '../generated/playbook.js';
import type { EffectiveKeywords } from './effective-keywords.js';

/** Names of the keys of a task that are modules (everything in the schema's Task that is not a keyword). */
export type ModuleName =
  | 'command'
  | 'shell'
  | 'copy'
  | 'template'
  | 'fetch'
  | 'file'
  | 'stat'
  | 'wait_for'
  | 'assert'
  | 'fail'
  | 'debug'
  | 'set_fact'
  | 'pause'
  | 'ping'
  | 'etcd_replace_plan'
  | 'etcd_delta_replay'
  | 's3_upload'
  | 's3_download'
  | 'etcd_backup_find'
  | 'etcd_backup_prune'
  | 'openshift_backup_find'
  | 'etcd_manifest'
  | 'openshift_etcd_env'
  | 'etcd_cluster'
  | 'etcd_manifest_write'
  | 'etcd_facts'
  | 'etcd_member'
  | 'etcd_snapshot'
  | 'static_pod'
  | 'etcd_rollback'
  | 'lineinfile'
  | 'replace'
  | 'blockinfile'
  | 'slurp'
  | 'tempfile'
  | 'find'
  | 'service'
  | 'systemd'
  | 'systemd_service'
  | 'setup'
  | 'get_url'
  | 'uri'
  | 'unarchive'
  | 'group_by'
  | 'add_host';

/** The module names a task may use (keys of the schema's Task that are not keywords). */
export const MODULES: readonly ModuleName[] = [
  'command',
  'shell',
  'copy',
  'template',
  'fetch',
  'file',
  'stat',
  'wait_for',
  'assert',
  'fail',
  'debug',
  'set_fact',
  'pause',
  'ping',
  'etcd_replace_plan',
  'etcd_delta_replay',
  's3_upload',
  's3_download',
  'etcd_backup_find',
  'etcd_backup_prune',
  'openshift_backup_find',
  'etcd_manifest',
  'openshift_etcd_env',
  'etcd_cluster',
  'etcd_manifest_write',
  'etcd_facts',
  'etcd_member',
  'etcd_snapshot',
  'static_pod',
  'etcd_rollback',
  'lineinfile',
  'replace',
  'blockinfile',
  'slurp',
  'tempfile',
  'find',
  'service',
  'systemd',
  'systemd_service',
  'setup',
  'get_url',
  'uri',
  'unarchive',
  'group_by',
  'add_host',
];

/** Task keywords as written (schema-generated), without the module keys and block parts. */
export type TaskKeywords = Omit<
  Task,
  ModuleName | 'meta' | 'block' | 'rescue' | 'always' | 'import_tasks' | 'include_tasks' | 'import_role' | 'include_role' | 'include_vars'
>;

/** The role a task comes from (src/playbook/roles/): where its files are and the variables it brings. */
export interface RoleContext {
  /** The role's name as written (tasks show as `name : task`). */
  name: string;
  /** The role's directory: template and copy look in its templates/ and files/ first. */
  dir: string;
  /** Its defaults files, its dependencies' first (keys of the run's vars files). */
  defaults: string[];
  /** Its vars (dependencies' first, then the role entry's `vars:`, then vars/), keys of the run's vars files. */
  vars: string[];
}

interface TaskBase {
  /** Stable id: `file:line:col` of the task. */
  id: string;
  loc: SourceLocation;
  /** Directory of the file the task came from (relative paths in args resolve against it). */
  dir: string;
  keywords: TaskKeywords;
  /** The keywords that apply to it, its own and inherited (when chain, vars layers, environment, become...), resolved once. */
  effective: EffectiveKeywords;
  /** Tags including those inherited from the play and enclosing blocks. */
  tags: string[];
  /** Display name: the task name, or `module` when unnamed. */
  title: string;
  /** Where the value of each key of the task is written (for problems about one keyword). */
  keyLocs?: Record<string, SourceLocation>;
  /** The role the task belongs to, when it comes from one. */
  role?: RoleContext;
}

/** What a module task runs: a module of the registry, or `meta` (handled by the engine itself). */
export type TaskModule = ModuleName | 'meta';

/** A task that runs one module. */
export interface ModuleTask extends TaskBase {
  kind: 'module';
  module: TaskModule;
  args: unknown;
}

/** A block with its rescue and always sections. */
export interface BlockTask extends TaskBase {
  kind: 'block';
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  /** Set when the block stands for an include_tasks/include_role: Ansible lists it as one task, named as this title. */
  include?: string;
  /** A role already run in this play with the same parameters (Ansible runs it once): listed, never run. */
  duplicate?: boolean;
  /**
   * Set on the block of an include whose file or role name is a template: the name is rendered per host when the
   * block is reached, and the host runs the one of the block's children (each a `candidate`) it names.
   */
  choose?: IncludeChoice;
  /** Set on each child of a `choose` block: the file (include_tasks) or role directory (include_role) it stands for. */
  candidate?: string;
}

/** How an include with a templated name picks its file or role at run time. */
export interface IncludeChoice {
  /** include_tasks or include_role, as written (with its ansible.builtin. prefix if any). */
  key: string;
  /** The name as written, a template. */
  template: string;
  /** Where a rendered relative name is looked for, in order (directories). */
  bases: string[];
  /** What the name picks: a task file, or a role (a directory). */
  kind: 'file' | 'role';
  /** The pattern the candidates were found with (the template with each {{ }} as `*`), for messages. */
  pattern: string;
}

/** A node of a play's task tree. */
export type TaskNode = ModuleTask | BlockTask;

/** Play keywords as written (schema-generated). */
export type PlayKeywords = Omit<PlaybookEntry, 'tasks' | 'pre_tasks' | 'post_tasks' | 'handlers' | 'import_playbook' | 'hosts'>;

/** A play ready to run: imports resolved, sections normalized. */
/** A task that could not be read (unknown module or keyword, an import that failed): what it was written with. */
export interface UnreadTask {
  /** Its keys, as written (`service`, `register`, `ansible.builtin.set_fact`...). */
  keys: string[];
  /** Its `register`, when it has one. */
  register?: string | undefined;
}

export interface Play {
  name: string;
  hosts: string[];
  keywords: PlayKeywords;
  /** pre_tasks, tasks and post_tasks in order. */
  tasks: TaskNode[];
  handlers: ModuleTask[];
  /** vars_files resolved to absolute paths. */
  varsFiles: string[];
  /** defaults_files resolved to absolute paths (lowest precedence). */
  defaultsFiles: string[];
  /** Where each vars_files / defaults_files entry is written, by resolved path. */
  fileLocs?: Map<string, SourceLocation>;
  loc: SourceLocation;
  /** Where the play's `hosts` value is written. */
  hostsLoc?: SourceLocation;
  file: string;
  dir: string;
  /** Defaults of every role of the play, in order (keys of the run's vars files): below the inventory. */
  roleDefaults?: string[];
  /** Vars of every role of the play, in order (keys of the run's vars files): above vars_files. */
  roleVars?: string[];
  /** Defaults and vars files of roles only their own tasks see (keys of the run's vars files; see RoleContext). */
  privateRoleFiles?: string[];
  /** Variables written inline (a role entry's `vars:`), by the key the role layers name them with. */
  inlineVars?: Map<string, Record<string, unknown>>;
  /** What normalising the play found worth saying that does not stop it (a deprecated form), located. */
  warnings?: Problem[];
  /** Tasks of this play that could not be read (reported as problems); the undefined-variable check needs them. */
  unread?: UnreadTask[];
}
