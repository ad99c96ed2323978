/* Generated from schema/playbook.schema.json by scripts/gen-types.mjs: do not edit. */

/**
 * Host pattern: groups, hosts, a:b union, !x exclude, &x intersect, ~regex.
 */
export type HostPattern = string | string[];
export type StringOrList = string | string[];
/**
 * An expression (see docs/expressions.md), a boolean, or a list of them that must all hold.
 */
export type Condition = string | boolean | (string | boolean)[];
/**
 * Run a program without a shell: a string split into words like a shell would (no expansion), or argv.
 */
export type CommandArgs =
  | string
  | {
      cmd?: string;
      /**
       * @minItems 1
       */
      argv?: [string | number, ...(string | number)[]];
      chdir?: string;
      /**
       * Skip when this path exists.
       */
      creates?: string;
      /**
       * Skip when this path does not exist.
       */
      removes?: string;
      stdin?: string;
    };
/**
 * Run a command line with /bin/sh (pipes, redirections, variables).
 */
export type ShellArgs =
  | string
  | {
      cmd?: string;
      chdir?: string;
      creates?: string;
      removes?: string;
      stdin?: string;
      /**
       * Shell to use instead of /bin/sh, e.g. /bin/bash.
       */
      executable?: string;
    };
/**
 * Fail with a message.
 */
export type FailArgs = {
  msg?: string;
} | null;
/**
 * Show a message or a variable.
 */
export type DebugArgs = {
  msg?: unknown;
  var?: string;
  verbosity?: number;
} | null;
/**
 * Wait for some time, or for the operator to confirm (needs a TTY or --yes).
 */
export type PauseArgs = {
  prompt?: string;
  seconds?: number | string;
  minutes?: number | string;
} | null;
/**
 * Check that the host answers a command.
 */
export type PingArgs = {
  data?: string;
} | null;
/**
 * Read the host's etcd static-pod manifest (also where static_pod parked it) and set the `etcd` fact: name, data dir, URLs, initial cluster, certificate paths, and `etcd.tls` (cacert, cert, key, source): the client certificate to reach etcd, the given one or else found beside the manifest's --trusted-ca-file (apiserver-etcd-client, kubeadm's healthcheck-client, else the server pair), checked to exist on the host.
 */
export type EtcdManifestArgs = {
  /**
   * The manifest (default /etc/kubernetes/manifests/etcd.yaml).
   */
  path?: string;
  /**
   * Where static_pod parks stopped manifests, looked at when path is missing (default /etc/kubernetes/manifests-parked).
   */
  parked_dir?: string;
  /**
   * Client CA to use (e.g. from etcd_ca); empty: the manifest's --trusted-ca-file.
   */
  cacert?: string;
  /**
   * Client certificate to use (e.g. from etcd_cert); empty: found on the host.
   */
  cert?: string;
  /**
   * Client key to use (e.g. from etcd_key); empty: found on the host.
   */
  key?: string;
} | null;
/**
 * Read an OpenShift 4 master's etcd.env (etcd-scripts config map), find this master in it and set the `openshift_etcd` fact: node name and IP, client and peer URLs, endpoints, every master, and the client certificate mapped from the pods' paths (/etc/kubernetes/static-pod-certs/...) to the host's.
 */
export type OpenshiftEtcdEnvArgs = {
  /**
   * etcd.env (default /etc/kubernetes/static-pod-resources/etcd-certs/configmaps/etcd-scripts/etcd.env).
   */
  path?: string;
  /**
   * This master's node name in etcd.env (default: found from the host name, else from ansible_host).
   */
  node?: string;
  /**
   * What the etcd pods see as /etc/kubernetes/static-pod-certs, on the host (default /etc/kubernetes/static-pod-resources/etcd-certs).
   */
  certs_dir?: string;
} | null;
/**
 * The whole etcd cluster of the masters, from every master's own `etcd` fact (etcd_manifest: --name and peer URL), never from one manifest's --initial-cluster; checks that the masters agree with each other, with every manifest's --initial-cluster and with the running cluster's member list, and fails naming each master that disagrees. Returns members (host, name, peer_url, client_url), initial_cluster, client_urls, warnings. Runs on the controller.
 */
export type EtcdClusterArgs = {
  /**
   * Inventory group of the masters (default masters).
   */
  group?: string;
  /**
   * Optional: the registered result of etcd_facts (its member list), compared with the masters.
   */
  cluster?: {
    [k: string]: unknown;
  };
  /**
   * false: masters without a manifest (a failed master about to be replaced) are left out, and the member list is not compared (default true).
   */
  require_all?: boolean | string;
} | null;
/**
 * Cluster state through etcdctl: endpoint health and status, member list, leader, whether revisions match, installed tools. Read-only.
 */
