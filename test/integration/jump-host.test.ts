// A bastion in front of the masters, on real sshd (lab hosts of their own: bastion01 on 127.0.1.41, master01-03 on
// 127.0.1.42-44; no other test uses 127.0.1.41-44). The masters accept a login only when it arrives THROUGH the
// bastion: their sshd gets its keys from an AuthorizedKeysCommand that looks up the TCP peer of the connection in
// /proc/net/tcp and answers only when that socket belongs to the bastion's sshd session of `deploy` (a uid nothing
// else here has; tsplay itself runs as root). So a direct login is refused (drilled as a control), and a run that
// works went through the bastion; a guard on the test process's own sockets also shows tsplay dialed only the
// bastion. Drilled: ProxyJump with ssh-agent for the bastion, ProxyCommand "ssh -W" with its own -i key, a two-hop
// -J chain, one shared bastion connection for all masters, unknown/changed host keys of the bastion and of a master
// (and the ssh-keyscan hint shown for it, run for real), --accept-new-host-keys, a bastion connection that drops
// between tasks, a bastion that is down; and real OpenSSH (`ssh -J`) reaching the masters the same way.
// Takes about 40 s.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { JumpHosts } from '../../src/transports/jump-hosts.js';
import { resolveConnectionSpec } from '../../src/connection/connection-spec.js';
import { SshTransport } from '../../src/transports/ssh.js';
import { fingerprintOf, knownHostsLine, startHosts, type HostsLab, type LabHost } from '../lab/hosts.js';
import { statuses, tsplay, type CliRun } from '../support/cli.js';
import { guardConnections, type ConnectGuard } from '../support/connect-guard.js';

let dir: string;
let front: HostsLab;
let back: HostsLab;
let bastion: LabHost;
let masters: LabHost[];
let knownHosts: string;
let bastionKey: string;
let agent: ChildProcess | undefined;
let agentSock: string;
let guard: ConnectGuard;
const savedAuthSock = process.env['SSH_AUTH_SOCK'];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-jump-'));
  // two labs: the bastion and the masters have different client keys, as they usually do
  [front, back] = await Promise.all([
    startHosts({ count: 1, baseDir: join(dir, 'front'), firstAddress: '127.0.1.41', namePrefix: 'bastion' }),
    startHosts({ count: 3, baseDir: join(dir, 'back'), firstAddress: '127.0.1.42', namePrefix: 'master' }),
  ]);
  bastion = front.host('bastion01');
  masters = back.hosts;
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${[bastion, ...masters].map((h) => knownHostsLine(h.address, h.port, h.hostPublicKey)).join('\n')}\n`);
  bastionKey = front.clientKeyFile;
  await Promise.all(masters.map((m) => gateMaster(m)));
  agentSock = join(dir, 'agent.sock');
  agent = spawn('ssh-agent', ['-D', '-a', agentSock], { stdio: 'ignore' });
  await waitFor(() => spawnSync('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: agentSock } }).status === 1, 'ssh-agent');
  const add = spawnSync('ssh-add', [bastionKey], { env: { ...process.env, SSH_AUTH_SOCK: agentSock }, encoding: 'utf8' });
  assert.equal(add.status, 0, add.stderr);
  guard = guardConnections();
});

after(async () => {
  guard?.restore();
  if (savedAuthSock === undefined) delete process.env['SSH_AUTH_SOCK'];
  else process.env['SSH_AUTH_SOCK'] = savedAuthSock;
  agent?.kill();
  await Promise.all([front?.stop(), back?.stop()]);
  if (dir && !process.env['KEEP_JUMP_DIR']) await rm(dir, { recursive: true, force: true });
});

/**
 * Makes a master accept logins only through the bastion: no authorized_keys file, no passwords; its keys come from
 * a script that finds the client end of the connection being authenticated in /proc/net/tcp and prints the lab key
 * only when that socket's uid is the bastion's `deploy` (whose sshd session opens the forwarded connections).
 * Every decision is logged to /etc/kubernetes/gate.log on the master.
 */
async function gateMaster(m: LabHost): Promise<void> {
  const deployUid = /^deploy:[^:]*:(\d+):/m.exec(readFileSync(join(bastion.dir, 'etc/passwd'), 'utf8'))?.[1];
  assert.ok(deployUid, 'no deploy user on the bastion');
  const etc = join(m.dir, 'etc/kubernetes');
  writeFileSync(join(etc, 'authorized_key'), readFileSync(`${back.clientKeyFile}.pub`, 'utf8'), { mode: 0o644 });
  writeFileSync(
    join(etc, 'drill-gate'),
    `#!/bin/sh
