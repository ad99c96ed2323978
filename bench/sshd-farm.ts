// 200 loopback hosts 127.0.3.1..N served by plain sshd processes (≤16 ListenAddress each), port 22, no namespaces.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { sh } from './stats.js';

export interface Farm {
  addresses: string[];
  clientKey: string;
  knownHosts: string;
  stop(): Promise<void>;
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startFarm(dir: string, count: number, perSshd = 16): Promise<Farm> {
  await mkdir(dir, { recursive: true });
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  await mkdir(join(dir, 'root'), { recursive: true, mode: 0o700 });
  const addresses = Array.from({ length: count }, (_, i) => `127.0.3.${i + 1}`);
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  await sh(
    `rm -f ${hostKey}* ${clientKey}*; ssh-keygen -q -t ed25519 -N '' -f ${hostKey} -C farm-host; ssh-keygen -q -t ed25519 -N '' -f ${clientKey} -C farm-client`,
  );
  await writeFile(join(dir, 'authorized_keys'), await readFile(`${clientKey}.pub`, 'utf8'));
  const pub = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, addresses.map((a) => `${a} ${pub}\n`).join(''));
  for (const a of addresses) if (await portOpen(a, 22)) throw new Error(`${a}:22 already in use`);
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null
          ? undefined
          : new Promise<void>((r) => {
              c.once('exit', () => r());
              setTimeout(() => {
                c.kill('SIGKILL');
                r();
              }, 3000);
            }),
      ),
    );
  };
  try {
    for (let i = 0; i * perSshd < count; i++) {
      const cfg = join(dir, `sshd-${i}.conf`);
      const listen = addresses.slice(i * perSshd, (i + 1) * perSshd).map((a) => `ListenAddress ${a}`);
      await writeFile(
        cfg,
        [
          'Port 22',
          ...listen,
          `HostKey ${hostKey}`,
          `PidFile ${join(dir, `sshd-${i}.pid`)}`,
          `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
          'PermitRootLogin prohibit-password',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'UsePAM no',
          'StrictModes no',
          'MaxStartups 400:30:600',
          'MaxSessions 10',
          'LogLevel ERROR',
          'Subsystem sftp internal-sftp',
          '',
        ].join('\n'),
      );
      // root's real ~/.bashrc (pyenv init here) would run for every command through sshd; each sshd gets a
      // private mount namespace with an empty /root instead (the network is shared, so 127.0.3.x stays reachable)
      const c = spawn(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          `mount --bind ${join(dir, 'root')} /root && exec /usr/sbin/sshd -D -e -f ${cfg}`,
        ],
        { stdio: ['ignore', 'ignore', 'ignore'] },
      );
      children.push(c);
    }
    const deadline = Date.now() + 15000;
    for (const a of addresses) {
      while (!(await portOpen(a, 22))) {
        if (Date.now() > deadline) throw new Error(`sshd farm: ${a}:22 not listening`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { addresses, clientKey, knownHosts, stop };
}
