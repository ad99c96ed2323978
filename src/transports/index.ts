import type { JumpHosts } from './jump-hosts.js';
import { LocalTransport } from './local.js';
import { SshTransport } from './ssh.js';
import type { Transport } from './transport.js';
import type { ConnectionSpec } from '../connection/types.js';

export { JumpHosts } from './jump-hosts.js';

/** The transport for a resolved connection spec: SSH (through `jumps`, shared by a run's hosts), or the controller itself for `local`. */
export function createTransport(spec: ConnectionSpec, jumps?: JumpHosts): Transport {
  return spec.connection === 'local' ? new LocalTransport(spec) : new SshTransport(spec, jumps);
}
