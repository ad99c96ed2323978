// Ansible's special variables that are not per-play magic: defaults of connection variables, the rescue's view of
// the failure, and ansible_version.
/** Variables every host has unless the inventory (or the playbook) sets them: ansible_host is the host's name. */
export const DEFAULTED_VARIABLES = ['ansible_host'] as const;

/** Variables Ansible sets on a host when it enters a rescue: the task that failed and its result. */
export const RESCUE_VARIABLES = ['ansible_failed_task', 'ansible_failed_result'] as const;

/** The Ansible version tsplay answers to (ansible_version): the ansible-core it is checked against. */
export const ANSIBLE_VERSION = { full: '2.14.0', major: 2, minor: 14, revision: 0, string: '2.14.0' } as const;

/** Names ansible-core answers with its implicit localhost (connection local) when the inventory does not have them. */
export const IMPLICIT_LOCALHOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];
