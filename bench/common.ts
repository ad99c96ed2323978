// Shared pieces: inventories, playbooks and how tsplay / ansible-playbook are invoked side by side.
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sh, timeCmd, type Timed } from './stats.js';

export const repo = resolve(import.meta.dirname, '..');
export const tsplayBin = join(repo, 'bin/tsplay.js');

export interface InvHost {
  name: string;
  address: string;
}

/** One Ansible INI inventory that both tools read. */
export async function writeInventory(path: string, hosts: InvHost[], key: string, knownHosts: string): Promise<void> {
  const lines = [
    '[bench]',
    ...hosts.map((h) => `${h.name} ansible_host=${h.address}`),
    '',
    '[bench:vars]',
    'ansible_user=root',
    `ansible_ssh_private_key_file=${key}`,
    `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes'`,
    'ansible_python_interpreter=/usr/bin/python3',
    '',
  ];
  await writeFile(path, lines.join('\n'));
}

export async function writeTrivialPlaybook(path: string, tasks: number): Promise<void> {
  const t = Array.from({ length: tasks }, (_, i) => `    - name: trivial ${i + 1}\n      command: "true"\n`).join('');
  await writeFile(path, `- hosts: all\n  gather_facts: false\n  tasks:\n${t}`);
}

export function tsplayArgv(playbook: string, inventory: string, knownHosts: string, forks: number, extra: string[] = []): string[] {
  return [
    process.execPath,
    tsplayBin,
    'run',
    playbook,
    '-i',
    inventory,
    '-f',
    String(forks),
    '--known-hosts',
    knownHosts,
    '--no-lock',
    '-o',
    'plain',
    ...extra,
  ];
}

export const tsplayCmdText = (forks: number): string =>
  `node bin/tsplay.js run PLAYBOOK -i INVENTORY -f ${forks} --known-hosts KNOWN_HOSTS --no-lock -o plain > /dev/null`;

export async function runTsplay(
  playbook: string,
  inventory: string,
  knownHosts: string,
  forks: number,
  env?: NodeJS.ProcessEnv,
): Promise<Timed> {
  return timeCmd(tsplayArgv(playbook, inventory, knownHosts, forks), { rss: true, cwd: repo, env: env ?? process.env });
}

export async function ensureAnsible(): Promise<void> {
  if ((await sh('command -v ansible-playbook || echo MISSING')).includes('MISSING')) {
    await sh('apt-get install -y --no-install-recommends ansible-core');
  }
}

/** ansible.cfg written per run: pipelining, host key checking, forks; a fresh ControlPath dir per run so no run reuses another's masters. */
export async function runAnsible(playbook: string, inventory: string, forks: number): Promise<Timed> {
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-bench-ansible-'));
  const cfg = join(dir, 'ansible.cfg');
  await writeFile(
    cfg,
    `[defaults]\nhost_key_checking = True\nforks = ${forks}\ninventory = ${inventory}\nstdout_callback = default\nretry_files_enabled = False\ninterpreter_python = /usr/bin/python3\n\n[ssh_connection]\npipelining = True\ncontrol_path_dir = ${dir}/cp\n`,
  );
  const env = {
    ...process.env,
    ANSIBLE_CONFIG: cfg,
    ANSIBLE_PIPELINING: '1',
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
  };
  const t = await timeCmd(['ansible-playbook', '-i', inventory, '-f', String(forks), playbook], { rss: false, env });
  // close this run's ControlPersist masters so they do not linger into the next measurement
  const socks = await readdir(join(dir, 'cp')).catch(() => [] as string[]);
  await Promise.all(socks.map((s) => sh(`ssh -O exit -o ControlPath=${join(dir, 'cp', s)} x 2>/dev/null`)));
  await sh(`rm -rf ${dir}`);
  return t;
}

export const ansibleCmdText = (forks: number): string =>
  `ANSIBLE_CONFIG=ansible.cfg ANSIBLE_PIPELINING=1 ANSIBLE_HOST_KEY_CHECKING=True ansible-playbook -i INVENTORY -f ${forks} PLAYBOOK > /dev/null   # ansible.cfg: host_key_checking=True, pipelining=True, interpreter_python=/usr/bin/python3, own control_path_dir per run`;
