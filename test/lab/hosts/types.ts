import type { ChildProcess, StdioOptions } from 'node:child_process';
import type { InventoryOptions } from './inventory.js';
import type { RunResult } from './proc.js';

/** The password of the lab's `deploy` user on every host (test-only). */
export const DEPLOY_PASSWORD = 'tsplay-lab-Deploy-7';

/** One lab host as tests see it. */
export interface LabHost {
  name: string;
  address: string;
  port: number;
  /** pid whose namespaces are the host's (`nsenter -t nsPid -m -u`). */
  nsPid: number;
  /** `SHA256:...` of the current host key (changes after regenerateHostKey). */
  hostKeyFingerprint: string;
  /** `ssh-ed25519 AAAA... hostNN` of the current host key. */
  hostPublicKey: string;
  /** The host's private files on the real machine (etc/, tmp/, root/, home/, varlib/, ssh/, sshd.log). */
  dir: string;
  sshdLog: string;
  /** How /var/lib is private: an overlay over the real one, or a fresh dir with /var/lib/dpkg read-only. */
  varLib: 'overlay' | 'bind';
}

/** Options for execIn. */
export interface ExecInOptions {
  input?: string | Buffer | undefined;
  timeoutMs?: number | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** Options for spawnIn. */
export interface SpawnInOptions {
  env?: NodeJS.ProcessEnv | undefined;
  stdio?: StdioOptions | undefined;
}

/** A set of running lab hosts. */
export interface HostsLab {
  hosts: LabHost[];
  baseDir: string;
  knownHostsFile: string;
  clientKeyFile: string;
  /** A non-root user with a password and sudo that requires that password. */
  deploy: { user: string; password: string };
  /** Things worth knowing about this machine's lab (e.g. overlayfs unavailable). */
  notes: string[];
  host(name: string): LabHost;
  /** Kills every process of every host (whole namespaces) and waits until no port listens; safe to call twice. */
  stop(): Promise<void>;
  /** Runs a command inside a host's namespaces (nsenter -t nsPid -m -u) on the controller side. */
  execIn(host: LabHost, cmd: string[], opts?: ExecInOptions): Promise<RunResult>;
  /** Starts a long-running process inside a host's namespaces; it dies with stopHost/stop. */
  spawnIn(host: LabHost, cmd: string[], opts?: SpawnInOptions): ChildProcess;
  /** "Powers off" a host: kills sshd and every process in its namespace; files stay. */
  stopHost(name: string): Promise<void>;
  /** Starts a stopped host's sshd again (no-op when running). */
  startHost(name: string): Promise<void>;
  /** Gives a host a new host key and restarts its sshd; known_hosts is NOT updated (to test key changes). */
  regenerateHostKey(name: string): Promise<void>;
  /** Writes an Ansible INI inventory of the lab's hosts (ansible_host/port, user root by default, lab client key). */
  writeInventory(path: string, opts?: InventoryOptions): Promise<void>;
}

/** Options for startHosts. */
export interface StartHostsOptions {
  count: number;
  baseDir: string;
  /** Address of the first host; the others count up the last octet. Must be in 127.0.0.0/8. Default 127.0.1.1. */
  firstAddress?: string | undefined;
  port?: number | undefined;
  /** Host names are prefix + two digits from 01. Default `host`. */
  namePrefix?: string | undefined;
  /** The host names, one per host (instead of prefix + digits). */
  names?: readonly string[] | undefined;
  /** Logins with the lab client key, no password, and sudo without one (OpenShift's `core`). */
  keyUsers?: readonly string[] | undefined;
  /** Whether root may log in with the lab client key (default true; OpenShift masters take `core` only). */
  rootLogin?: boolean | undefined;
}

/** Options for writeInventory. */
export type { InventoryOptions } from './inventory.js';
