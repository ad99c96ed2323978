import { ConnectError } from '../errors/connect-error.js';
import type { ConnectionSpec, Transport } from '../transports/transport.js';
import { Limiter } from '../util/limit.js';

/** One persistent connection per host for the whole run, opened on first use, at most `forks` connecting at once. */
export class ConnectionPool {
  private readonly open = new Map<string, Promise<Transport>>();
  private readonly connecting: Limiter;

  constructor(
    private readonly specs: Map<string, ConnectionSpec>,
    private readonly factory: (spec: ConnectionSpec) => Transport,
    forks: number,
    private readonly signal: AbortSignal,
  ) {
    this.connecting = new Limiter(Math.max(1, forks));
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

  private async connect(host: string): Promise<Transport> {
    const spec = this.specs.get(host);
    if (!spec) throw new ConnectError(host, 'other', `no connection settings for host ${host}`);
    const t = this.factory(spec);
    await this.connecting.run(() => t.connect(this.signal));
    return t;
  }

  /** Closes every connection that was opened. */
  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close().catch(() => undefined)));
  }
}
