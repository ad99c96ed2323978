import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountFiles, DeployUser, KeyUser } from './accounts.js';
import { runOk } from './proc.js';
import { sshdConfig } from './sshd-config.js';

/** Where one lab host keeps its private files (all under the host's dir). */
export interface HostPaths {
  dir: string;
  hostKey: string;
  sshdConfig: string;
  pidFile: string;
  log: string;
}

/** The file layout of a host dir. */
export function hostPaths(dir: string): HostPaths {
  return {
    dir,
    hostKey: join(dir, 'ssh', 'ssh_host_ed25519_key'),
    sshdConfig: join(dir, 'ssh', 'sshd_config'),
    pidFile: join(dir, 'ssh', 'sshd.pid'),
    log: join(dir, 'sshd.log'),
  };
}

/** Creates a fresh ed25519 key pair (no passphrase) and returns the public key line. */
export async function generateKey(file: string, comment: string): Promise<string> {
  await rm(file, { force: true });
  await rm(`${file}.pub`, { force: true });
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}

/** Everything a host dir needs before its namespace is set up. */
export interface HostDirInput {
  name: string;
  address: string;
  port: number;
  clientPublicKey: string;
  deploy: DeployUser;
  accounts: AccountFiles;
  /** Key-only logins with passwordless sudo (their homes get the client key). */
  keyUsers?: readonly KeyUser[] | undefined;
  /** false: root has no authorized key and sshd refuses root logins. */
  rootLogin?: boolean | undefined;
}

/** Writes a host's private /etc files, homes with authorized_keys, sshd config and host key; returns the host public key. */
export async function prepareHostDir(p: HostPaths, h: HostDirInput): Promise<string> {
  const d = (...parts: string[]): string => join(p.dir, ...parts);
  for (const sub of ['etc/sudoers.d', 'etc/kubernetes', 'varlib-upper', 'varlib-work', 'varlib', 'ssh', 'root/.ssh', 'home']) {
    await mkdir(d(sub), { recursive: true });
  }
  await mkdir(d('tmp'), { recursive: true, mode: 0o1777 });
  await chmod(d('tmp'), 0o1777);
  await chmod(d('root'), 0o700);
  const etc = {
    ...h.accounts,
    hosts: `${readFileSync('/etc/hosts', 'utf8').trimEnd()}\n${h.address} ${h.name}\n`,
    hostname: `${h.name}\n`,
  };
  for (const [f, text] of Object.entries(etc)) {
    if (f === 'sudoers') continue;
    await writeFile(d('etc', f), text, { mode: f.includes('shadow') ? 0o640 : 0o644 });
  }
  await writeFile(d('etc/sudoers.d', h.deploy.user), h.accounts.sudoers, { mode: 0o440 });
  const rootLogin = h.rootLogin ?? true;
  if (rootLogin) await writeFile(d('root/.ssh/authorized_keys'), `${h.clientPublicKey}\n`, { mode: 0o600 });
  await writeDeployHome(d('home', h.deploy.user), h.deploy.uid, h.clientPublicKey);
  for (const k of h.keyUsers ?? []) await writeDeployHome(d('home', k.user), k.uid, h.clientPublicKey);
  await writeFile(p.sshdConfig, sshdConfig({ address: h.address, port: h.port, hostKey: p.hostKey, pidFile: p.pidFile, rootLogin }));
  return generateKey(p.hostKey, h.name);
}

/** A user's home with the lab client key authorized, owned by the user's uid. */
async function writeDeployHome(home: string, uid: number, clientPublicKey: string): Promise<void> {
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  await writeFile(join(home, '.ssh/authorized_keys'), `${clientPublicKey}\n`, { mode: 0o600 });
  for (const p of [home, join(home, '.ssh'), join(home, '.ssh/authorized_keys')]) await chown(p, uid, uid);
}