export type EtcdFactsArgs = {
  /**
   * Client URLs (a list or a comma-separated string; default: the host's etcd.client_url fact, else https://<ansible_host>:2379).
   */
  endpoints?: string | string[];
  /**
   * Check every member of the cluster (etcdctl --cluster), not only the given endpoints.
   */
  cluster?: boolean | string;
  /**
   * CA bundle for the etcd server certificates (default /etc/kubernetes/ssl/etcd/ca.crt).
   */
  cacert?: string;
  /**
   * Client certificate (default /etc/kubernetes/ssl/apiserver-etcd-client.crt).
   */
  cert?: string;
  /**
   * Client key (default /etc/kubernetes/ssl/apiserver-etcd-client.key).
   */
  key?: string;
  /**
   * etcdctl --command-timeout in seconds (default 5).
   */
  timeout?: number | string;
  /**
   * For each endpoint that is not healthy, find out why with one TLS handshake from the host (openssl s_client): member down (connection refused), timeout, the server certificate not signed by cacert, or the client certificate refused; the reasons go to `problems` and msg (adds up to ~6 s when an endpoint is down; leave it off in retry loops).
   */
  diagnose?: boolean | string;
  /**
   * Ask only endpoint health and endpoint status (two etcdctl runs instead of four, with the tool versions): all an until loop on healthy, leader and revisions_match needs; members is [] and tool null (a host without etcdctl still fails the task).
   */
  poll?: boolean | string;
} | null;
/**
 * Groups the group becomes a child of (default: all).
 */
export type StringOrList1 = string | string[];
/**
 * Add a host (or update one) in the run's inventory, in groups, with variables (ansible.builtin.add_host): later plays' patterns see it. Runs once per task (for the first host), once per item with a loop. Every other key is a host variable (ansible_host, ansible_port...).
 */
export type AddHostArgs = AddHostArgs1 & AddHostArgs2;
export type AddHostArgs1 = {
  [k: string]: unknown;
};
/**
 * Groups to put it in (a comma-separated string or a list); created when new.
 */
export type StringOrList2 = string | string[];
export type TaskList = Task[];
export type RoleEntry =
  | string
  | {
      role?: string;
      name?: string;
      vars?: Vars;
      when?: Condition;
      tags?: StringOrList;
      [k: string]: unknown;
    };
/**
 * A tsplay playbook: a list of plays (Ansible-compatible subset). Point yaml-language-server at this file for completion and checks.
 */
export type Playbook = PlaybookEntry[];

/**
 * A play, or an import of another playbook file.
 */
export interface PlaybookEntry {
  /**
   * What the play does (shown in progress output).
   */
  name?: string;
  /**
   * Path of another playbook to run here, relative to this file.
   */
  import_playbook?: string;
  hosts?: HostPattern;
  vars?: Vars;
  /**
   * YAML files of variables, relative to the playbook.
   */
  vars_files?: string[];
  /**
   * YAML files of default variables, relative to the playbook, with the LOWEST precedence (like role defaults): inventory, play vars and -e all override them.
   */
  defaults_files?: string[];
  /**
   * Run tasks with sudo (become_user, default root).
   */
  become?: boolean | string;
  become_user?: string;
  /**
   * Batch size: a number, a percentage such as "30%", or a list of them for growing batches.
   */
  serial?: number | string | (number | string)[];
  /**
   * linear: each task on every host of the batch before the next; free: each host runs on at its own pace. A {{ template }} is resolved when the play starts, with the play's first host.
   */
  strategy?: ('linear' | 'free') | string;
  /**
   * Abort the play when more than this percentage of a batch's hosts failed.
   */
  max_fail_percentage?: number;
  /**
   * A host that cannot be reached by a task of the play stays in the play (the task is reported unreachable and counted as ignored).
   */
  ignore_unreachable?: boolean | string;
  /**
   * Abort the play on every host as soon as one host fails. A {{ template }} is resolved with the first host of each batch.
   */
  any_errors_fatal?: boolean | string;
  /**
   * true (or yes/on): run the setup module first, as a "Gathering Facts" task (ansible_hostname, ansible_default_ipv4, ansible_os_family...). Unset: no facts are gathered.
   */
  gather_facts?: boolean | string;
  environment?: Environment;
  tags?: StringOrList;
  check_mode?: boolean | string;
  no_log?: boolean | string;
  /**
   * The play changes a cluster irreversibly: tsplay asks for confirmation (or --yes) before it starts.
   */
  destructive?: boolean;
  pre_tasks?: TaskList;
  tasks?: TaskList;
  post_tasks?: TaskList;
  handlers?: TaskList;
  /**
   * Expected duration of the play (e.g. "90s", "10m"): with --deadline, a play that cannot finish before the deadline does not start.
   */
  duration?: string;
  /**
   * The play is one critical section: a deadline or a first Ctrl-C never stops inside it (it does not start when its duration does not fit before the deadline, or it runs to its end); a second Ctrl-C rolls back through the rescue of the block it is in, where there is one. A name (a string) joins consecutive plays with the same name into one section; their durations add up.
   */
  critical?:
    | boolean
    | string
    | {
        name: string;
        from: string;
      };
  /**
   * Roles to run before the play's tasks (Ansible's standard role layout, searched in roles/ next to the playbook, the roles_path of an ansible.cfg there, and the playbook's directory): a name, or a mapping with `role` (or `name`), `vars`, `when`, `tags` and role parameters.
   */
  roles?: RoleEntry[];
}
/**
 * Variables (values may be Handlebars templates).
 */
