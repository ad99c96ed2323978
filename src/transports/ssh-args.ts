import { splitWords } from '../util/split-words.js';
import { expandHome, stringVar } from './var-values.js';

/** The OpenSSH options tsplay honours from `ansible_ssh_common_args` / `ansible_ssh_extra_args`. */
export interface SshArgOptions {
  knownHostsFiles?: string[];
  /** StrictHostKeyChecking=accept-new (or no): record unknown keys; a changed key is still refused. */
  acceptNewHostKeys?: boolean;
}

/** Reads `-o UserKnownHostsFile=…` and `-o StrictHostKeyChecking=…` from the Ansible ssh-args variables; other options are ignored. */
export function sshArgOptions(vars: Record<string, unknown>): SshArgOptions {
  const words = ['ansible_ssh_common_args', 'ansible_ssh_extra_args'].flatMap((k) => {
    const v = stringVar(vars[k]);
    try {
      return v ? splitWords(v) : [];
    } catch {
      return [];
    }
  });
  const out: SshArgOptions = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const opt = w === '-o' ? words[++i] : w.startsWith('-o') ? w.slice(2) : undefined;
    if (!opt) continue;
    const m = /^(\w+)\s*=\s*(.*)$/.exec(opt);
    if (!m) continue;
    const [, name = '', value = ''] = m;
    if (name.toLowerCase() === 'userknownhostsfile') out.knownHostsFiles = value.split(/\s+/).filter(Boolean).map(expandHome);
    if (name.toLowerCase() === 'stricthostkeychecking') out.acceptNewHostKeys = /^(accept-new|no|off)$/i.test(value);
  }
  return out;
}
