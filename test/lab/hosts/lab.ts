import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeployUser } from './accounts.js';
import { generateKey, type HostPaths } from './host-dir.js';
import { inventoryIni, type InventoryOptions } from './inventory.js';
import { fingerprintOf, knownHostsLine } from './known-hosts.js';
import type { NamespaceHolder } from './namespace.js';
import { killGroup, killNamespace, pidsInNamespace, processGroupOf, run, waitPort, type RunResult } from './proc.js';
import { startSshd } from './sshd.js';
import type { ExecInOptions, HostsLab, LabHost, SpawnInOptions } from './types.js';

/** What the lab tracks per host beyond LabHost. */
interface HostState {
  host: LabHost;
  holder: NamespaceHolder;
  paths: HostPaths;
  sshdPid?: number | undefined;
}

/** The running lab: per-host state, teardown, and an exit hook that kills everything synchronously. */
export class Lab implements HostsLab {
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
      name: h.name,
      address: h.address,
      port: h.port,
      nsPid: h.holder.pid,
      dir: h.paths.dir,
      sshdLog: h.paths.log,
      hostPublicKey: h.pub,
      hostKeyFingerprint: fingerprintOf(h.pub),
      varLib: h.holder.varLib,
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
    s.sshdPid = await startSshd({
      name,
      nsPid: host.nsPid,
      address: host.address,
      port: host.port,
      config: paths.sshdConfig,
      log: paths.log,
    });
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
