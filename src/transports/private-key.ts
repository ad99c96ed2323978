import { homedir } from 'node:os';
import { join } from 'node:path';
import { access, readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import { ConnectError } from '../errors/connect-error.js';
import { unreadableReason } from '../util/file-check.js';

/** Identity files OpenSSH tries when none is configured, in its order. */
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** The configured key file, else the first default identity (~/.ssh/id_*) that exists, else none. */
export async function keyFileToUse(configured: string | undefined): Promise<string | undefined> {
  if (configured !== undefined) return configured;
  for (const name of DEFAULT_IDENTITIES) {
    const p = join(homedir(), '.ssh', name);
    if (
      await access(p).then(
        () => true,
        () => false,
      )
    )
      return p;
  }
  return undefined;
}

/** Reads and checks a private key file; a missing, unreadable, encrypted or malformed key is a ConnectError('key-file') naming the path. */
export async function readPrivateKey(host: string, file: string): Promise<Buffer> {
  const data = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new ConnectError(host, 'key-file', `private key file ${file} for ${host} ${unreadableReason(file, e)}`);
  });
  const parsed = ssh2.utils.parseKey(data);
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase/i.test(parsed.message);
    throw new ConnectError(
      host,
      'key-file',
      encrypted
        ? `private key file ${file} for ${host} is protected by a passphrase; load it into ssh-agent (ssh-add ${file}) instead`
        : `private key file ${file} for ${host} is not a usable private key: ${parsed.message}`,
    );
  }
  return data;
}
