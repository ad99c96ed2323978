// The argument aliases ansible-core 2.14's modules declare (their argument_spec `aliases=`), for the modules tsplay has.
import type { ModuleName } from '../playbook/model.js';

/** Per module: alias → canonical argument name, as ansible-core's argument specs declare them. */
export const ARG_ALIASES: Partial<Record<ModuleName, Readonly<Record<string, string>>>> = {
  file: { dest: 'path', name: 'path' },
  stat: { dest: 'path', name: 'path' },
  lineinfile: { dest: 'path', destfile: 'path', name: 'path', regex: 'regexp', value: 'line' },
  replace: { dest: 'path', destfile: 'path', name: 'path' },
  blockinfile: { dest: 'path', destfile: 'path', name: 'path', content: 'block' },
  slurp: { path: 'src' },
  find: { name: 'paths', path: 'paths', pattern: 'patterns', exclude: 'excludes' },
  assert: { msg: 'fail_msg' },
  service: { args: 'arguments' },
  systemd: { service: 'name', unit: 'name', 'daemon-reload': 'daemon_reload', 'daemon-reexec': 'daemon_reexec' },
  systemd_service: { service: 'name', unit: 'name', 'daemon-reload': 'daemon_reload', 'daemon-reexec': 'daemon_reexec' },
  get_url: { username: 'url_username', password: 'url_password' },
  uri: { user: 'url_username', password: 'url_password' },
};
