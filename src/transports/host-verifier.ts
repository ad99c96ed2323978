import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { ConnectError } from '../errors/connect-error.js';
import { unreadableReason } from '../util/file-check.js';
import { algorithmsForKeyType, displayKeyType, fingerprint, wireKeyType } from './host-key.js';
import { checkHostKey, entryMatchesHost, knownHostsName, parseKnownHosts, type KnownHostEntry } from './known-hosts.js';
import { jumpLabel, whereTo } from './route.js';
import type { ConnectionSpec } from '../connection/types.js';

/** Reads and parses every known_hosts file that exists (missing files count as empty). */
export async function loadKnownHosts(files: string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw new Error(`known_hosts file ${file} ${unreadableReason(file, e)}`);
    });
    all.push(...parseKnownHosts(text, file));
  }
  return all;
}

/** Host-key algorithms to ask for first: those whose key types known_hosts already holds for this host (as OpenSSH does). */
export function preferredHostKeyAlgorithms(entries: KnownHostEntry[], name: string): ServerHostKeyAlgorithm[] {
  const types = entries.filter((e) => e.marker === undefined && entryMatchesHost(e, name)).map((e) => e.keyType);
  return [...new Set(types.flatMap(algorithmsForKeyType))];
}

/** ssh2's asynchronous host verifier plus the reason for a refusal. */
export interface HostKeyCheck {
  verify(key: Buffer, done: (ok: boolean) => void): void;
  /** Why the last offered key was refused, if it was. */
  refusal(): ConnectError | undefined;
}

/** Builds the verifier: accepts only a key known for `[address]:port`; records unknown ones when acceptNewHostKeys. */
export function hostKeyCheck(spec: ConnectionSpec, entries: KnownHostEntry[]): HostKeyCheck {
  const name = knownHostsName(spec.address, spec.port);
  let refused: ConnectError | undefined;
  return {
    refusal: () => refused,
    verify(key, done) {
      const type = wireKeyType(key);
      const verdict = checkHostKey(entries, name, type, key.toString('base64'));
      if (verdict.kind === 'known') return done(true);
      if (verdict.kind === 'unknown' && spec.acceptNewHostKeys) {
        recordHostKey(spec.knownHostsFiles, name, type, key).then(
          () => done(true),
          (e: Error) => {
            refused = new ConnectError(
              spec.host,
              'other',
              `${where(spec)}: cannot record its new host key: ${e.message}`,
              fingerprint(key),
            );
            done(false);
          },
        );
        return;
      }
      refused = refusalError(spec, verdict, type, key);
      done(false);
    },
  };
}

/** Appends `name type base64` to the first known_hosts file (created 0600, directory 0700). */
export async function recordHostKey(files: string[], name: string, type: string, key: Buffer): Promise<void> {
  const file = files[0];
  if (!file) throw new Error('no known_hosts file configured');
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, `${name} ${type} ${key.toString('base64')}\n`, { mode: 0o600 });
}

function where(spec: ConnectionSpec): string {
  return whereTo(spec);
}

/** How to add the host's key: ssh-keyscan from here, or run on the jump host that reaches it. */
function keyscanHint(spec: ConnectionSpec, type: string, file: string): string {
  const scan = `ssh-keyscan -p ${spec.port} -t ${type} ${spec.address}`;
  const last = spec.jumpHosts?.[spec.jumpHosts.length - 1];
  if (!last) return `${scan} >> ${file}`;
  const jumps = spec.jumpHosts?.slice(0, -1) ?? [];
  return `ssh ${jumps.length ? `-J ${jumps.map(jumpLabel).join(',')} ` : ''}-p ${last.port} ${last.user}@${last.address} ${scan} >> ${file}`;
}

/** The user-facing error for an unknown, changed or revoked host key. */
function refusalError(spec: ConnectionSpec, verdict: ReturnType<typeof checkHostKey>, type: string, key: Buffer): ConnectError {
  const fp = fingerprint(key);
  const offered = `${displayKeyType(type)} key ${fp}`;
  const name = knownHostsName(spec.address, spec.port);
  const first = spec.knownHostsFiles[0] ?? '~/.ssh/known_hosts';
  if (verdict.kind === 'revoked') {
    return new ConnectError(
      spec.host,
      'hostkey-revoked',
      `host key of ${where(spec)} is REVOKED (${offered}, marked @revoked in ${verdict.entry.file}:${verdict.entry.line}); not connecting`,
      fp,
    );
  }
  if (verdict.kind === 'changed') {
    const old = verdict.known
      .map((e) => `${displayKeyType(e.keyType)} key ${fingerprint(Buffer.from(e.key, 'base64'))} (${e.file}:${e.line})`)
      .join(', ');
    return new ConnectError(
      spec.host,
      'hostkey-changed',
      `HOST KEY CHANGED for ${where(spec)}: it now offers ${offered}, but known_hosts has ${old}. ` +
        `Someone may be intercepting the connection, or the host was reinstalled; not connecting (--accept-new-host-keys never replaces a key). ` +
        `If the change is expected, remove the old key with: ssh-keygen -R '${name}' -f ${verdict.known[0]?.file ?? first}`,
      fp,
    );
  }
  return new ConnectError(
    spec.host,
    'hostkey-unknown',
    `host key of ${where(spec)} is not known: it offers ${offered}, which is not in ${spec.knownHostsFiles.join(', ') || '(no known_hosts file)'}. ` +
      `If that fingerprint is right, run again with --accept-new-host-keys, or add it with: ${keyscanHint(spec, type, first)}`,
    fp,
  );
}