export interface Vars {
  [k: string]: unknown;
}
/**
 * Environment variables for the remote commands.
 */
export interface Environment {
  [k: string]: string | number | boolean;
}
/**
 * One task: a module with its arguments plus keywords, a block, or an import_tasks.
 */
export interface Task {
  name?: string;
  when?: Condition;
  /**
   * Save the result in this variable for later tasks.
   */
  register?: string;
  /**
   * A list (or a template giving one); the task runs once per item as `item`.
   */
  loop?: string | unknown[];
  loop_control?: {
    /**
     * What to show for each item instead of the whole item.
     */
    label?: string;
    loop_var?: string;
    index_var?: string;
    pause?: number;
    /**
     * Adds ansible_loop.allitems, revindex, revindex0, previtem and nextitem.
     */
    extended?: boolean;
    /**
     * With extended: false leaves out ansible_loop.allitems.
     */
    extended_allitems?: boolean;
  };
  /**
   * Retry until this expression holds.
   */
  until?: string;
  retries?: number | string;
  /**
   * Seconds between retries (default 5).
   */
  delay?: number | string;
  ignore_errors?: boolean | string;
  /**
   * A host that cannot be reached for this task stays in the play: the task is reported unreachable and counted as ignored.
   */
  ignore_unreachable?: boolean | string;
  failed_when?: Condition;
  changed_when?: Condition;
  run_once?: boolean | string;
  /**
   * On a block or task: when a task under it fails on a host, every host of the batch stops (an enclosing rescue runs on all of them). A {{ template }} is resolved with the batch's first host.
   */
  any_errors_fatal?: boolean | string;
  /**
   * With delegate_to: the facts the task sets go to the delegated host instead of the current one.
   */
  delegate_facts?: boolean | string;
  /**
   * At most this many hosts run the task at once.
   */
  throttle?: number | string;
  /**
   * Set by with_* (write with_items, with_dict... instead): the item shape Ansible's lookup of that name gives the rendered loop value.
   */
  loop_with?: 'items' | 'list' | 'dict' | 'nested' | 'sequence' | 'indexed_items' | 'together';
  /**
   * Acts on the run: run the notified handlers now (flush_handlers), end the play (end_play) or this host's part of it (end_host), forget the host's set facts (clear_facts), bring the batch's unreachable hosts back into the play (clear_host_errors), nothing (noop; refresh_inventory: the inventory is read once per run).
   */
  meta?:
    'flush_handlers' | 'end_play' | 'end_host' | 'noop' | 'refresh_inventory' | 'clear_facts' | 'clear_host_errors';
  delegate_to?: string;
  tags?: StringOrList;
  /**
   * Hide arguments and results of this task from every output and log.
   */
  no_log?: boolean | string;
  /**
   * Seconds before the task is stopped and fails.
   */
  timeout?: number | string;
  become?: boolean | string;
  become_user?: string;
  environment?: Environment;
  /**
   * false: run even under --check (read-only probes); true: always behave as in check mode.
   */
  check_mode?: boolean | string;
  notify?: StringOrList;
  listen?: StringOrList;
  vars?: Vars;
  /**
   * Ask for confirmation (or --yes) before this task runs.
   */
  destructive?: boolean;
  /**
   * On a block: the block (with its rescue and always) is one critical section: a deadline or a first Ctrl-C never stops inside it (it does not start when its duration does not fit before the deadline, or it runs to its end); a second Ctrl-C inside its body fails the running tasks and runs its rescue (the rollback).
   */
  critical?:
    | boolean
    | string
    | {
        name: string;
        from: string;
      };
  /**
   * On a critical block: how long it is expected to take (e.g. "5m"), judged against --deadline before it starts.
   */
  duration?: string;
  block?: TaskList;
  rescue?: TaskList;
  always?: TaskList;
  /**
   * A file of tasks to insert here, relative to the playbook.
   */
  import_tasks?: string;
  /**
   * A file of tasks to run here (relative to the file it is written in, or the role's tasks/), or a mapping with `file`.
   */
  include_tasks?:
    | string
    | {
        file: string;
        apply?: {};
      };
  import_role?: RoleRef;
  include_role?: RoleRef;
  /**
   * Variables for this host from a YAML file (relative to the file it is written in, or the role's vars/), or a mapping with `file` or `dir` (every .yml/.yaml/.json in it, by name), and `name` to put them under one variable.
   */
  include_vars?:
    | string
    | {
        file?: string;
        dir?: string;
        name?: string;
      };
  command?: CommandArgs;
  shell?: ShellArgs;
  copy?: CopyArgs;
  template?: TemplateArgs;
  fetch?: FetchArgs;
  file?: FileArgs;
  stat?: StatArgs;
  wait_for?: WaitForArgs;
  assert?: AssertArgs;
  fail?: FailArgs;
  debug?: DebugArgs;
  set_fact?: SetFactArgs;
  pause?: PauseArgs;
  ping?: PingArgs;
  etcd_replace_plan?: EtcdReplacePlanArgs;
  etcd_delta_replay?: EtcdDeltaReplayArgs;
  s3_upload?: S3UploadArgs;
  s3_download?: S3DownloadArgs;
  etcd_backup_find?: EtcdBackupFindArgs;
  etcd_backup_prune?: EtcdBackupPruneArgs;
  openshift_backup_find?: OpenshiftBackupFindArgs;
  etcd_manifest?: EtcdManifestArgs;
  openshift_etcd_env?: OpenshiftEtcdEnvArgs;
  etcd_cluster?: EtcdClusterArgs;
  etcd_manifest_write?: EtcdManifestWriteArgs;
  etcd_facts?: EtcdFactsArgs;
  etcd_member?: EtcdMemberArgs;
  etcd_snapshot?: EtcdSnapshotArgs;
  static_pod?: StaticPodArgs;
  etcd_rollback?: EtcdRollbackArgs;
  lineinfile?: LineinfileArgs;
  replace?: ReplaceArgs;
  blockinfile?: BlockinfileArgs;
  slurp?: SlurpArgs;
  find?: FindArgs;
  tempfile?: TempfileArgs;
  service?: ServiceArgs;
  systemd?: SystemdArgs;
  systemd_service?: SystemdArgs;
  setup?: SetupArgs;
  get_url?: GetUrlArgs;
  uri?: UriArgs;
  unarchive?: UnarchiveArgs;
  group_by?: GroupByArgs;
  add_host?: AddHostArgs;
}
/**
 * A role to run here (tasks_from/vars_from/defaults_from/handlers_from pick other files of it than main).
 */
