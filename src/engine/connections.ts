import { ConnectError } from '../errors/connect-error.js';
import { acquireHostLock, releaseHostLock } from '../lock/host-lock.js';
import type { LockOwner } from '../lock/controller-lock.js';
import type { Transport } from '../transports/transport.js';
import type { ConnectionSpec } from '../connection/types.js';
import { Semaphore } from '../transports/semaphore.js';

/** One persistent connection per host for the whole run, opened on first use, at most `forks` connecting at once. */
export class ConnectionPool {
  private readonly open = new Map<string, Promise<Transport>>();
  private readonly connecting: Semaphore;
  private readonly locked: Transport[] = [];

  constructor(
    private readonly specs: Map<string, ConnectionSpec>,
    private readonly factory: (spec: ConnectionSpec) => Transport,
    forks: number,
    private readonly signal: AbortSignal,
    private readonly lockOwner?: LockOwner,
  ) {
    this.connecting = new Semaphore(Math.max(1, forks));
  }

  /** The host's connected transport (rejects with ConnectError when it cannot be reached). */
  get(host: string): Promise<Transport> {
    let p = this.open.get(host);
    if (!p) {
      p = this.connect(host);
      this.open.set(host, p);
    }
    return p;
  }

  /** Forgets a failed connection to the host, so the next task connects again (meta: clear_host_errors). */
  async forgetFailed(host: string): Promise<void> {
    const p = this.open.get(host);
    if (!p) return;
    try {
      await p;
    } catch {
      if (this.open.get(host) === p) this.open.delete(host);
    }
  }

  private async connect(host: string): Promise<Transport> {
    const spec = this.specs.get(host);
    if (!spec) throw new ConnectError(host, 'other', `no connection settings for host ${host}`);
    const t = this.factory(spec);
    await this.connecting.run(() => t.connect(this.signal));
    if (this.lockOwner && spec.connection === 'ssh') {
      const lock = await acquireHostLock(t, this.lockOwner);
      if (!lock.ok) {
        await t.close().catch(() => undefined);
        throw new ConnectError(host, 'other', lock.message);
      }
      this.locked.push(t);
    }
    return t;
  }

  /** Connection settings of a host added while the run goes (add_host): used when it is first contacted. */
  addSpec(host: string, spec: ConnectionSpec): void {
    this.specs.set(host, spec);
  }

  /** Closes every connection that was opened. */
  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    const owner = this.lockOwner;
    if (owner) await Promise.all(this.locked.splice(0).map((t) => releaseHostLock(t, owner)));
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close().catch(() => undefined)));
  }
}
