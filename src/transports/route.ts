import type { ConnectionSpec, JumpHost } from '../connection/types.js';

/** `user@address:port` of a jump host, for messages. */
export function jumpLabel(j: Pick<JumpHost, 'user' | 'address' | 'port'>): string {
  return `${j.user}@${j.address.includes(':') ? `[${j.address}]` : j.address}:${j.port}`;
}

/** `host (address:port)`, plus ` via user@bastion:port` when the connection goes through jump hosts, for messages. */
export function whereTo(spec: Pick<ConnectionSpec, 'host' | 'address' | 'port' | 'jumpHosts'>): string {
  const last = spec.jumpHosts?.[spec.jumpHosts.length - 1];
  return `${spec.host} (${spec.address}:${spec.port}${last ? ` via ${jumpLabel(last)}` : ''})`;
}