export interface RoleRef {
  name: string;
  tasks_from?: string;
  vars_from?: string;
  defaults_from?: string;
  handlers_from?: string;
  allow_duplicates?: boolean;
  public?: boolean;
  rolespec_validate?: boolean;
  apply?: {};
}
/**
 * Write a file on the host from inline content or a controller file (src, relative to the playbook).
 */
export interface CopyArgs {
  dest: string;
  content?: string;
  src?: string;
  /**
   * Octal mode, e.g. "0600".
   */
  mode?: string | number;
  owner?: string;
  group?: string;
  /**
   * Keep the previous file as DEST.<timestamp>~ when it changes.
   */
  backup?: boolean;
  /**
   * src is a path on the host (copied there with cp), not on the controller.
   */
  remote_src?: boolean | string;
  /**
   * Replace dest when its content differs (default true); false: only create it when missing.
   */
  force?: boolean | string;
}
/**
 * Render a Handlebars template file from the controller and write it on the host.
 */
export interface TemplateArgs {
  src: string;
  dest: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  backup?: boolean;
}
/**
 * Copy a file from the host to the controller (dest/HOST/SRC, or dest itself with flat).
 */
export interface FetchArgs {
  src: string;
  dest: string;
  flat?: boolean;
  fail_on_missing?: boolean;
}
/**
 * Make a path a file, directory or link, touch it, or remove it.
 */
export interface FileArgs {
  path: string;
  state?: 'file' | 'directory' | 'absent' | 'touch' | 'link';
  mode?: string | number;
  owner?: string;
  group?: string;
  /**
   * Link target for state: link.
   */
  src?: string;
  recurse?: boolean;
}
/**
 * Facts about a path: exists, isdir, size, mode, owner, mtime, checksum (sha256).
 */
export interface StatArgs {
  path: string;
  get_checksum?: boolean;
}
/**
 * Wait for a TCP port, a path, or a process to appear or disappear.
 */
export interface WaitForArgs {
  /**
   * Address to probe for port (default: the host's own address).
   */
  host?: string;
  port?: number | string;
  path?: string;
  /**
   * A pgrep -f pattern (state: absent waits until no process matches).
   */
  process?: string;
  /**
   * With path: wait until the file contains a match.
   */
  search_regex?: string;
  state?: 'started' | 'stopped' | 'present' | 'absent';
  /**
   * Seconds (default 300).
   */
  timeout?: number | string;
  /**
   * Seconds to wait before the first check.
   */
  delay?: number | string;
  /**
   * Seconds between checks (default 1).
   */
  sleep?: number | string;
  msg?: string;
}
/**
 * Fail unless every expression holds.
 */
export interface AssertArgs {
  that: Condition;
  fail_msg?: string;
  msg?: string;
  success_msg?: string;
  quiet?: boolean;
}
/**
 * Set variables for this host for the rest of the run.
 */
