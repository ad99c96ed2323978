import { createHash, createHmac, randomBytes } from 'node:crypto';

/** The host pattern OpenSSH uses for an address: `addr` on port 22, `[addr]:port` otherwise. */
export function knownHostsPattern(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** A plain known_hosts line for a host key (`type base64` from a .pub file). */
export function knownHostsLine(address: string, port: number, publicKey: string): string {
  return `${knownHostsPattern(address, port)} ${keyTypeAndBlob(publicKey)}`;
}

/** A hashed known_hosts line (`|1|salt|hmac`), as `ssh-keygen -H` writes them. */
export function hashKnownHostsLine(address: string, port: number, publicKey: string, salt: Buffer = randomBytes(20)): string {
  const mac = createHmac('sha1', salt).update(knownHostsPattern(address, port)).digest('base64');
  return `|1|${salt.toString('base64')}|${mac} ${keyTypeAndBlob(publicKey)}`;
}

/** `ssh-ed25519 AAAA...` without the comment of a .pub line. */
export function keyTypeAndBlob(publicKey: string): string {
  const [type, blob] = publicKey.trim().split(/\s+/);
  if (!type || !blob) throw new Error(`not an OpenSSH public key: ${publicKey.slice(0, 40)}`);
  return `${type} ${blob}`;
}

/** OpenSSH's `SHA256:...` fingerprint of a public key line. */
export function fingerprintOf(publicKey: string): string {
  const blob = keyTypeAndBlob(publicKey).split(' ')[1] ?? '';
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
