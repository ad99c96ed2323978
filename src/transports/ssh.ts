import type { Duplex, Readable, Writable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { ConnectError } from '../errors/connect-error.js';
import { remoteCommandLine, killTreeScript } from './command-line.js';
import { channelCommand } from './channel-command.js';
import { drive } from './exec-driver.js';
import { newMarkers } from './markers.js';
import { abortedResult } from './aborted-result.js';
import { Semaphore } from './semaphore.js';
import { JumpHosts } from './jump-hosts.js';
import { openSsh } from './ssh-connect.js';
import { getFile, putFile } from './transfer.js';
import type { ExecRequest, ExecResult, GetRequest, PutRequest, PutResult, Transport } from './transport.js';
import type { Become, ConnectionSpec } from '../connection/types.js';

/** Time allowed for killing a timed-out command's process tree. */
const KILL_TIMEOUT_MS = 10_000;
/** Kill channels run outside the maxChannels limit; sshd's default MaxSessions 10 leaves room for 2 beside 8 commands. */
const MAX_KILLERS = 2;

/** One persistent SSH connection to a host; at most spec.maxChannels commands/transfers in flight on it. */
export class SshTransport implements Transport {
  readonly host: string;
  /** Limits channels in flight (its `peak` shows the most seen at once). */
  readonly channels: Semaphore;
  private readonly killers = new Semaphore(MAX_KILLERS);
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private lostError: ConnectError | undefined;
  private lost: Promise<never> | undefined;
  /** The signal the first connect() got: a reconnection after a lost connection honours it too. */
  private connectSignal: AbortSignal | undefined;
  /** The one reconnection attempt after a given loss (every command that was on the lost connection shares it). */
  private reconnecting: { after: ConnectError; done: Promise<boolean> } | undefined;
  /** Errors that mean "the connection was lost" (as opposed to a refused channel or a become failure). */
  private readonly losses = new WeakSet<Error>();
  private closed = false;
  /** Gives back this host's use of its jump-host connection (when it has jump hosts). */
  private releaseRoute: (() => void) | undefined;

  /** `jumps` is shared by every host of a run, so hosts behind one bastion share one connection to it. */
  constructor(
    readonly spec: ConnectionSpec,
    private readonly jumps: JumpHosts = new JumpHosts(),
  ) {
    this.host = spec.host;
    this.channels = new Semaphore(spec.maxChannels);
  }

  connect(signal?: AbortSignal): Promise<void> {
    this.connectSignal ??= signal;
    this.connecting ??= this.open(signal);
    return this.connecting;
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    return this.withChannel(req.signal, () => this.run(req));
  }

  put(req: PutRequest): Promise<PutResult> {
    return putFile((r) => this.withChannel(r.signal, () => this.run(r)), this.host, req);
  }

  get(req: GetRequest): Promise<Readable> {
    return getFile((r, sink) => this.withChannel(r.signal, () => this.run(r, sink)), this.host, req);
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = undefined;
    if (c) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        c.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        c.end();
      });
    }
    this.releaseRoute?.();
    this.releaseRoute = undefined;
  }

  async openTunnel(address: string, port: number): Promise<Duplex> {
    const client = this.client;
    if (!client) throw this.lostError ?? new ConnectError(this.host, 'closed', `not connected to ${this.host}`);
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, address, port, (err, stream) =>
        err
          ? reject(
              new ConnectError(
                this.host,
                'other',
                `${this.host} refused a tunnel to ${address}:${port} (is AllowTcpForwarding off in sshd?): ${err.message}`,
              ),
            )
          : resolve(stream),
      );
    });
  }

  private async open(signal?: AbortSignal): Promise<void> {
    const route = this.spec.jumpHosts?.length ? await this.jumps.tunnel(this.spec, signal) : undefined;
    let client: Client;
    try {
      client = await openSsh(this.spec, signal, route?.sock);
    } catch (e) {
      route?.sock.destroy();
      route?.release();
      throw e;
    }
    this.releaseRoute?.();
    this.releaseRoute = route?.release;
    this.client = client;
    this.lostError = undefined;
    let gone: ConnectError | undefined;
    this.lost = new Promise<never>((_, reject) => {
      const onGone = (e?: Error): void => {
        gone ??= new ConnectError(
          this.host,
          'closed',
          `connection to ${this.host} (${this.spec.address}:${this.spec.port}) was lost${e ? `: ${e.message}` : ''}`,
        );
        this.losses.add(gone);
        // a late event of a connection already replaced by a reconnection must not touch the new one
        if (this.client === client || this.client === undefined) {
          this.lostError ??= gone;
          this.client = undefined;
        }
        reject(gone);
      };
      client.on('error', onGone);
      client.on('close', () => onGone());
    });
    this.lost.catch(() => undefined);
  }

  /**
   * After the connection was lost under a running command: connect again once (shared by every command that was on
   * the lost connection) and, when that works, kill what is left of the command on the host, so a dropped connection
   * leaves no orphaned process behind. Returns the error the command fails with: a task failure when the host answers
   * again (the host stays in the play, so a rescue can still run there), else the loss (the host is unreachable).
   */
  private async afterLoss(lost: ConnectError, pid: number | undefined, become: Become | undefined): Promise<Error> {
    const where = `${this.host} (${this.spec.address}:${this.spec.port})`;
    if (!(await this.reconnect(lost))) {
      const left =
        pid === undefined
          ? ''
          : `; the command it ran (pid ${pid}) may still be running there: check with \`ps -p ${pid} -o pid,args\` once it answers`;
      return new ConnectError(this.host, 'closed', `${lost.message}, and connecting again failed${left}`);
    }
    if (pid === undefined)
      return new Error(
        `the connection to ${where} was lost while a command ran (connected again, but the command had not reported its pid: it may have run, partly or fully)`,
      );
    await this.killTree(pid, become).catch(() => undefined);
    return new Error(
      `the connection to ${where} was lost while a command ran; connected again and stopped what was left of it (pid ${pid}): it may have run partly`,
    );
  }

  /** Connects again once after a loss (shared by everything that saw that loss); false when the host does not answer. */
  private reconnect(lost: ConnectError): Promise<boolean> {
    if (this.reconnecting?.after !== lost) {
      const done =
        this.closed || this.connectSignal?.aborted
          ? Promise.resolve(false)
          : (this.connecting = this.open(this.connectSignal)).then(
              () => true,
              () => {
                this.lostError ??= lost;
                return false;
              },
            );
      this.reconnecting = { after: lost, done };
    }
    return this.reconnecting.done;
  }

  /** Holds a channel slot for `fn`; a request aborted while queued resolves as aborted without running. */
  private async withChannel(signal: AbortSignal | undefined, fn: () => Promise<ExecResult>): Promise<ExecResult> {
    const start = Date.now();
    let release: () => void;
    try {
      release = await this.channels.acquire(signal);
    } catch (e) {
      if (signal?.aborted) return abortedResult(start);
      throw e;
    }
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private async run(req: ExecRequest, sink?: Writable, killable = true): Promise<ExecResult> {
    const markers = newMarkers();
    const ch = await this.openChannel(remoteCommandLine(req, markers));
    const lost = this.lost;
    let pid: number | undefined;
    try {
      return await drive(channelCommand(ch), {
        ...req,
        host: this.host,
        markers,
        stdoutSink: sink,
        lost,
        killTree: killable ? (p) => this.killTree(p, req.become) : undefined,
        onPid: (p) => (pid = p),
      });
    } catch (e) {
      // the connection under this command was lost (not a become failure): reconnect and clean up once
      if (!killable || !(e instanceof ConnectError) || !this.losses.has(e)) throw e;
      throw await this.afterLoss(e, pid, req.become);
    }
  }

  /** Kills a command's remote process tree over a fresh channel (outside the slot limit, as the same user). */
  private async killTree(pid: number, become: Become | undefined): Promise<void> {
    await this.killers.run(() => this.run({ command: killTreeScript(pid), become, timeoutMs: KILL_TIMEOUT_MS }, undefined, false));
  }

  /**
   * Opens an exec channel. sshd counts a session until it has seen our close, so right after channels end a new
   * one can be refused ("open failed") although we are under MaxSessions: that is retried a few times.
   */
  private async openChannel(command: string, attempt = 0): Promise<ClientChannel> {
    try {
      return await this.openChannelOnce(command);
    } catch (e) {
      if (attempt >= 4 || !(e instanceof ConnectError) || !/open failed|Channel open failure/i.test(e.message) || !this.client) throw e;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
      return this.openChannel(command, attempt + 1);
    }
  }

  private async openChannelOnce(command: string): Promise<ClientChannel> {
    // lost between two commands: connect again once (as Ansible, which connects for every task, would)
    const lost = this.lostError;
    if (!this.client && lost && !this.closed && !(await this.reconnect(lost))) {
      throw new ConnectError(this.host, 'closed', `${lost.message}, and connecting again failed`);
    }
    const client = this.client;
    if (!client) {
      return Promise.reject(
        this.lostError ?? new ConnectError(this.host, 'closed', `not connected to ${this.host} (call connect() first)`),
      );
    }
    const fail = (e: Error): ConnectError =>
      new ConnectError(this.host, 'other', `cannot open an SSH channel on ${this.host}: ${e.message}`);
    return new Promise((resolve, reject) => {
      try {
        client.exec(command, (err, ch) => (err ? reject(fail(err)) : resolve(ch)));
      } catch (e) {
        reject(fail(e instanceof Error ? e : new Error(String(e))));
      }
    });
  }
}