export interface SetFactArgs {
  [k: string]: unknown;
}
/**
 * Decide which failed etcd member to replace and on which inventory host (refuses when more than one member is unhealthy or quorum would be lost). Runs on the controller.
 */
export interface EtcdReplacePlanArgs {
  /**
   * The registered result of etcd_facts (with cluster: true).
   */
  cluster: {
    [k: string]: unknown;
  };
  /**
   * Member name to replace; default: the single unhealthy member.
   */
  member?: string;
  /**
   * Inventory group of the masters (default masters).
   */
  group?: string;
}
/**
 * Replay etcd-backup-restore delta snapshots (Incr-...) from the object store onto a Full snapshot on the host, in a temporary single-member etcd on the host's loopback (one transaction per original revision, revision checked after each delta), and save the result.
 */
export interface EtcdDeltaReplayArgs {
  /**
   * The Full snapshot file on the host.
   */
  snapshot: string;
  bucket: string;
  /**
   * Delta objects in order: keys, or the entries etcd_backup_find returns (a template giving a list).
   */
  deltas: unknown[] | string;
  /**
   * Where to write the final snapshot on the host (mode 0600).
   */
  dest: string;
}
/**
 * Stream a file from the host to the object store (multipart, bounded memory), checked against the host's SHA-256 of the file; records x-amz-meta-sha256. Give key, or prefix + name for an etcdbrctl snapshot (<prefix>/v2/<name>).
 */
export interface S3UploadArgs {
  /**
   * Path of the file on the host.
   */
  src: string;
  bucket: string;
  /**
   * Object key (used as given).
   */
  key?: string;
  /**
   * With name: the etcdbrctl store prefix (--store-prefix).
   */
  prefix?: string;
  /**
   * With prefix: a snapshot name (Full-/Incr-...); .gz is added when compress is gzip.
   */
  name?: string;
  /**
   * gzip the object on the way (default none).
   */
  compress?: string;
  /**
   * Object store URL (default: ECS_ENDPOINT, else AWS_ENDPOINT_URL, else AWS S3). Credentials come only from the controller's environment.
   */
  endpoint?: string;
  /**
   * Region (default: AWS_REGION, else us-east-1).
   */
  region?: string;
}
/**
 * Stream an object to a file on the host (decompressing by suffix), verified with the SHA-256 the host computes while writing it. An existing dest is never replaced unless force.
 */
export interface S3DownloadArgs {
  bucket: string;
  key: string;
  /**
   * Path of the file on the host.
   */
  dest: string;
  /**
   * Octal mode of dest (default "0600").
   */
  mode?: string | number;
  /**
   * auto (default): by the key's suffix (.gz, .zlib, .Z); none/false: store the object as is.
   */
  decompress?: boolean | string;
  /**
   * Replace an existing dest.
   */
  force?: boolean;
  /**
   * Object store URL (default: ECS_ENDPOINT, else AWS_ENDPOINT_URL, else AWS S3). Credentials come only from the controller's environment.
   */
  endpoint?: string;
  /**
   * Region (default: AWS_REGION, else us-east-1).
   */
  region?: string;
}
/**
 * Find what a restore needs in an etcd-backup-restore (etcdbrctl) store: the latest Full snapshot (or the named one) and the Incr deltas after it. Runs on the controller.
 */
export interface EtcdBackupFindArgs {
  /**
   * etcdbrctl --store-container, e.g. etcd-backup.
   */
  bucket: string;
  /**
   * etcdbrctl --store-prefix (snapshots are under <prefix>/v2/).
   */
  prefix?: string;
  /**
   * Name of the Full snapshot to use (default/empty: the latest).
   */
  snapshot?: string;
  /**
   * Object store URL (default: ECS_ENDPOINT, else AWS_ENDPOINT_URL, else AWS S3). Credentials come only from the controller's environment.
   */
  endpoint?: string;
  /**
   * Region (default: AWS_REGION, else us-east-1).
   */
  region?: string;
}
/**
 * Retention for an etcdbrctl store: keep the newest keep_last Full snapshots and what follows them; delete older Fulls and deltas. Runs on the controller.
 */
export interface EtcdBackupPruneArgs {
  bucket: string;
  prefix?: string;
  /**
   * How many Full snapshots to keep (at least 1).
   */
  keep_last: number | string;
  /**
   * Object store URL (default: ECS_ENDPOINT, else AWS_ENDPOINT_URL, else AWS S3). Credentials come only from the controller's environment.
   */
  endpoint?: string;
  /**
   * Region (default: AWS_REGION, else us-east-1).
   */
  region?: string;
}
/**
 * Find the OpenShift backup to restore in the object store, as openshift-backup.yaml writes them ([<prefix>/]openshift/<cluster>/<stamp>/ with snapshot_*.db and static_kuberesources_*.tar.gz): the latest or the named one, refusing one that lacks either file. Runs on the controller.
 */