# sshd (our parent) holds the TCP connection being authenticated: find it in /proc/net/tcp by the inodes of its
# sockets, then the other end of that connection (local and remote swapped), and that socket's owner uid.
inodes=" "
for fd in /proc/$PPID/fd/*; do
  l=$(readlink "$fd") || continue
  case "$l" in socket:*) inodes="$inodes$(echo "$l" | tr -dc 0-9) " ;; esac
done
found=$(awk -v inodes="$inodes" 'NR > 1 { uid[$2 " " $3] = $8; if ($4 == "01" && index(inodes, " " $10 " ")) conn = $3 " " $2 }
  END { if (conn != "") print conn " " uid[conn] }' /proc/net/tcp)
uid=\${found##* }
if [ -n "$found" ] && [ "$uid" = "${deployUid}" ]; then
  echo "through-bastion $found" >> /etc/kubernetes/gate.log
  cat /etc/kubernetes/authorized_key
else
  echo "refused $found uid=$uid" >> /etc/kubernetes/gate.log
fi
`,
  );
  chmodSync(join(etc, 'drill-gate'), 0o755);
  const config = join(m.dir, 'ssh/sshd_config');
  const text = readFileSync(config, 'utf8')
    .replace(
      /^AuthorizedKeysFile .*$/m,
      'AuthorizedKeysFile none\nAuthorizedKeysCommand /etc/kubernetes/drill-gate\nAuthorizedKeysCommandUser root',
    )
    .replace(/^PasswordAuthentication yes$/m, 'PasswordAuthentication no')
    // the non-root `deploy` may log in with its password (the password drill); root only with a gated key
    .concat('Match User deploy\n  PasswordAuthentication yes\n');
  assert.match(text, /AuthorizedKeysCommand /);
  writeFileSync(config, text);
  await back.stopHost(m.name);
  await back.startHost(m.name);
}

/** The gate's decisions on every master so far: connections let through (sshd asks twice per key: counted once), refusals. */
function gateLog(): { through: number; refused: string[] } {
  const lines = masters.flatMap((m) => {
    try {
      return readFileSync(join(m.dir, 'etc/kubernetes/gate.log'), 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  });
  return {
    through: new Set(lines.filter((l) => l.startsWith('through-bastion'))).size,
    refused: [...new Set(lines.filter((l) => l.startsWith('refused')))],
  };
}

/** Lines of a host's sshd log that record an accepted login. */
function accepted(h: LabHost): string[] {
  return readFileSync(h.sshdLog, 'utf8')
    .split('\n')
    .filter((l) => l.includes('Accepted publickey'));
}

/** An inventory of the three masters with these ssh args (and key file). */
function inventory(sshArgs: string, extra = ''): string {
  const file = join(dir, `inv-${randomBytes(4).toString('hex')}.yaml`);
  const hosts = masters.map((m) => `        ${m.name}: { ansible_host: ${m.address} }`).join('\n');
  writeFileSync(
    file,
    `all:
  children:
    masters:
      hosts:
${hosts}
      vars:
        ansible_user: root
        ansible_ssh_private_key_file: ${back.clientKeyFile}
        ansible_ssh_common_args: ${JSON.stringify(sshArgs)}
${extra}`,
  );
  return file;
}

function playbook(): string {
  const file = join(dir, 'jump.yaml');
  writeFileSync(
    file,
    `- hosts: masters
  tasks:
    - name: where am I
      command: hostname
    - name: a file onto the master (transfers go through the tunnel too)
      copy: { content: "through {{inventory_hostname}}\\n", dest: /root/jump.txt, mode: "0600" }
    - name: and back to the controller
      fetch: { src: /root/jump.txt, dest: "${dir}/fetched/{{inventory_hostname}}.txt", flat: true }
`,
  );
  return file;
}

async function run(inv: string, opts: { args?: string[]; agent?: boolean; playbook?: string } = {}): Promise<CliRun> {
  if (opts.agent) process.env['SSH_AUTH_SOCK'] = agentSock;
  else delete process.env['SSH_AUTH_SOCK'];
  const kh = opts.args?.includes('--known-hosts') ? [] : ['--known-hosts', knownHosts];
  return tsplay([
    'run',
    opts.playbook ?? playbook(),
    '-i',
    inv,
    ...kh,
    '-o',
    'json',
    '-T',
    '5',
    '--no-lock',
    '--journal',
    join(dir, `j-${randomBytes(4).toString('hex')}.jsonl`),
    ...(opts.args ?? []),
  ]);
}

/** hostname results per master, from the run's events. */
function hostnames(r: CliRun): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of r.events) {
    if (e.type === 'host-result' && e.task === 'where am I' && e.status !== 'unreachable')
      out[e.host] = String(e.result['stdout'] ?? '').trim();
  }
  return out;
}

