import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { abortedResult } from './aborted-result.js';
import { killTreeScript, shellScript } from './command-line.js';
import { drive } from './exec-driver.js';
import { newMarkers } from './markers.js';
import { signalName, type RunningCommand } from './running-command.js';
import { Semaphore } from './semaphore.js';
import { getFile, putFile } from './transfer.js';
import type { ExecRequest, ExecResult, GetRequest, PutRequest, PutResult, Transport } from './transport.js';
import type { Become, ConnectionSpec } from '../connection/types.js';

/** Runs commands on the controller itself (`ansible_connection: local`) with the same become/timeout/output rules as SSH. */
export class LocalTransport implements Transport {
  readonly host: string;
  readonly channels: Semaphore;

  constructor(readonly spec: ConnectionSpec) {
    this.host = spec.host;
    this.channels = new Semaphore(spec.maxChannels);
  }

  /** A plain TCP socket: the controller is the host. */
  openTunnel(address: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: address, port }, () => resolve(s));
      s.once('error', reject);
    });
  }

  async connect(): Promise<void> {
    // nothing to open
  }

  exec(req: ExecRequest): Promise<ExecResult> {
    return this.limited(req.signal, () => this.run(req));
  }

  put(req: PutRequest): Promise<PutResult> {
    return putFile((r) => this.limited(r.signal, () => this.run(r)), this.host, req);
  }

  get(req: GetRequest): Promise<Readable> {
    return getFile((r, sink) => this.limited(r.signal, () => this.run(r, sink)), this.host, req);
  }

  async close(): Promise<void> {
    // nothing to close
  }

  private async limited(signal: AbortSignal | undefined, fn: () => Promise<ExecResult>): Promise<ExecResult> {
    const start = Date.now();
    const release = await this.channels.acquire(signal).catch((e: unknown) => {
      if (signal?.aborted) return undefined;
      throw e;
    });
    if (!release) return abortedResult(start);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private run(req: ExecRequest, sink?: Writable, killable = true): Promise<ExecResult> {
    const markers = newMarkers();
    return drive(spawnCommand(shellScript(req, markers)), {
      ...req,
      host: this.host,
      markers,
      stdoutSink: sink,
      killTree: killable ? (pid) => this.killTree(pid, req.become) : undefined,
    });
  }

  private async killTree(pid: number, become: Become | undefined): Promise<void> {
    await this.run({ command: killTreeScript(pid), become, timeoutMs: 10_000 }, undefined, false);
  }
}

/** `sh -c script` in its own process group; abandon kills the whole group. */
function spawnCommand(script: string): RunningCommand {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const done = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('error', () => resolve({ code: 127, signal: null }));
    child.once('close', (code, sig) => resolve({ code, signal: signalName(sig) }));
  });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    stdin: child.stdin,
    done,
    abandon() {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