export interface OpenshiftBackupFindArgs {
  /**
   * The bucket, e.g. etcd-backup.
   */
  bucket: string;
  /**
   * store_prefix of openshift-backup.yaml (default none).
   */
  prefix?: string;
  /**
   * cluster_name of openshift-backup.yaml.
   */
  cluster: string;
  /**
   * The backup's folder name (its timestamp) or path (default/empty: the latest).
   */
  backup?: string;
  /**
   * Object store URL (default: ECS_ENDPOINT, else AWS_ENDPOINT_URL, else AWS S3). Credentials come only from the controller's environment.
   */
  endpoint?: string;
  /**
   * Region (default: AWS_REGION, else us-east-1).
   */
  region?: string;
}
/**
 * Write an etcd static-pod manifest for this host's member: from content (a model such as another master's manifest, moved from model_address to address and renamed to name) or, without content, the manifest already at dest; sets flags, adding those the manifest lacks (a manifest from kubeadm's first master has no --initial-cluster-state). Only the edited values change (indentation, quoting, comments, command vs args stay). Refuses a manifest whose certificate files do not exist on the host. Idempotent; check mode reports the changes.
 */
export interface EtcdManifestWriteArgs {
  /**
   * Where to write the manifest on the host (e.g. the parked dir's etcd.yaml).
   */
  dest: string;
  /**
   * The model manifest's text; empty: edit the manifest at dest.
   */
  content?: string;
  /**
   * The member's name (--name).
   */
  name?: string;
  /**
   * This host's address, put in place of model_address.
   */
  address?: string;
  /**
   * The address of the master the model came from.
   */
  model_address?: string;
  /**
   * Flags to set, e.g. {initial-cluster: ..., initial-cluster-state: existing}.
   */
  flags?: {
    [k: string]: string | number | boolean;
  };
  /**
   * File mode (default 0600).
   */
  mode?: string | number;
}
/**
 * Change membership: add (optionally as a learner), promote a learner, or remove a member, refusing removals that would lose quorum. Idempotent.
 */
export interface EtcdMemberArgs {
  action: 'add' | 'promote' | 'remove';
  /**
   * Member name (add: required; promote/remove: the member to act on, or give id).
   */
  name?: string;
  /**
   * Member ID in hex as etcdctl prints it (promote/remove).
   */
  id?: string;
  /**
   * Peer URLs of the member to add.
   */
  peer_urls?: string | string[];
  /**
   * add: join as a non-voting learner (promote it once it has caught up).
   */
  learner?: boolean | string;
  /**
   * remove: allow removing a member that is healthy (never one whose removal loses quorum).
   */
  force?: boolean | string;
  /**
   * Client URLs (a list or a comma-separated string; default: the host's etcd.client_url fact, else https://<ansible_host>:2379).
   */
  endpoints?: string | string[];
  /**
   * CA bundle for the etcd server certificates (default /etc/kubernetes/ssl/etcd/ca.crt).
   */
  cacert?: string;
  /**
   * Client certificate (default /etc/kubernetes/ssl/apiserver-etcd-client.crt).
   */
  cert?: string;
  /**
   * Client key (default /etc/kubernetes/ssl/apiserver-etcd-client.key).
   */
  key?: string;
  /**
   * etcdctl --command-timeout in seconds (default 5).
   */
  timeout?: number | string;
}
/**
 * save: snapshot one member into dest (0600, verified); status: hash, revision, keys, size and sha256 of a file; restore: a new data dir from a snapshot (an existing one is moved aside, never overwritten).
 */
export interface EtcdSnapshotArgs {
  action: 'save' | 'status' | 'restore';
  /**
   * save: exactly one client URL.
   */
  endpoint?: string | string[];
  /**
   * save: the snapshot file to write on the host.
   */
  dest?: string;
  /**
   * status/restore: the snapshot file on the host.
   */
  path?: string;
  /**
   * CA bundle for the etcd server certificates (default /etc/kubernetes/ssl/etcd/ca.crt).
   */
  cacert?: string;
  /**
   * Client certificate (default /etc/kubernetes/ssl/apiserver-etcd-client.crt).
   */
  cert?: string;
  /**
   * Client key (default /etc/kubernetes/ssl/apiserver-etcd-client.key).
   */
  key?: string;
  /**
   * etcdctl --command-timeout in seconds (default 5).
   */
  timeout?: number | string;
  /**
   * restore: the data dir to create (an existing one is moved to <data_dir>.tsplay-<UTC time>, or to keep_data_dir).
   */
  data_dir?: string;
  /**
   * restore: move the current data dir exactly here before restoring (the task fails, changing nothing, when there is no data dir or this path exists), e.g. the path a rollback record names.
   */
  keep_data_dir?: string;
  /**
   * restore: the registered result of etcd_snapshot status on this same file, run earlier (e.g. before etcd was stopped). The restore then proves the file is unchanged since (its fingerprint: device, inode, size, mtime, ctime) instead of reading it again with snapshot status; a changed file is refused before anything moves. etcd's own integrity hash is still checked by the restore unless skip_hash_check.
   */
  verified?: {} | string;
  /**
   * restore: the member's name (--name).
   */
  name?: string;
  /**
   * restore: name=peer_url,... of every member.
   */
  initial_cluster?: string;
  /**
   * restore: this member's peer URL(s).
   */
  initial_advertise_peer_urls?: string;
  /**
   * restore: a fresh token for the restored cluster.
   */
  initial_cluster_token?: string;
  /**
   * restore: skip the integrity hash check (only for a db copied out of a data dir).
   */
  skip_hash_check?: boolean | string;
  /**
   * restore: add this much to the revision (--bump-revision) when the installed tool supports it.
   */
  bump_revision?: number | string;
  /**
   * restore: with bump_revision, mark the revision as compacted (--mark-compacted).
   */
  mark_compacted?: boolean | string;
}
/**
 * Stop a static pod by parking its manifest outside the manifests dir (kubelet stops it), or start it by moving it back; waits until it is down/up.
 */
