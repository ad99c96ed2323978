import { createHash } from 'node:crypto';
import type { ServerHostKeyAlgorithm } from 'ssh2';

/** The key type named inside an SSH wire-format public key (`ssh-ed25519`, `ssh-rsa`, ...). */
export function wireKeyType(raw: Buffer): string {
  if (raw.length < 4) return 'unknown';
  const len = raw.readUInt32BE(0);
  return raw.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's `SHA256:...` fingerprint (unpadded base64) of a wire-format public key. */
export function fingerprint(raw: Buffer): string {
  return `SHA256:${createHash('sha256').update(raw).digest('base64').replace(/=+$/, '')}`;
}

/** `ssh-ed25519` → `ED25519` as OpenSSH shows key types in messages. */
export function displayKeyType(keyType: string): string {
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType === 'ssh-dss') return 'DSA';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  return keyType.replace(/^ssh-/, '').toUpperCase();
}

/** Host-key algorithms that produce keys of a known_hosts key type (ssh-rsa keys are signed with rsa-sha2-*). */
export function algorithmsForKeyType(keyType: string): ServerHostKeyAlgorithm[] {
  switch (keyType) {
    case 'ssh-ed25519':
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
      return [keyType];
    case 'ssh-rsa':
      return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    case 'ssh-dss':
      return ['ssh-dss'];
    default:
      return [];
  }
}
