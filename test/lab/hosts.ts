// Lab hosts for integration tests: one private mount+UTS namespace and one sshd per host on 127.0.x.y.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { accountFiles, cryptPassword, freeUid, type DeployUser } from './hosts/accounts.js';
import { generateKey, hostPaths, prepareHostDir, type HostPaths } from './hosts/host-dir.js';
import { inventoryIni, type InventoryOptions } from './hosts/inventory.js';
import { fingerprintOf, knownHostsLine } from './hosts/known-hosts.js';
import { startNamespace, type NamespaceHolder } from './hosts/namespace.js';
import { killGroup, killNamespace, pidsInNamespace, portOpen, processGroupOf, run, waitPort, type RunResult } from './hosts/proc.js';
import { startSshd } from './hosts/sshd.js';

export { hashKnownHostsLine, knownHostsLine, fingerprintOf } from './hosts/known-hosts.js';
export type { InventoryOptions } from './hosts/inventory.js';

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
}

/** Starts `count` lab hosts in parallel; throws a clear error when not root or when unshare is not allowed. */
export async function startHosts(opts: StartHostsOptions): Promise<HostsLab> {
  await checkPrivileges();
  const base = resolve(opts.baseDir);
  await mkdir(base, { recursive: true });
  await mkdir('/etc/kubernetes', { recursive: true }); // mount point only; each host mounts its own
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // sshd privilege-separation dir
  const clientKeyFile = join(base, 'client_ed25519');
  const clientPublicKey = await generateKey(clientKeyFile, 'tsplay-lab-client');
  const [passwd, group] = await Promise.all([readFile('/etc/passwd', 'utf8'), readFile('/etc/group', 'utf8')]);
  const deploy: DeployUser = { user: 'deploy', password: DEPLOY_PASSWORD, uid: freeUid(passwd, group) };
  const accounts = accountFiles(deploy, await cryptPassword(deploy.password));
  const lab = new Lab(base, clientKeyFile, deploy);
  const port = opts.port ?? 22;
  const addresses = hostAddresses(opts.firstAddress ?? '127.0.1.1', opts.count);
  try {
    await Promise.all(
      addresses.map(async (address, i) => {
        const name = `${opts.namePrefix ?? 'host'}${String(i + 1).padStart(2, '0')}`;
        if (await portOpen(address, port)) throw new Error(`${address}:${port} is already in use (another lab running?)`);
        const paths = hostPaths(join(base, name));
        const pub = await prepareHostDir(paths, { name, address, port, clientPublicKey, deploy, accounts });
        const holder = await startNamespace(name, paths.dir, base);
        lab.add({ name, address, port, holder, paths, pub });
        await lab.startHost(name);
      }),
    );
    lab.sortHosts();
    await lab.writeKnownHosts();
    for (const note of lab.notes) process.stderr.write(`test/lab/hosts: ${note}\n`);
  } catch (e) {
    await lab.stop();
    throw e;
  }
  return lab;
}

/** Fails with a clear message when the lab cannot run here. */
async function checkPrivileges(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error('test/lab/hosts: must run as root (needs mount namespaces, bind mounts and sshd on privileged ports)');
  }
  const r = await run('unshare', ['--mount', '--uts', '--propagation', 'private', 'true']);
  if (r.code !== 0) throw new Error(`test/lab/hosts: unshare --mount --uts is not allowed here: ${r.stderr.trim()}`);
}

/** `count` consecutive addresses from `first`, all inside 127.0.0.0/8. */
export function hostAddresses(first: string, count: number): string[] {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(first);
  const last = Number(m?.[3]);
  if (!m || last + count - 1 > 254 || Number(m[1]) > 255 || Number(m[2]) > 255) {
    throw new Error(`lab addresses must stay in 127.0.0.0/8: ${first} + ${count} hosts`);
  }
  return Array.from({ length: count }, (_, i) => `127.${m[1]}.${m[2]}.${last + i}`);
}

/** What the lab tracks per host beyond LabHost. */
interface HostState {
  host: LabHost;
  holder: NamespaceHolder;
  paths: HostPaths;
  sshdPid?: number | undefined;
}

/** The running lab: per-host state, teardown, and an exit hook that kills everything synchronously. */
class Lab implements HostsLab {
  readonly hosts: LabHost[] = [];
  readonly knownHostsFile: string;
  readonly deploy: { user: string; password: string };
  readonly notes: string[] = [];
  private readonly state = new Map<string, HostState>();
  private stopping: Promise<void> | undefined;
  private readonly onExit = (): void => this.killAllSync();

