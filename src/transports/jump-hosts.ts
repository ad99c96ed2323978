import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { ConnectError } from '../errors/connect-error.js';
import { jumpLabel } from './route.js';
import { openSsh } from './ssh-connect.js';
import type { ConnectionSpec, JumpHost } from '../connection/types.js';

/** A stream to a host through its jump hosts, and what to call once the host's connection is closed. */
export interface Tunnel {
  sock: Duplex;
  release(): void;
}

/** One shared connection to a jump host (reached directly, or through the hops before it). */
interface Entry {
  key: string;
  client: Promise<Client>;
  users: number;
  /** Closed, failed or no longer used: later tunnels open a new connection. */
  gone: boolean;
  releaseParent: (() => void) | undefined;
}

/**
 * Jump hosts (bastions) of one run. Every host behind the same bastion shares ONE SSH connection to it (OpenSSH's
 * ProxyJump opens one per host, which a bastion's MaxStartups throttles when hundreds connect at once) and gets
 * its own direct-tcpip channel through it, like `ssh -W`; the end-to-end SSH session, host-key check included,
 * runs inside that channel. A bastion connection ends when its last host's connection is released, and one that
 * drops is replaced on the next connection (a reconnecting host gets a new one).
 */
export class JumpHosts {
  private readonly entries = new Map<string, Entry>();

  /**
   * Opens a stream to the host's address:port through its jump hosts (spec.jumpHosts must not be empty). A shared
   * bastion connection found dead when the channel is asked for (it dropped, its close not yet seen) is replaced once.
   */
  async tunnel(spec: ConnectionSpec, signal?: AbortSignal): Promise<Tunnel> {
    const chain = spec.jumpHosts ?? [];
    const last = chain[chain.length - 1];
    if (!last) throw new Error(`${spec.host}: no jump host to tunnel through`);
    for (let attempt = 0; ; attempt++) {
      const lease = this.acquire(chain, spec, signal);
      let connected = false;
      try {
        const client = await lease.client;
        connected = true;
        const sock = await forward(client, spec.address, spec.port, last);
        return { sock, release: lease.release };
      } catch (e) {
        lease.release();
        const stale = connected && e instanceof ConnectError && e.failure === 'closed';
        if (stale && attempt === 0) {
          this.drop(lease.entry, true);
          continue;
        }
        throw throughJump(spec, chain, e);
      }
    }
  }

  /** Ends every jump-host connection still open (after the run closed its hosts' connections). */
  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map(async (e) => endClient(await e.client.catch(() => undefined))));
  }

  /** A use of the shared connection to the last hop of `chain`, opened (with its own hops) when there is none. */
  private acquire(
    chain: JumpHost[],
    target: ConnectionSpec,
    signal: AbortSignal | undefined,
  ): { entry: Entry; client: Promise<Client>; release(): void } {
    const key = chain.map(hopKey).join(' > ');
    let entry = this.entries.get(key);
    if (!entry || entry.gone) {
      entry = this.open(key, chain, target, signal);
      this.entries.set(key, entry);
    }
    entry.users++;
    const e = entry;
    let released = false;
    return {
      entry: e,
      client: e.client,
      release: () => {
        if (released) return;
        released = true;
        if (--e.users === 0) this.drop(e, true);
      },
    };
  }

  private open(key: string, chain: JumpHost[], target: ConnectionSpec, signal: AbortSignal | undefined): Entry {
    const hop = chain[chain.length - 1] as JumpHost;
    const parent = chain.length > 1 ? this.acquire(chain.slice(0, -1), target, signal) : undefined;
    const client = (async () => {
      const sock = parent ? await forward(await parent.client, hop.address, hop.port, chain[chain.length - 2] as JumpHost) : undefined;
      return openSsh(hopSpec(hop, target), signal, sock);
    })();
    const entry: Entry = { key, client, users: 0, gone: false, releaseParent: parent?.release };
    client.then(
      (c) => {
        c.on('error', () => undefined); // the hosts behind it see their own connections drop
        c.on('close', () => this.drop(entry, false));
        if (entry.gone) endClient(c); // every user left while it was connecting
      },
      () => this.drop(entry, false),
    );
    return entry;
  }

  /** Forgets a connection (so the next tunnel opens a new one), releases its parent hop, and ends it when asked. */
  private drop(e: Entry, end: boolean): void {
    if (this.entries.get(e.key) === e) this.entries.delete(e.key);
    if (end) void e.client.then(endClient, () => undefined);
    if (e.gone) return;
    e.gone = true;
    e.releaseParent?.();
  }
}

/** A direct-tcpip channel from `via` to address:port (what `ssh -W address:port` asks the jump host for). */
function forward(via: Client, address: string, port: number, hop: JumpHost): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    try {
      via.forwardOut('127.0.0.1', 0, address, port, (err, stream) => {
        if (!err) return resolve(stream);
        const failure = /refused/i.test(err.message) ? 'refused' : /not connected|no response/i.test(err.message) ? 'closed' : 'other';
        const hint = /prohibited/i.test(err.message) ? ' (is AllowTcpForwarding off in its sshd_config?)' : '';
        reject(
          new ConnectError(
            address,
            failure,
            `jump host ${jumpLabel(hop)} could not open a connection to ${address}:${port}: ${err.message}${hint}`,
          ),
        );
      });
    } catch (e) {
      reject(new ConnectError(address, 'closed', `jump host ${jumpLabel(hop)} is no longer connected: ${(e as Error).message}`));
    }
  });
}

/** The ConnectionSpec of a jump host: its own address, user, key and known_hosts; never the host's password. */
function hopSpec(hop: JumpHost, target: ConnectionSpec): ConnectionSpec {
  return {
    host: `jump host ${hop.address}`,
    connection: 'ssh',
    address: hop.address,
    port: hop.port,
    user: hop.user,
    privateKeyFile: hop.privateKeyFile,
    password: undefined,
    knownHostsFiles: hop.knownHostsFiles,
    acceptNewHostKeys: hop.acceptNewHostKeys,
    connectTimeoutMs: target.connectTimeoutMs,
    keepaliveIntervalMs: target.keepaliveIntervalMs,
    maxChannels: target.maxChannels,
    useAgent: target.useAgent,
  };
}

/** Connections to the same hop with the same credentials and trust are shared. */
function hopKey(j: JumpHost): string {
  return JSON.stringify([j.user, j.address, j.port, j.privateKeyFile ?? '', j.knownHostsFiles, j.acceptNewHostKeys]);
}

/** The error a host gets when its route failed: the host's name, the route, and the jump host's own reason. */
function throughJump(spec: ConnectionSpec, chain: JumpHost[], e: unknown): ConnectError {
  const route = chain.map(jumpLabel).join(' then ');
  const inner = e instanceof ConnectError ? e : new ConnectError(spec.host, 'other', e instanceof Error ? e.message : String(e));
  return new ConnectError(
    spec.host,
    inner.failure,
    `cannot reach ${spec.host} (${spec.address}:${spec.port}) through jump host ${route}: ${inner.message}`,
    inner.fingerprint,
  );
}

function endClient(c: Client | undefined): void {
  try {
    c?.end();
  } catch {
    // already closed
  }
}
