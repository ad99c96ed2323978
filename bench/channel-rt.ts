// What one remote command costs on a connection that is already open: tsplay's way (an exec channel per command, sshd
// starting a shell for it) against the best a persistent shell per host could do (one `sh` reading commands on one
// channel, answering with a marker line: no pid, no stderr, no exit status, no timeout or kill, so a lower bound).
import type { ClientChannel } from 'ssh2';
import { CONNECTION_DEFAULTS } from '../src/connection/connection-spec.js';
import type { ConnectionSpec } from '../src/connection/types.js';
import { SshTransport } from '../src/transports/ssh.js';
import { openSsh } from '../src/transports/ssh-connect.js';
import { median } from './stats.js';

/** Medians (ms) of `n` sequential `true` commands each way, on one host, after a few unmeasured ones. */
export interface ChannelRoundTrips {
  execMs: number;
  shellMs: number;
  n: number;
}

/** Measures both ways on connections to `address` as root with tsplay's connection defaults (key and known_hosts as the bench inventory has them). */
export async function channelRoundTrips(address: string, keyFile: string, knownHostsFile: string, n = 30): Promise<ChannelRoundTrips> {
  const spec: ConnectionSpec = {
    ...CONNECTION_DEFAULTS,
    host: 'bench',
    connection: 'ssh',
    address,
    user: 'root',
    privateKeyFile: keyFile,
    knownHostsFiles: [knownHostsFile],
    acceptNewHostKeys: false,
    useAgent: false,
  };
  const t = new SshTransport(spec);
  await t.connect();
  // the persistent shell: its own connection (as tsplay's would be), one `sh` on one exec channel
  const client = await openSsh(spec);
  try {
    const exec = async (): Promise<void> => {
      const r = await t.exec({ command: 'true' });
      if (r.code !== 0) throw new Error(`true exited ${String(r.code)} on ${address}: ${r.stderr}`);
    };
    const execMs = await timeEach(n, exec);
    const shell = await new Promise<ClientChannel>((resolve, reject) => client.exec('sh', (err, ch) => (err ? reject(err) : resolve(ch))));
    const line = marker(shell);
    const shellMs = await timeEach(n, async () => {
      const got = line();
      shell.write('true; echo @@done\n');
      await got;
    });
    shell.end();
    return { execMs, shellMs, n };
  } finally {
    client.end();
    await t.close();
  }
}

/** Runs `fn` 5 times unmeasured, then `n` times; the median in ms. */
async function timeEach(n: number, fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 5; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** A function that resolves at the next `@@done` line on the channel's stdout. */
function marker(ch: ClientChannel): () => Promise<void> {
  let buf = '';
  let wake: (() => void) | undefined;
  ch.on('data', (b: Buffer) => {
    buf += b.toString();
    if (buf.includes('@@done\n')) {
      buf = '';
      wake?.();
    }
  });
  return () => new Promise<void>((r) => (wake = r));
}
