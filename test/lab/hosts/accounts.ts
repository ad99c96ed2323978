import { readFileSync } from 'node:fs';
import { runOk } from './proc.js';

/** The lab's non-root login: a password, sudo that asks for that password. */
export interface DeployUser {
  user: string;
  password: string;
  uid: number;
}

/** Private copies of the account files for one lab host. */
export interface AccountFiles {
  passwd: string;
  shadow: string;
  group: string;
  gshadow: string;
  sudoers: string;
}

/** Picks a uid/gid from 2001 up that the real machine does not use. */
export function freeUid(passwd: string, group: string): number {
  const used = new Set<number>();
  for (const line of `${passwd}\n${group}`.split('\n')) {
    const id = Number(line.split(':')[2]);
    if (Number.isInteger(id)) used.add(id);
  }
  let uid = 2001;
  while (used.has(uid)) uid++;
  return uid;
}

/** Hashes a password as SHA-512 crypt (`$6$...`) with openssl, reading it from stdin. */
export async function cryptPassword(password: string): Promise<string> {
  return (await runOk('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n` })).trim();
}

/** Unlocks root for key logins in the copy (sshd without PAM refuses `!`-locked accounts). */
function unlockRoot(shadow: string): string {
  return shadow.replace(/^root:![^:]*:/m, 'root:*:');
}

/** Appends a line to a colon file, dropping any previous entry for the same name. */
function withEntry(file: string, name: string, line: string): string {
  const kept = file.split('\n').filter((l) => l !== '' && !l.startsWith(`${name}:`));
  return `${[...kept, line].join('\n')}\n`;
}

/** Builds the account files for a host: the real machine's accounts plus `deploy`. */
export function accountFiles(deploy: DeployUser, hash: string): AccountFiles {
  const read = (p: string): string => readFileSync(p, 'utf8');
  const { user, uid } = deploy;
  const days = Math.floor(Date.now() / 86_400_000);
  return {
    passwd: withEntry(read('/etc/passwd'), user, `${user}:x:${uid}:${uid}:tsplay lab deploy:/home/${user}:/bin/bash`),
    shadow: withEntry(unlockRoot(read('/etc/shadow')), user, `${user}:${hash}:${days}:0:99999:7:::`),
    group: withEntry(read('/etc/group'), user, `${user}:x:${uid}:`),
    gshadow: withEntry(read('/etc/gshadow'), user, `${user}:!::`),
    sudoers: [
      `${user} ALL=(ALL:ALL) ALL`,
      `Defaults:${user} timestamp_timeout=0`,
      `Defaults:${user} lecture=never`,
      '',
    ].join('\n'),
  };
}
