// Rules about the hosts the run connects to: their connection variables, key and known_hosts files, become settings.
// Each problem about an inventory variable is located where the inventory sets it, once for all the hosts it affects.
import { isAbsolute, resolve } from 'node:path';
import type { Problem, SourceLocation } from '../errors/problem.js';
import { resolveBecome } from '../connection/become-settings.js';
import { sshArgOptions } from '../connection/ssh-args.js';
import { expandHome, firstVar } from '../connection/var-values.js';
import { notAFile } from '../util/file-check.js';
import { someHosts, varLocation } from './locate.js';
import type { RunRule } from './rule.js';

/** Connection variables that cannot be used (a port that is no number, a ProxyCommand tsplay cannot follow...). */
export const connectionSettings: RunRule = {
  name: 'connection-settings',
  check: ({ connections, inventory, opts }) => {
    const problems: Problem[] = [];
    const inVariables = new Map<string, { p: Problem; hosts: string[] }>();
    for (const { name, problems: found } of connections) {
      for (const { variable, ...p } of found) {
        if (variable === undefined) {
          problems.push({ ...p, host: p.host ?? name });
          continue;
        }
        // one problem per bad variable (usually a group's), located in the inventory, naming the hosts it affects
        const loc = opts.extraVars[variable] === undefined ? varLocation(inventory, name, variable) : undefined;
        const key = `${p.message}\0${loc ? `${loc.file}:${loc.line}` : ''}`;
        const seen = inVariables.get(key) ?? { p: { ...p, loc }, hosts: [] };
        seen.hosts.push(name);
        inVariables.set(key, seen);
      }
    }
    for (const { p, hosts } of inVariables.values()) {
      problems.push(
        hosts.length === 1 ? { ...p, host: hosts[0] } : { ...p, host: undefined, message: `${p.message} (hosts ${someHosts(hosts)})` },
      );
    }
    return problems;
  },
};

/**
 * Private key files and explicitly given known_hosts files must be files, checked once per file for every host
 * that uses it (over SSH): a missing one would otherwise only show when the host is reached.
 */
export const connectionFiles: RunRule = {
  name: 'connection-files',
  check: ({ connections, inventory, opts }) => {
    const cli = opts.connection;
    const keys = new Map<string, { from: string; hosts: string[]; loc?: SourceLocation | undefined }>();
    const knownHosts = new Map<string, { from: string; hosts: string[]; first: boolean }>();
    for (const h of connections) {
      const conn = h.vars['ansible_connection'];
      if (conn === 'local' || (conn === undefined && h.name === 'localhost' && !inventory.hosts.has('localhost'))) continue;
      const keyVar = firstVar(h.vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file']);
      const key = keyVar ? String(keyVar.value) : cli.privateKeyFile;
      if (key !== undefined) {
        const file = expandHome(key);
        const entry = keys.get(file) ?? {
          from: keyVar ? keyVar.name : '--private-key',
          hosts: [],
          loc: keyVar ? varLocation(inventory, h.name, keyVar.name) : undefined,
        };
        entry.hosts.push(h.name);
        keys.set(file, entry);
      }
      const fromArgs = sshArgOptions(h.vars).knownHostsFiles;
      const explicit = cli.knownHostsFiles?.map(expandHome) ?? fromArgs;
      explicit?.forEach((f, i) => {
        const entry = knownHosts.get(f) ?? {
          from: cli.knownHostsFiles ? '--known-hosts' : 'UserKnownHostsFile in ansible_ssh_common_args',
          hosts: [],
          first: i === 0,
        };
        entry.hosts.push(h.name);
        knownHosts.set(f, entry);
      });
    }
    const problems: Problem[] = [];
    for (const [file, k] of keys) {
      const why = notAFile(isAbsolute(file) ? file : resolve(file));
      if (why)
        problems.push({
          message: `${k.from}: private key file ${file} ${why} (used by ${someHosts(k.hosts)})`,
          loc: k.loc,
          hint: why === 'does not exist' ? 'paths are relative to the directory tsplay runs in' : undefined,
        });
    }
    for (const [file, k] of knownHosts) {
      const why = notAFile(file);
      if (!why || (why === 'does not exist' && cli.acceptNewHostKeys && k.first)) continue;
      const hint =
        why === 'does not exist'
          ? 'create it with ssh-keyscan -p PORT HOST >> FILE, or add --accept-new-host-keys to record keys on first contact'
          : undefined;
      problems.push({ message: `${k.from}: known_hosts file ${file} ${why} (used by ${someHosts(k.hosts)})`, hint });
    }
    return problems;
  },
};

/**
 * The become settings of every host (ansible_become must be a boolean, only sudo is supported): the engine
 * resolves them for every task, so a bad one would fail each task on the host. One problem per setting.
 */
export const becomeSettings: RunRule = {
  name: 'become-settings',
  check: ({ connections, inventory }) => {
    const found = new Map<string, { p: Problem; hosts: string[] }>();
    for (const h of connections) {
      for (const p of resolveBecome(h.vars).problems) {
        const entry = found.get(p.message) ?? { p, hosts: [] };
        entry.hosts.push(h.name);
        if (!found.has(p.message)) {
          const key = /^ansible_become /.test(p.message) ? 'ansible_become' : 'ansible_become_method';
          entry.p = { ...p, loc: h.vars[key] !== undefined ? varLocation(inventory, h.name, key) : undefined };
          found.set(p.message, entry);
        }
      }
    }
    return [...found.values()].map(({ p, hosts }) => ({ ...p, message: `${p.message} (hosts ${someHosts(hosts)})` }));
  },
};
