import { splitWords } from '../util/split-words.js';
import { parseProxyCommand, parseProxyJump, type JumpHop } from './jump-args.js';
import { expandHome, stringVar } from './var-values.js';

/** The OpenSSH options tsplay honours from `ansible_ssh_common_args` / `ansible_ssh_extra_args`. */
export interface SshArgOptions {
  knownHostsFiles?: string[];
  /** StrictHostKeyChecking=accept-new (or no): record unknown keys; a changed key is still refused. */
  acceptNewHostKeys?: boolean;
  /** Jump hosts to go through, first contacted first (`-J`, ProxyJump, ProxyCommand "ssh -W"); [] for `none`. */
  jumpHosts?: JumpHop[];
  /** What cannot be used (an unsupported ProxyCommand, an unterminated quote, ...), with the variable it is in. */
  problems?: Array<{ variable: string; message: string }>;
}

const VARS = ['ansible_ssh_common_args', 'ansible_ssh_extra_args'] as const;

/**
 * Reads `-o UserKnownHostsFile=…`, `-o StrictHostKeyChecking=…` and the jump host (`-J`, `-o ProxyJump=…`,
 * `-o ProxyCommand=…`) from the Ansible ssh-args variables (common args first, as Ansible puts them on ssh's
 * command line); other options are ignored. As in OpenSSH, the first ProxyJump or ProxyCommand wins.
 */
export function sshArgOptions(vars: Record<string, unknown>): SshArgOptions {
  const out: SshArgOptions = {};
  const problems: Array<{ variable: string; message: string }> = [];
  for (const name of VARS) {
    const v = stringVar(vars[name]);
    if (!v) continue;
    let words: string[];
    try {
      words = splitWords(v);
    } catch (e) {
      problems.push({ variable: name, message: `${name}: ${(e as Error).message}` });
      continue;
    }
    for (let i = 0; i < words.length; i++) {
      const w = words[i] ?? '';
      if (w === '-J' || (w.startsWith('-J') && w.length > 2)) {
        const value = w === '-J' ? words[++i] : w.slice(2);
        if (value === undefined) problems.push({ variable: name, message: `${name}: -J needs a jump host` });
        else if (out.jumpHosts === undefined) jump(out, problems, name, parseProxyJump(value));
        continue;
      }
      const opt = w === '-o' ? words[++i] : w.startsWith('-o') ? w.slice(2) : undefined;
      if (!opt) continue;
      const m = /^(\w+)\s*(?:=|\s)\s*(.*)$/.exec(opt.trim());
      if (!m) continue;
      const [, key = '', value = ''] = m;
      const k = key.toLowerCase();
      if (k === 'userknownhostsfile') out.knownHostsFiles = value.split(/\s+/).filter(Boolean).map(expandHome);
      if (k === 'stricthostkeychecking') out.acceptNewHostKeys = /^(accept-new|no|off)$/i.test(value);
      if (k === 'proxyjump' && out.jumpHosts === undefined) jump(out, problems, name, parseProxyJump(value));
      if (k === 'proxycommand' && out.jumpHosts === undefined) jump(out, problems, name, parseProxyCommand(value));
    }
  }
  if (problems.length) out.problems = problems;
  return out;
}

/** Records a parsed jump option (a failed one still counts as "set", so a later one does not silently win). */
function jump(
  out: SshArgOptions,
  problems: Array<{ variable: string; message: string }>,
  name: string,
  r: ReturnType<typeof parseProxyJump>,
): void {
  if ('error' in r) {
    problems.push({ variable: name, message: `${name}: ${r.error}` });
    out.jumpHosts = [];
    return;
  }
  out.jumpHosts = r.hops;
}