export interface StaticPodArgs {
  /**
   * Manifest file name without .yaml (etcd, kube-apiserver).
   */
  name: string;
  state: 'stopped' | 'started';
  /**
   * Directory kubelet watches (default /etc/kubernetes/manifests).
   */
  manifests_dir?: string;
  /**
   * Where stopped manifests are kept; survives reboots (default /etc/kubernetes/manifests-parked, created 0700).
   */
  parked_dir?: string;
  /**
   * Wait until the pod is down (stopped) or up (started) (default true).
   */
  wait?: boolean | string;
  /**
   * Seconds to wait (default 120).
   */
  timeout?: number | string;
  /**
   * started: wait until this URL answers 2xx.
   */
  health_url?: string;
  /**
   * Wait until this TCP port on the host's address is closed (stopped) or open (started).
   */
  port?: number | string;
  /**
   * stopped: first wait (from this host, up to timeout) until none of these URLs or host:port accepts connections, e.g. an etcd leader's followers' peer URLs so the leader stops alone; still open at the timeout: fails, nothing moved. A list, or one string separated by commas or spaces.
   */
  after_closed?: string[] | string;
  /**
   * CA file that verifies an https health_url (with health_cert/health_key: a client certificate, e.g. etcd's peer pair; then curl verifies, else openssl s_client, and with neither tool there is no probe).
   */
  health_cacert?: string;
  /**
   * Client certificate for an https health_url.
   */
  health_cert?: string;
  /**
   * Key of health_cert.
   */
  health_key?: string;
}
/**
 * Put one master's original etcd data dir back after restore.yaml, from its record: when the record exists, stop kube-apiserver and then etcd (static pods parked, each proven gone, etcd's port closed), keep the restored data dir as <data_dir>.failed-<time>, move the kept original back and rename the record; without a record nothing changes. One probe and one command.
 */
export interface EtcdRollbackArgs {
  /**
   * restore.yaml's record of what it changed (default /var/lib/tsplay/restore-state): data_dir= and moved_aside= lines, read, never sourced.
   */
  record?: string;
  /**
   * Directory kubelet watches (default /etc/kubernetes/manifests).
   */
  manifests_dir?: string;
  /**
   * Where stopped manifests are kept (default /etc/kubernetes/manifests-parked, created 0700).
   */
  parked_dir?: string;
  /**
   * etcd's client port on the host's address, proven closed before the data dirs move (default 2379).
   */
  port?: number | string;
  /**
   * Seconds to wait for each pod to be gone (default 120).
   */
  timeout?: number | string;
}
/**
 * Make sure a line is in a file, or not (ansible.builtin.lineinfile).
 */
export interface LineinfileArgs {
  /**
   * The file (aliases dest, destfile, name).
   */
  path?: string;
  dest?: string;
  destfile?: string;
  name?: string;
  state?: 'present' | 'absent';
  regexp?: string;
  regex?: string;
  search_string?: string;
  line?: string;
  value?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean | string;
  create?: boolean | string;
  backup?: boolean | string;
  firstmatch?: boolean | string;
  /**
   * Octal mode, e.g. "0644".
   */
  mode?: string | number;
  owner?: string;
  group?: string;
}
/**
 * Replace every match of a regular expression in a file (ansible.builtin.replace).
 */
export interface ReplaceArgs {
  /**
   * The file (aliases dest, destfile, name).
   */
  path?: string;
  dest?: string;
  destfile?: string;
  name?: string;
  regexp: string;
  replace?: string;
  after?: string;
  before?: string;
  backup?: boolean | string;
  /**
   * Octal mode, e.g. "0644".
   */
  mode?: string | number;
  owner?: string;
  group?: string;
}
/**
 * Insert, update or remove a block of lines between marker lines (ansible.builtin.blockinfile).
 */
