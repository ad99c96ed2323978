import { LocalTransport } from './local.js';
import { SshTransport } from './ssh.js';
import type { ConnectionSpec, Transport } from './transport.js';

export type { Become, ConnectionSpec, ExecRequest, ExecResult, GetRequest, PutRequest, PutResult, Transport } from './transport.js';
export { BecomeError } from './become.js';
export { TransferError } from './transfer.js';
export { resolveBecome, resolveConnectionSpec, type ConnectionCliOptions } from './connection-spec.js';
export { LocalTransport } from './local.js';
export { SshTransport } from './ssh.js';

/** The transport for a resolved connection spec: SSH, or the controller itself for `local`. */
export function createTransport(spec: ConnectionSpec): Transport {
  return spec.connection === 'local' ? new LocalTransport(spec) : new SshTransport(spec);
}
