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

/** A login without a password (key only) whose sudo asks for none, like OpenShift's `core`. */
export interface KeyUser {
  user: string;
  uid: number;
}

/** Builds the account files for a host: the real machine's accounts plus `deploy` and the key-only users. */
export function accountFiles(deploy: DeployUser, hash: string, keyUsers: readonly KeyUser[] = []): AccountFiles {
  const read = (p: string): string => readFileSync(p, 'utf8');
  const { user, uid } = deploy;
  const days = Math.floor(Date.now() / 86_400_000);
  let passwd = withEntry(read('/etc/passwd'), user, `${user}:x:${uid}:${uid}:tsplay lab deploy:/home/${user}:/bin/bash`);
  let shadow = withEntry(unlockRoot(read('/etc/shadow')), user, `${user}:${hash}:${days}:0:99999:7:::`);
  let group = withEntry(read('/etc/group'), user, `${user}:x:${uid}:`);
  let gshadow = withEntry(read('/etc/gshadow'), user, `${user}:!::`);
  for (const k of keyUsers) {
    passwd = withEntry(passwd, k.user, `${k.user}:x:${k.uid}:${k.uid}:tsplay lab ${k.user}:/home/${k.user}:/bin/bash`);
    // `*`: no password can match, key logins still work (sshd refuses only `!`-locked accounts)
    shadow = withEntry(shadow, k.user, `${k.user}:*:${days}:0:99999:7:::`);
    group = withEntry(group, k.user, `${k.user}:x:${k.uid}:`);
    gshadow = withEntry(gshadow, k.user, `${k.user}:!::`);
  }
  return {
    passwd,
    shadow,
    group,
    gshadow,
    sudoers: [
      `${user} ALL=(ALL:ALL) ALL`,
      `Defaults:${user} timestamp_timeout=0`,
      `Defaults:${user} lecture=never`,
      ...keyUsers.map((k) => `${k.user} ALL=(ALL:ALL) NOPASSWD: ALL`),
      '',
    ].join('\n'),
  };
}

/** Uids for the key-only users: free on the machine and different from `taken`. */
export function keyUsers(names: readonly string[], passwd: string, group: string, taken: number): KeyUser[] {
  const users: KeyUser[] = [];
  let extra = `${passwd}\nx:x:${taken}:${taken}::/:/bin/false`;
  for (const user of names) {
    const uid = freeUid(extra, group);
    users.push({ user, uid });
    extra += `\n${user}:x:${uid}:${uid}::/:/bin/false`;
  }
  return users;
}