export interface BlockinfileArgs {
  /**
   * The file (aliases dest, destfile, name).
   */
  path?: string;
  dest?: string;
  destfile?: string;
  name?: string;
  state?: 'present' | 'absent';
  marker?: string;
  block?: string;
  content?: string;
  insertafter?: string;
  insertbefore?: string;
  create?: boolean | string;
  backup?: boolean | string;
  marker_begin?: string;
  marker_end?: string;
  /**
   * Octal mode, e.g. "0644".
   */
  mode?: string | number;
  owner?: string;
  group?: string;
}
/**
 * Read a file from the host, base64-encoded (ansible.builtin.slurp).
 */
export interface SlurpArgs {
  src?: string;
  path?: string;
}
/**
 * Find files by name, age, size, content (ansible.builtin.find).
 */
export interface FindArgs {
  paths?: string | string[];
  path?: string | string[];
  name?: string | string[];
  patterns?: string | string[];
  pattern?: string | string[];
  excludes?: string | string[];
  exclude?: string | string[];
  contains?: string;
  file_type?: 'file' | 'directory' | 'link' | 'any';
  recurse?: boolean | string;
  hidden?: boolean | string;
  follow?: boolean | string;
  use_regex?: boolean | string;
  age?: string;
  age_stamp?: 'atime' | 'ctime' | 'mtime';
  size?: string;
  depth?: number | string;
  get_checksum?: boolean | string;
  read_whole_file?: boolean | string;
}
/**
 * Create a temporary file or directory (ansible.builtin.tempfile).
 */
export interface TempfileArgs {
  state?: 'file' | 'directory';
  path?: string;
  prefix?: string;
  suffix?: string;
}
/**
 * Start, stop, restart, reload and enable services: systemd when the host runs it, else SysV /etc/init.d scripts (ansible.builtin.service).
 */
export interface ServiceArgs {
  name: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean | string;
  pattern?: string;
  sleep?: number | string;
  arguments?: string;
  args?: string;
  runlevel?: string;
  use?: string;
}
/**
 * Control systemd units (ansible.builtin.systemd / systemd_service).
 */
export interface SystemdArgs {
  name?: string;
  service?: string;
  unit?: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean | string;
  daemon_reload?: boolean | string;
  'daemon-reload'?: boolean | string;
  daemon_reexec?: boolean | string;
  masked?: boolean | string;
  no_block?: boolean | string;
  force?: boolean | string;
  scope?: 'system' | 'user' | 'global';
}
/**
 * Gather a small set of facts about the host (ansible.builtin.setup).
 */
export interface SetupArgs {
  gather_subset?: string | string[];
  filter?: string | string[];
  gather_timeout?: number | string;
  fact_path?: string;
}
/**
 * Download a file over HTTP(S) on the host with curl (ansible.builtin.get_url).
 */
export interface GetUrlArgs {
  url: string;
  dest: string;
  force?: boolean | string;
  checksum?: string;
  timeout?: number | string;
  headers?: {
    [k: string]: string | number | boolean;
  };
  backup?: boolean | string;
  validate_certs?: boolean | string;
  url_username?: string;
  url_password?: string;
  username?: string;
  password?: string;
  force_basic_auth?: boolean | string;
  mode?: string | number;
  owner?: string;
  group?: string;
}
/**
 * Talk to an HTTP(S) endpoint from the host with curl (ansible.builtin.uri).
 */
export interface UriArgs {
  url: string;
  method?: string;
  body?: unknown;
  body_format?: 'raw' | 'json' | 'form-urlencoded';
  headers?: {
    [k: string]: string | number | boolean;
  };
  status_code?: number | string | (number | string)[];
  return_content?: boolean | string;
  timeout?: number | string;
  validate_certs?: boolean | string;
  url_username?: string;
  url_password?: string;
  user?: string;
  password?: string;
  force_basic_auth?: boolean | string;
  follow_redirects?: string | boolean;
  dest?: string;
  creates?: string;
  removes?: string;
}
/**
 * Unpack a tar(.gz/.bz2/.xz) or zip archive on the host with its tar/unzip (ansible.builtin.unarchive).
 */
export interface UnarchiveArgs {
  src: string;
  dest: string;
  remote_src?: boolean | string;
  copy?: boolean | string;
  creates?: string;
  list_files?: boolean | string;
  exclude?: string | string[];
  keep_newer?: boolean | string;
  extra_opts?: string | string[];
  mode?: string | number;
  owner?: string;
  group?: string;
}
/**
 * Put this host in a group (created when new) for the rest of the run, under parent groups too (ansible.builtin.group_by); spaces in names become dashes.
 */
export interface GroupByArgs {
  /**
   * The group's name (usually a template, e.g. "os_{{ ansible_os_family }}").
   */
  key: string;
  parents?: StringOrList1;
}
export interface AddHostArgs2 {
  /**
   * The host's name; "host:port" sets ansible_ssh_port too.
   */
  name?: string;
  hostname?: string;
  host?: string;
  groups?: StringOrList2;
  groupname?: StringOrList;
  [k: string]: unknown;
}
