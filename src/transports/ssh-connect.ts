import type { Duplex } from 'node:stream';
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import { ConnectError } from '../errors/connect-error.js';
import { hostKeyCheck, loadKnownHosts, preferredHostKeyAlgorithms } from './host-verifier.js';
import { knownHostsName } from './known-hosts.js';
import { keyFileToUse, readPrivateKey } from './private-key.js';
import { authMethods, toConnectError } from './ssh-errors.js';
import type { ConnectionSpec } from '../connection/types.js';

/** How many missed keepalives end the connection. */
const KEEPALIVE_COUNT_MAX = 3;

/**
 * Opens an authenticated ssh2 connection with host-key checking, keepalive and a connect timeout; rejects with
 * ConnectError. With `sock` (a tunnel through a jump host) the SSH session runs over that stream instead of TCP.
 */
export async function openSsh(spec: ConnectionSpec, signal?: AbortSignal, sock?: Duplex): Promise<Client> {
  const keyFile = await keyFileToUse(spec.privateKeyFile);
  const privateKey = keyFile !== undefined ? await readPrivateKey(spec.host, keyFile) : undefined;
  const agent = spec.useAgent ? process.env['SSH_AUTH_SOCK'] : undefined;
  const entries = await loadKnownHosts(spec.knownHostsFiles).catch((e: Error) => {
    throw new ConnectError(spec.host, 'other', `${spec.host}: ${e.message}`);
  });
  const check = hostKeyCheck(spec, entries);
  const preferred = preferredHostKeyAlgorithms(entries, knownHostsName(spec.address, spec.port));
  const config: ConnectConfig = {
    host: spec.address,
    port: spec.port,
    ...(sock ? { sock } : {}),
    username: spec.user,
    privateKey,
    password: spec.password,
    agent,
    tryKeyboard: spec.password !== undefined,
    readyTimeout: spec.connectTimeoutMs,
    keepaliveInterval: spec.keepaliveIntervalMs,
    keepaliveCountMax: KEEPALIVE_COUNT_MAX,
    hostVerifier: (key: Buffer, done: (ok: boolean) => void) => check.verify(key, done),
    ...(preferred.length ? { algorithms: { serverHostKey: { remove: preferred, prepend: preferred, append: [] } } } : {}),
  };
  const tried = authMethods(spec, keyFile, agent !== undefined);
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    const finish = (e?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      signal?.removeEventListener('abort', onAbort);
      if (e === undefined) return resolve(client);
      client.end();
      reject(check.refusal() ?? toConnectError(e, spec, tried));
    };
    const onAbort = (): void =>
      finish(new ConnectError(spec.host, 'other', `connecting to ${spec.host} (${spec.address}:${spec.port}) was cancelled`));
    const guard = setTimeout(() => finish(Object.assign(new Error('timeout'), { level: 'client-timeout' })), spec.connectTimeoutMs + 2000);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    // Nagle + the peer's delayed ACK cost ~40 ms per small exchange (seen as a 48 ms floor per task): send at once
    client.on('connect', () => client.setNoDelay(true));
    client.on('ready', () => finish());
    client.on('error', (e) => finish(e));
    client.on('close', () =>
      finish(
        new ConnectError(
          spec.host,
          'closed',
          `cannot connect to ${spec.host} (${spec.address}:${spec.port}): connection closed during setup`,
        ),
      ),
    );
    if (spec.password !== undefined) {
      const pw = spec.password;
      client.on('keyboard-interactive', (_n, _i, _l, prompts, reply) => reply(prompts.map(() => pw)));
    }
    try {
      client.connect(config);
    } catch (e) {
      finish(e);
    }
  });
}
