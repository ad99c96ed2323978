// Lab hosts for integration tests: one private mount+UTS namespace and one sshd per host on 127.0.x.y.
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { accountFiles, cryptPassword, freeUid, keyUsers, type DeployUser } from './hosts/accounts.js';
import { generateKey, hostPaths, prepareHostDir } from './hosts/host-dir.js';
import { Lab } from './hosts/lab.js';
import { startNamespace } from './hosts/namespace.js';
import { portOpen, run } from './hosts/proc.js';
import { DEPLOY_PASSWORD, type HostsLab, type StartHostsOptions } from './hosts/types.js';

/** The lab's public surface: types, known_hosts helpers and the deploy password. */
export * from './hosts/types.js';
/** known_hosts line builders (plain and hashed) and fingerprints, for tests that write their own files. */
export { hashKnownHostsLine, knownHostsLine, fingerprintOf } from './hosts/known-hosts.js';

/** Starts `count` lab hosts in parallel; throws a clear error when not root or when unshare is not allowed. */
export async function startHosts(opts: StartHostsOptions): Promise<HostsLab> {
  await checkPrivileges();
  const base = resolve(opts.baseDir);
  await mkdir(base, { recursive: true });
  await mkdir('/etc/kubernetes', { recursive: true }); // mount point only; each host mounts its own
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // sshd privilege-separation dir
  const clientKeyFile = join(base, 'client_ed25519');
  const clientPublicKey = await generateKey(clientKeyFile, 'tsplay-lab-client');
  const [passwd, group] = await Promise.all([readFile('/etc/passwd', 'utf8'), readFile('/etc/group', 'utf8')]);
  const deploy: DeployUser = { user: 'deploy', password: DEPLOY_PASSWORD, uid: freeUid(passwd, group) };
  const users = keyUsers(opts.keyUsers ?? [], passwd, group, deploy.uid);
  const accounts = accountFiles(deploy, await cryptPassword(deploy.password), users);
  const rootLogin = opts.rootLogin ?? true;
  const lab = new Lab(base, clientKeyFile, deploy);
  const port = opts.port ?? 22;
  const addresses = hostAddresses(opts.firstAddress ?? '127.0.1.1', opts.count);
  try {
    await Promise.all(
      addresses.map(async (address, i) => {
        const name = opts.names?.[i] ?? `${opts.namePrefix ?? 'host'}${String(i + 1).padStart(2, '0')}`;
        if (await portOpen(address, port)) throw new Error(`${address}:${port} is already in use (another lab running?)`);
        const paths = hostPaths(join(base, name));
        const pub = await prepareHostDir(paths, { name, address, port, clientPublicKey, deploy, accounts, keyUsers: users, rootLogin });
        const holder = await startNamespace(name, paths.dir, base);
        lab.add({ name, address, port, holder, paths, pub });
        await lab.startHost(name);
      }),
    );
    lab.sortHosts();
    await lab.writeKnownHosts();
    for (const note of lab.notes) process.stderr.write(`test/lab/hosts: ${note}\n`);
  } catch (e) {
    await lab.stop();
    throw e;
  }
  return lab;
}

/** Fails with a clear message when the lab cannot run here. */
async function checkPrivileges(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error('test/lab/hosts: must run as root (needs mount namespaces, bind mounts and sshd on privileged ports)');
  }
  const r = await run('unshare', ['--mount', '--uts', '--propagation', 'private', 'true']);
  if (r.code !== 0) throw new Error(`test/lab/hosts: unshare --mount --uts is not allowed here: ${r.stderr.trim()}`);
}

/** `count` consecutive addresses from `first`, all inside 127.0.0.0/8. */
export function hostAddresses(first: string, count: number): string[] {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(first);
  const last = Number(m?.[3]);
  if (!m || last + count - 1 > 254 || Number(m[1]) > 255 || Number(m[2]) > 255) {
    throw new Error(`lab addresses must stay in 127.0.0.0/8: ${first} + ${count} hosts`);
  }
  return Array.from({ length: count }, (_, i) => `127.${m[1]}.${m[2]}.${last + i}`);
}