  constructor(
    readonly baseDir: string,
    readonly clientKeyFile: string,
    deploy: DeployUser,
  ) {
    this.knownHostsFile = join(baseDir, 'known_hosts');
    this.deploy = { user: deploy.user, password: deploy.password };
    process.on('exit', this.onExit);
  }

  add(h: { name: string; address: string; port: number; holder: NamespaceHolder; paths: HostPaths; pub: string }): void {
    const host: LabHost = {
      name: h.name, address: h.address, port: h.port, nsPid: h.holder.pid, dir: h.paths.dir, sshdLog: h.paths.log,
      hostPublicKey: h.pub, hostKeyFingerprint: fingerprintOf(h.pub), varLib: h.holder.varLib,
    };
    this.hosts.push(host);
    this.state.set(h.name, { host, holder: h.holder, paths: h.paths });
    if (h.holder.varLib === 'bind' && this.notes.length === 0) {
      this.notes.push('overlayfs is not available: each host has a fresh /var/lib (real /var/lib/dpkg bound read-only)');
    }
  }

  sortHosts(): void {
    this.hosts.sort((a, b) => a.name.localeCompare(b.name));
  }

  host(name: string): LabHost {
    return this.get(name).host;
  }

  private get(name: string): HostState {
    const s = this.state.get(name);
    if (!s) throw new Error(`no lab host named ${name} (have: ${[...this.state.keys()].join(', ')})`);
    return s;
  }

  async writeKnownHosts(): Promise<void> {
    const lines = this.hosts.map((h) => knownHostsLine(h.address, h.port, h.hostPublicKey));
    await writeFile(this.knownHostsFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  }

  execIn(host: LabHost, cmd: string[], opts: ExecInOptions = {}): Promise<RunResult> {
    return run('nsenter', ['-t', String(host.nsPid), '-m', '-u', '--', ...cmd], opts);
  }

  spawnIn(host: LabHost, cmd: string[], opts: SpawnInOptions = {}): ChildProcess {
    return spawn('nsenter', ['-t', String(host.nsPid), '-m', '-u', '--', ...cmd], {
      detached: true,
      env: opts.env ?? process.env,
      stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
    });
  }

  async startHost(name: string): Promise<void> {
    const s = this.get(name);
    if (s.sshdPid !== undefined) return;
    const { host, paths } = s;
    s.sshdPid = await startSshd({ name, nsPid: host.nsPid, address: host.address, port: host.port, config: paths.sshdConfig, log: paths.log });
  }

  async stopHost(name: string): Promise<void> {
    const s = this.get(name);
    const holderGroup = s.holder.pid;
    const keep = pidsInNamespace(s.holder.ns).filter((p) => processGroupOf(p) === holderGroup);
    await killNamespace(s.holder.ns, keep);
    s.sshdPid = undefined;
    await waitPort(s.host.address, s.host.port, false, 5000);
  }

  async regenerateHostKey(name: string): Promise<void> {
    const s = this.get(name);
    const pub = await generateKey(s.paths.hostKey, name);
    s.host.hostPublicKey = pub;
    s.host.hostKeyFingerprint = fingerprintOf(pub);
    if (s.sshdPid === undefined) return;
    killGroup(s.sshdPid);
    s.sshdPid = undefined;
    await waitPort(s.host.address, s.host.port, false, 5000);
    await this.startHost(name);
  }

  async writeInventory(path: string, opts: InventoryOptions = {}): Promise<void> {
    await writeFile(path, inventoryIni(this.hosts, { privateKeyFile: this.clientKeyFile, ...opts }));
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    await Promise.all(
      [...this.state.values()].map(async (s) => {
        await killNamespace(s.holder.ns);
        killGroup(s.holder.pid);
        s.sshdPid = undefined;
        await waitPort(s.host.address, s.host.port, false, 5000);
      }),
    );
    process.off('exit', this.onExit);
  }

  /** Last resort on process exit: SIGKILL every process of every host namespace. */
  private killAllSync(): void {
    for (const s of this.state.values()) {
      for (const pid of pidsInNamespace(s.holder.ns)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      killGroup(s.holder.pid);
    }
  }
}
