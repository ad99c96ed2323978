import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, type HostsLab, type LabHost } from '../lab/hosts.js';
import { portOpen, run, type RunResult } from '../lab/hosts/proc.js';

let lab: HostsLab;
let base: string;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'tsplay-hosts-'));
  lab = await startHosts({ count: 3, baseDir: base, firstAddress: '127.0.3.1' });
});

after(async () => {
  await lab?.stop();
  await rm(base, { recursive: true, force: true });
});

/** Runs a command on a lab host through the system ssh client with the lab key and known_hosts. */
function ssh(h: LabHost, cmd: string, user = 'root'): Promise<RunResult> {
  return run(
    'ssh',
    [
      '-i',
      lab.clientKeyFile,
      '-o',
      `UserKnownHostsFile=${lab.knownHostsFile}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-p',
      String(h.port),
      `${user}@${h.address}`,
      cmd,
    ],
    { timeoutMs: 20_000 },
  );
}

test('each host answers over ssh with its own hostname', async () => {
  const names = await Promise.all(lab.hosts.map(async (h) => (await ssh(h, 'hostname')).stdout.trim()));
  assert.deepEqual(names, ['host01', 'host02', 'host03']);
});

test('/etc/kubernetes is private per host and invisible on the real machine', async () => {
  const [h1, h2] = lab.hosts as [LabHost, LabHost, LabHost];
  const w = await ssh(h1, 'echo one > /etc/kubernetes/marker.txt && cat /etc/kubernetes/marker.txt');
  assert.equal(w.stdout, 'one\n', w.stderr);
  const r = await ssh(h2, 'ls -A /etc/kubernetes');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(existsSync('/etc/kubernetes/marker.txt'), false);
  assert.equal((await lab.execIn(h1, ['cat', '/etc/kubernetes/marker.txt'])).stdout, 'one\n');
});

test('the deploy user exists only inside hosts and sudo asks for its password', async () => {
  const h1 = lab.hosts[0]!;
  const r = await ssh(h1, 'id -un; sudo -n true 2>&1', lab.deploy.user);
  assert.match(r.stdout, /^deploy\n.*password is required/s, r.stderr);
  const ok = await ssh(h1, `echo '${lab.deploy.password}' | sudo -S -p '' id -u`, lab.deploy.user);
  assert.equal(ok.stdout.trim(), '0', ok.stderr);
  assert.equal((await run('id', ['deploy'])).code === 0, false, 'deploy must not exist on the real machine');
});

test('stopHost stops sshd, startHost brings it back, regenerateHostKey changes the fingerprint', async () => {
  const h3 = lab.host('host03');
  await lab.stopHost('host03');
  assert.equal(await portOpen(h3.address, h3.port), false);
  await lab.startHost('host03');
  assert.equal((await ssh(h3, 'hostname')).stdout.trim(), 'host03');
  const before = h3.hostKeyFingerprint;
  await lab.regenerateHostKey('host03');
  assert.notEqual(h3.hostKeyFingerprint, before);
  const r = await ssh(h3, 'hostname');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
});

test('writeInventory writes hosts with address/port, groups and [all:vars]', async () => {
  const file = join(base, 'inventory.ini');
  await lab.writeInventory(file, { groups: { etcd: ['host01', 'host02'] } });
  const text = await readFile(file, 'utf8');
  assert.equal(text.split('\n')[0], 'host01 ansible_host=127.0.3.1 ansible_port=22');
  assert.match(text, /\n\[etcd\]\nhost01\nhost02\n/);
  assert.match(text, new RegExp(`\\[all:vars\\]\\nansible_user=root\\nansible_ssh_private_key_file=${lab.clientKeyFile}\\n`));
});

test('stop kills everything and is safe to call twice', async () => {
  const h = lab.hosts[0]!;
  const child = lab.spawnIn(h, ['sleep', '1000']);
  await new Promise((r) => setTimeout(r, 200));
  await lab.stop();
  await lab.stop();
  for (const x of lab.hosts) assert.equal(await portOpen(x.address, x.port), false);
  assert.equal(existsSync(`/proc/${h.nsPid}`), false);
  assert.equal(child.pid !== undefined && existsSync(`/proc/${child.pid}`) && !isZombie(child.pid), false);
});

function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
