import { ConnectError, type ConnectFailure } from '../errors/connect-error.js';
import { whereTo } from './route.js';
import type { ConnectionSpec } from '../connection/types.js';

/** What ssh2 puts on its errors. */
interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

/** Authentication methods that were configured, for the auth-failure message (never their values). */
export function authMethods(spec: ConnectionSpec, keyFile: string | undefined, agent: boolean): string {
  const m: string[] = [];
  if (keyFile) m.push(`public key ${keyFile}`);
  if (agent) m.push('ssh-agent');
  if (spec.password !== undefined) m.push('password');
  return m.length ? m.join(', ') : 'none configured (set ansible_ssh_private_key_file or ansible_password, or use ssh-agent)';
}

/** Turns an ssh2/socket error into a ConnectError naming host and address:port, without secrets. */
export function toConnectError(e: unknown, spec: ConnectionSpec, tried: string): ConnectError {
  if (e instanceof ConnectError) return e;
  const err = (e instanceof Error ? e : new Error(String(e))) as Ssh2Error;
  const where = whereTo(spec);
  const [failure, why] = classify(err, spec, tried);
  return new ConnectError(spec.host, failure, `cannot connect to ${where}: ${why}`);
}

function classify(err: Ssh2Error, spec: ConnectionSpec, tried: string): [ConnectFailure, string] {
  switch (err.code) {
    case 'ECONNREFUSED':
      return ['refused', 'connection refused (is sshd running and listening there?)'];
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return ['dns', `cannot resolve host name ${spec.address}`];
    case 'ETIMEDOUT':
      return ['timeout', 'connection timed out'];
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return ['other', 'host or network unreachable'];
    case 'ECONNRESET':
    case 'EPIPE':
      return ['closed', 'connection closed by the host during setup'];
  }
  if (err.level === 'client-timeout') return ['timeout', `no SSH handshake within ${spec.connectTimeoutMs} ms`];
  if (err.level === 'client-authentication') return ['auth', `authentication failed for user ${spec.user} (tried: ${tried})`];
  return ['other', err.message];
}
