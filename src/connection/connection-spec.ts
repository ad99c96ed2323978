// A host's connection (ConnectionSpec) from its Ansible connection variables and the command line's defaults, with
// every bad value reported as a problem.
import { userInfo } from 'node:os';
import type { Problem } from '../errors/problem.js';
import { notAFile } from '../util/file-check.js';
import type { JumpHop } from './jump-args.js';
import type { ConnectionSpec, JumpHost } from './types.js';
import { sshArgOptions } from './ssh-args.js';
import { expandHome, firstVar, intVar, stringVar } from './var-values.js';

/** Connection settings from the command line; inventory variables override them (as in Ansible). */
export interface ConnectionCliOptions {
  user?: string | undefined;
  privateKeyFile?: string | undefined;
  knownHostsFiles?: string[] | undefined;
  acceptNewHostKeys?: boolean | undefined;
  connectTimeoutMs?: number | undefined;
  keepaliveIntervalMs?: number | undefined;
  maxChannels?: number | undefined;
  useAgent?: boolean | undefined;
  forks?: number | undefined;
}

/** Defaults when neither vars nor CLI say otherwise. */
export const CONNECTION_DEFAULTS = { port: 22, connectTimeoutMs: 10_000, keepaliveIntervalMs: 5000, maxChannels: 8 } as const;

/** A problem with a host's connection settings; `variable` names the inventory variable it is in, when known. */
export type ConnectionProblem = Problem & { variable?: string };

/** Builds a host's ConnectionSpec from its Ansible connection vars and CLI options; reports every bad value. */
export function resolveConnectionSpec(
  hostName: string,
  vars: Record<string, unknown>,
  cli: ConnectionCliOptions = {},
): { spec?: ConnectionSpec; problems: ConnectionProblem[] } {
  const problems: ConnectionProblem[] = [];
  const bad = (message: string, hint?: string, variable?: string): void =>
    void problems.push(variable === undefined ? { host: hostName, message, hint } : { host: hostName, message, hint, variable });
  const connection = connectionKind(vars['ansible_connection'], bad);
  const port = portVar(vars, bad);
  const timeoutS = firstVar(vars, ['ansible_ssh_timeout', 'ansible_timeout']);
  const timeout = timeoutS ? intVar(timeoutS.value) : undefined;
  if (timeout !== undefined && !(timeout > 0))
    bad(`${timeoutS?.name} must be a positive number of seconds, got ${JSON.stringify(timeoutS?.value)}`);
  const key = stringVar(firstVar(vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file'])?.value) ?? cli.privateKeyFile;
  const sshArgs = sshArgOptions(vars);
  for (const p of sshArgs.problems ?? []) bad(p.message, undefined, p.variable);
  const spec: ConnectionSpec = {
    host: hostName,
    connection,
    address: stringVar(firstVar(vars, ['ansible_host', 'ansible_ssh_host'])?.value) ?? hostName,
    port,
    user: stringVar(firstVar(vars, ['ansible_user', 'ansible_ssh_user'])?.value) ?? cli.user ?? userInfo().username,
    privateKeyFile: key === undefined ? undefined : expandHome(key),
    password: stringVar(firstVar(vars, ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password'])?.value),
    knownHostsFiles: (cli.knownHostsFiles ?? sshArgs.knownHostsFiles ?? ['~/.ssh/known_hosts']).map(expandHome),
    acceptNewHostKeys: cli.acceptNewHostKeys || (sshArgs.acceptNewHostKeys ?? false),
    connectTimeoutMs:
      timeout !== undefined && timeout > 0 ? timeout * 1000 : (cli.connectTimeoutMs ?? CONNECTION_DEFAULTS.connectTimeoutMs),
    keepaliveIntervalMs: cli.keepaliveIntervalMs ?? CONNECTION_DEFAULTS.keepaliveIntervalMs,
    maxChannels: cli.maxChannels ?? CONNECTION_DEFAULTS.maxChannels,
    useAgent: cli.useAgent ?? process.env['SSH_AUTH_SOCK'] !== undefined,
  };
  if (!Number.isInteger(spec.maxChannels) || spec.maxChannels < 1) bad(`max channels must be a positive integer, got ${spec.maxChannels}`);
  if (sshArgs.jumpHosts?.length && connection === 'ssh') {
    spec.jumpHosts = sshArgs.jumpHosts.map((hop) => jumpHost(hop, spec, cli, sshArgs.knownHostsFiles, sshArgs.acceptNewHostKeys));
    for (const j of spec.jumpHosts) {
      const why = j.privateKeyFile !== undefined && j.privateKeyFile !== spec.privateKeyFile ? notAFile(j.privateKeyFile) : undefined;
      const variable = vars['ansible_ssh_common_args'] !== undefined ? 'ansible_ssh_common_args' : 'ansible_ssh_extra_args';
      if (why)
        bad(`private key file ${j.privateKeyFile} of jump host ${j.address} (ProxyCommand -i in ${variable}) ${why}`, undefined, variable);
    }
  }
  return problems.length ? { problems } : { spec, problems };
}

/**
 * A jump host with the host's settings filled in where the ProxyJump/ProxyCommand says nothing: the same
 * known_hosts files and new-key policy (--known-hosts and --accept-new-host-keys win, as for hosts), the host's key
 * file (OpenSSH would offer only its default identities; one key for bastion and masters is the common case), and
 * the controller's login name as user (as OpenSSH: the host's ansible_user is not the bastion's; write user@bastion).
 */
function jumpHost(
  hop: JumpHop,
  spec: ConnectionSpec,
  cli: ConnectionCliOptions,
  knownHostsFromArgs: string[] | undefined,
  acceptFromArgs: boolean | undefined,
): JumpHost {
  return {
    address: hop.address,
    port: hop.port ?? CONNECTION_DEFAULTS.port,
    user: hop.user ?? userInfo().username,
    privateKeyFile: hop.privateKeyFile !== undefined ? expandHome(hop.privateKeyFile) : spec.privateKeyFile,
    knownHostsFiles: (cli.knownHostsFiles ?? hop.knownHostsFiles ?? knownHostsFromArgs ?? ['~/.ssh/known_hosts']).map(expandHome),
    acceptNewHostKeys: cli.acceptNewHostKeys || (hop.acceptNewHostKeys ?? acceptFromArgs ?? false),
  };
}

/** ansible_connection: ssh (also paramiko/smart) or local; anything else is a problem. */
function connectionKind(v: unknown, bad: (m: string, hint?: string) => void): 'ssh' | 'local' {
  const s = stringVar(v) ?? 'ssh';
  if (s === 'local') return 'local';
  if (s === 'ssh' || s === 'paramiko' || s === 'smart' || s === 'ansible.builtin.ssh' || s === 'ansible.builtin.local') {
    return s.endsWith('local') ? 'local' : 'ssh';
  }
  bad(`ansible_connection "${s}" is not supported`, 'tsplay supports ssh and local');
  return 'ssh';
}

/** ansible_port / ansible_ssh_port as 1..65535 (default 22). */
function portVar(vars: Record<string, unknown>, bad: (m: string) => void): number {
  const p = firstVar(vars, ['ansible_port', 'ansible_ssh_port']);
  if (!p) return CONNECTION_DEFAULTS.port;
  const n = intVar(p.value);
  if (n === undefined || !(n >= 1 && n <= 65535)) {
    bad(`${p.name} must be a port number (1-65535), got ${JSON.stringify(p.value)}`);
    return CONNECTION_DEFAULTS.port;
  }
  return n;
}
