// Ansible constructs tsplay does not run, each with what it is and what to write instead: the schema check gives
// these in place of a bare "unknown keyword" (a did-you-mean would point at an unrelated keyword).

/** What an Ansible task keyword (or task-level construct) is, and what to write in tsplay instead. */
export const TASK_KEYWORDS: Readonly<Record<string, string>> = {
  with_first_found:
    'with_first_found is an Ansible lookup loop (the first existing file): tsplay has no lookup plugins; pick the file with a stat task and "when", or pass it with -e',
  with_fileglob:
    "with_fileglob is an Ansible lookup loop over the controller's files: tsplay has no lookup plugins; list the files in a vars file and use loop:",
  with_file:
    "with_file is an Ansible lookup loop over the controller's file contents: tsplay has no lookup plugins; read them with a task (slurp/fetch or command) and register",
  with_lines:
    'with_lines is an Ansible lookup loop over a command\'s output lines: run the command in a task, register it, and use loop: "{{ result.stdout_lines }}"',
  with_subelements: 'with_subelements is not supported: write the (item, subelement) pairs as a list in vars and use loop:',
  with_random_choice: 'with_random_choice is not supported: choose the value outside the playbook and pass it with -e',
  with_env: "with_env reads the controller's environment: tsplay templates never read it; pass the values with -e",
  with_inventory_hostnames: 'with_inventory_hostnames is not supported: use loop: "{{ groups[\'NAME\'] }}"',
  with_password: 'with_password is not supported: generate the password outside the playbook and pass it with -e',
  with_template: 'with_template is not supported: use the template module',
  async: 'tsplay has no async tasks: use "timeout: SECONDS" on the task (it is killed after that), or start the job with shell and nohup',
  poll: 'tsplay has no async tasks (poll belongs to async): use "timeout: SECONDS" and, to wait for something, "until" with "retries"/"delay"',
  connection: 'set ansible_connection in the inventory (ssh or local) instead of the "connection" keyword',
  remote_user: 'set ansible_user in the inventory, or -u on the command line, instead of "remote_user"',
  become_method: 'tsplay becomes root with sudo only: remove become_method (or set ansible_become_method: sudo in the inventory)',
  become_flags: 'tsplay runs sudo with its own flags: remove become_flags',
  diff: 'tsplay has no --diff mode: remove "diff" (check mode, -C, shows what would change)',
  debugger: 'tsplay has no task debugger: remove "debugger" and rerun with -vv',
  module_defaults: 'write the arguments in each task instead of module_defaults',
  collections: 'tsplay has no collections: name modules by their short or ansible.builtin.* name',
  port: 'set ansible_port in the inventory instead of "port"',
};

/** What an Ansible play keyword is, and what to write in tsplay instead. */
export const PLAY_KEYWORDS: Readonly<Record<string, string>> = {
  vars_prompt: 'tsplay never prompts for variables: pass them with -e (or -e @file)',
  connection: 'set ansible_connection in the inventory (ssh or local) instead of the "connection" keyword',
  remote_user: 'set ansible_user in the inventory, or -u on the command line, instead of "remote_user"',
  become_method: 'tsplay becomes root with sudo only: remove become_method',
  module_defaults: 'write the arguments in each task instead of module_defaults',
  collections: 'tsplay has no collections: name modules by their short or ansible.builtin.* name',
  order: 'tsplay runs hosts in inventory order: remove "order"',
  force_handlers: 'tsplay runs notified handlers only on hosts that did not fail: remove force_handlers',
  fact_path: 'tsplay gathers no local facts: remove fact_path',
  gather_subset: 'tsplay gathers facts only through tasks: remove gather_subset',
  gather_timeout: 'tsplay gathers facts only through tasks: remove gather_timeout',
  throttle: 'tsplay takes throttle on tasks and blocks: set it there',
  port: 'set ansible_port in the inventory instead of "port"',
  debugger: 'tsplay has no task debugger: remove "debugger"',
  diff: 'tsplay has no --diff mode: remove "diff"',
};

/** The hint for an unknown key, by where it is (a task or a play); a with_* not in the tables names loop:. */
export function unsupportedHint(key: string, where: 'task' | 'play'): string | undefined {
  const table = where === 'task' ? TASK_KEYWORDS : PLAY_KEYWORDS;
  if (Object.hasOwn(table, key)) return table[key];
  if (where === 'task' && key.startsWith('with_'))
    return `${key} is an Ansible lookup loop tsplay does not have (it runs with_items, with_list, with_dict, with_nested, with_sequence, with_indexed_items, with_together): compute the list and use loop:`;
  return undefined;
}