function unreachableMessages(r: CliRun): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of r.events) if (e.type === 'host-result' && e.status === 'unreachable') out[e.host] = e.msg;
  return out;
}

async function waitFor(ok: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('the direct path is closed', () => {
  test('control: without the jump host every master refuses the login (the gate sees root, not the bastion)', async () => {
    const before = gateLog();
    const r = await run(inventory('-o StrictHostKeyChecking=yes'));
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const msgs = unreachableMessages(r);
    assert.deepEqual(
      Object.keys(msgs).sort(),
      masters.map((m) => m.name),
    );
    for (const m of masters)
      assert.match(
        msgs[m.name] ?? '',
        new RegExp(`cannot connect to ${m.name} \\(${m.address.replaceAll('.', '\\.')}:22\\): authentication failed for user root`),
      );
    const after = gateLog();
    assert.equal(after.through, before.through);
    assert.equal(after.refused.length - before.refused.length, masters.length);
    assert.ok(
      after.refused.slice(before.refused.length).every((l) => l.endsWith(' uid=0')),
      after.refused.join('\n'),
    );
  });

  test('real OpenSSH reaches a master with -J through the bastion, and is refused without it', () => {
    const config = join(dir, 'ssh_config');
    writeFileSync(
      config,
      `Host *\n  UserKnownHostsFile ${knownHosts}\n  StrictHostKeyChecking yes\n  BatchMode yes\n  IdentityFile ${back.clientKeyFile}\n  IdentityFile ${bastionKey}\n  IdentitiesOnly yes\n`,
    );
    const m = masters[0] as LabHost;
    const via = spawnSync('ssh', ['-F', config, '-J', `deploy@${bastion.address}`, `root@${m.address}`, 'hostname'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(via.status, 0, via.stderr);
    assert.equal(via.stdout.trim(), m.name);
    const direct = spawnSync('ssh', ['-F', config, `root@${m.address}`, 'hostname'], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(direct.status, 0);
    assert.match(direct.stderr, /Permission denied/);
  });
});

describe('through the bastion', () => {
  test('ProxyJump, the bastion key in ssh-agent: every task runs on every master, over ONE bastion connection, and tsplay dialed only the bastion', async () => {
    const before = { gate: gateLog(), bastion: accepted(bastion).length, guard: guard.attempts.length };
    const r = await run(inventory(`-o StrictHostKeyChecking=yes -o ProxyJump=deploy@${bastion.address}`), { agent: true });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(hostnames(r), Object.fromEntries(masters.map((m) => [m.name, m.name])));
    for (const m of masters) assert.equal(readFileSync(join(dir, 'fetched', `${m.name}.txt`), 'utf8'), `through ${m.name}\n`);
    const gate = gateLog();
    assert.equal(gate.through - before.gate.through, masters.length, 'each master saw its login arrive through the bastion');
    assert.equal(gate.refused.length, before.gate.refused.length, 'no master refused a login');
    const logins = accepted(bastion).slice(before.bastion);
    assert.equal(logins.length, 1, `bastion logins: ${logins.join('\n')}`);
    assert.ok(
      logins[0]?.includes(`for deploy from 127.0.0.1`) && logins[0].includes(fingerprintOf(readFileSync(`${bastionKey}.pub`, 'utf8'))),
      logins[0],
    );
    const dialed = guard.attempts.slice(before.guard).map((a) => `${a.host}:${a.port}`);
    assert.deepEqual([...new Set(dialed)], [`${bastion.address}:22`]);
    assert.equal(dialed.length, 1);
  });

  test('ProxyCommand "ssh -W %h:%p" with its own -i key for the bastion (no agent)', async () => {
    const before = { gate: gateLog().through, bastion: accepted(bastion).length };
    const r = await run(inventory(`-o ProxyCommand="ssh -q -W %h:%p -i ${bastionKey} deploy@${bastion.address}"`));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(hostnames(r), Object.fromEntries(masters.map((m) => [m.name, m.name])));
    assert.equal(gateLog().through - before.gate, masters.length);
    assert.equal(accepted(bastion).length - before.bastion, 1);
  });

  test('a password login and sudo with its password on the masters, through the bastion (the password never goes to the bastion)', async () => {
    const inv = join(dir, 'inv-password.yaml');
    const hosts = masters.map((m) => `        ${m.name}: { ansible_host: ${m.address} }`).join('\n');
    writeFileSync(
      inv,
      `all:
  children:
    masters:
      hosts:
${hosts}
      vars:
        ansible_user: ${back.deploy.user}
        ansible_password: ${JSON.stringify(back.deploy.password)}
        ansible_become: true
        ansible_become_password: ${JSON.stringify(back.deploy.password)}
        ansible_ssh_common_args: -o ProxyJump=deploy@${bastion.address}
`,
    );
    const book = join(dir, 'whoami.yaml');
    writeFileSync(book, '- hosts: masters\n  tasks:\n    - name: where am I\n      command: whoami\n');
    const before = { bastion: readFileSync(bastion.sshdLog, 'utf8').length, guard: guard.attempts.length };
    const r = await run(inv, { agent: true, playbook: book });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(hostnames(r), Object.fromEntries(masters.map((m) => [m.name, 'root'])));
    for (const m of masters) assert.match(readFileSync(m.sshdLog, 'utf8'), /Accepted password for deploy from 127\.0\.0\.1/);
    const bastionLog = readFileSync(bastion.sshdLog, 'utf8').slice(before.bastion);
    assert.match(bastionLog, /Accepted publickey for deploy/);
    assert.doesNotMatch(bastionLog, /password/i, 'the bastion saw a password attempt');
    assert.deepEqual([...new Set(guard.attempts.slice(before.guard).map((a) => `${a.host}:${a.port}`))], [`${bastion.address}:22`]);
  });

  test('a two-hop chain: -J deploy@bastion,deploy@master01 reaches master02 and master03', async () => {
    const [first, ...rest] = masters as [LabHost, ...LabHost[]];
    const deployLogins = (): number => accepted(first).filter((l) => l.includes('for deploy')).length;
    const before = { first: deployLogins(), gate: gateLog().through };
    const r = await run(inventory(`-J deploy@${bastion.address},deploy@${first.address}`), {
      agent: true,
      args: ['-l', rest.map((m) => m.name).join(':')],
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(hostnames(r), Object.fromEntries(rest.map((m) => [m.name, m.name])));
    assert.equal(deployLogins() - before.first, 1, 'one deploy login on the middle hop');
    // master01 (as deploy, reached through the bastion) and both targets (reached through master01's deploy session)
    assert.equal(gateLog().through - before.gate, 1 + rest.length);
  });

  test('a bastion connection that drops between tasks is replaced: the next command connects again through a new one', async () => {
    process.env['SSH_AUTH_SOCK'] = agentSock;
    const vars = {
      ansible_host: masters[0]?.address,
      ansible_user: 'root',
      ansible_ssh_private_key_file: back.clientKeyFile,
      ansible_ssh_common_args: `-J deploy@${bastion.address} -o UserKnownHostsFile=${knownHosts}`,
    };
    const { spec } = resolveConnectionSpec('master01', vars);
    assert.ok(spec);
    const jumps = new JumpHosts();
    const t = new SshTransport(spec, jumps);
    const before = accepted(bastion).length;
    try {
      await t.connect();
      assert.equal((await t.exec({ command: 'hostname' })).stdout.trim(), 'master01');
      // kill the bastion's sshd session of deploy (what a bastion reboot or an idle timeout does to the connection)
      const killed = await front.execIn(bastion, ['pkill', '-f', 'sshd: deploy']);
      assert.equal(killed.code, 0, killed.stderr);
      await waitFor(() => (t as unknown as { client: unknown }).client === undefined, 'the loss to be noticed', 10_000);
      assert.equal((await t.exec({ command: 'hostname' })).stdout.trim(), 'master01');
      assert.equal(accepted(bastion).length - before, 2, 'a second bastion login');
    } finally {
      await t.close();
      await jumps.closeAll();
    }
  });
});

describe('host keys are checked for the bastion and for every master', () => {
  test('an unknown bastion key stops every master before any of them is contacted, naming the bastion and its fingerprint', async () => {
    const kh = join(dir, 'kh-no-bastion');
    writeFileSync(kh, `${masters.map((h) => knownHostsLine(h.address, h.port, h.hostPublicKey)).join('\n')}\n`);
    const before = { gate: gateLog(), masters: masters.map((m) => readFileSync(m.sshdLog, 'utf8').length) };
    const r = await run(inventory(`-o ProxyJump=deploy@${bastion.address}`), { agent: true, args: ['--known-hosts', kh] });
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const msgs = unreachableMessages(r);
    for (const m of masters) {
      assert.match(
        msgs[m.name] ?? '',
        new RegExp(
          `^cannot reach ${m.name} \\(${m.address.replaceAll('.', '\\.')}:22\\) through jump host deploy@127\\.0\\.1\\.41:22: host key of jump host 127\\.0\\.1\\.41 \\(127\\.0\\.1\\.41:22\\) is not known: it offers ED25519 key ${bastion.hostKeyFingerprint.replace(/[+/]/g, '\\$&')}`,
        ),
      );
      assert.match(msgs[m.name] ?? '', /ssh-keyscan -p 22 -t ssh-ed25519 127\.0\.1\.41 >> /);
    }
    assert.deepEqual(gateLog(), before.gate);
    assert.deepEqual(
      masters.map((m) => readFileSync(m.sshdLog, 'utf8').length),
      before.masters,
      'a master saw a connection',
    );
  });

  test('a changed bastion key is refused as a possible interception', async () => {
    const kh = join(dir, 'kh-changed-bastion');
    const other = readFileSync(`${back.clientKeyFile}.pub`, 'utf8'); // any other ed25519 key
    writeFileSync(
      kh,
      `${[knownHostsLine(bastion.address, 22, other), ...masters.map((h) => knownHostsLine(h.address, h.port, h.hostPublicKey))].join('\n')}\n`,
    );
    const r = await run(inventory(`-o ProxyJump=deploy@${bastion.address}`), { agent: true, args: ['--known-hosts', kh] });
    assert.equal(r.code, 4);
    for (const msg of Object.values(unreachableMessages(r)))
      assert.match(msg, /through jump host deploy@127\.0\.1\.41:22: HOST KEY CHANGED for jump host 127\.0\.1\.41 \(127\.0\.1\.41:22\)/);
  });

  test('an unknown master key stops that master only; the hint (ssh-keyscan run on the bastion) really yields its key', async () => {
    const [m1, m2, m3] = masters as [LabHost, LabHost, LabHost];
    const kh = join(dir, 'kh-no-master02');
    writeFileSync(kh, `${[bastion, m1, m3].map((h) => knownHostsLine(h.address, h.port, h.hostPublicKey)).join('\n')}\n`);
    const r = await run(inventory(`-o ProxyJump=deploy@${bastion.address}`), { agent: true, args: ['--known-hosts', kh] });
    assert.equal(r.code, 4);
    assert.deepEqual(Object.keys(hostnames(r)).sort(), [m1.name, m3.name]);
    const msg = unreachableMessages(r)[m2.name] ?? '';
    assert.match(
      msg,
      new RegExp(
        `host key of ${m2.name} \\(127\\.0\\.1\\.43:22 via deploy@127\\.0\\.1\\.41:22\\) is not known: it offers ED25519 key ${m2.hostKeyFingerprint.replace(/[+/]/g, '\\$&')}`,
      ),
    );
    const hint = /add it with: (ssh -p 22 deploy@127\.0\.1\.41 ssh-keyscan -p 22 -t ssh-ed25519 127\.0\.1\.43) >> /.exec(msg);
    assert.ok(hint?.[1], msg);
    const config = join(dir, 'ssh_config_bastion');
    writeFileSync(
      config,
      `Host *\n  UserKnownHostsFile ${knownHosts}\n  StrictHostKeyChecking yes\n  BatchMode yes\n  IdentityFile ${bastionKey}\n`,
    );
    const [cmd, ...args] = hint[1].split(' ');
    const scan = spawnSync(cmd ?? 'ssh', ['-F', config, ...args], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(scan.status, 0, scan.stderr);
    assert.equal(scan.stdout.trim(), knownHostsLine(m2.address, 22, m2.hostPublicKey));
  });

  test("--accept-new-host-keys records the bastion's and the masters' keys on first contact", async () => {
    const kh = join(dir, 'kh-empty');
    const r = await run(inventory(`-o ProxyJump=deploy@${bastion.address}`), {
      agent: true,
      args: ['--known-hosts', kh, '--accept-new-host-keys'],
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = readFileSync(kh, 'utf8').trim().split('\n').sort();
    assert.deepEqual(lines, [bastion, ...masters].map((h) => knownHostsLine(h.address, h.port, h.hostPublicKey)).sort());
  });
});

test('a bastion that is down: every master is unreachable, with the bastion named', async () => {
  await front.stopHost(bastion.name);
  try {
    const r = await run(inventory(`-o ProxyJump=deploy@${bastion.address}`), { agent: true });
    assert.equal(r.code, 4);
    assert.deepEqual(Object.values(statuses(r)).filter((s) => s === 'unreachable').length, masters.length);
    for (const msg of Object.values(unreachableMessages(r)))
      assert.match(
        msg,
        /through jump host deploy@127\.0\.1\.41:22: cannot connect to jump host 127\.0\.1\.41 \(127\.0\.1\.41:22\): connection refused/,
      );
  } finally {
    await front.startHost(bastion.name);
  }
});
