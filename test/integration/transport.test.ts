import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { ConnectError } from '../../src/errors/connect-error.js';
import { BecomeError } from '../../src/errors/become-error.js';
import { SshTransport } from '../../src/transports/ssh.js';
import { TransferError } from '../../src/errors/transfer-error.js';
import type { ConnectionSpec } from '../../src/connection/types.js';
import { hashKnownHostsLine, startHosts, type HostsLab, type LabHost } from '../lab/hosts.js';
import { mountNamespaceOf, pidsInNamespace, run } from '../lab/hosts/proc.js';

let lab: HostsLab;
let base: string;
const open: SshTransport[] = [];

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'tsplay-transport-'));
  lab = await startHosts({ count: 3, baseDir: join(base, 'lab'), firstAddress: '127.0.4.1' });
});

after(async () => {
  await Promise.all(open.map((t) => t.close().catch(() => undefined)));
  await lab?.stop();
  await rm(base, { recursive: true, force: true });
});

function spec(h: LabHost, over: Partial<ConnectionSpec> = {}): ConnectionSpec {
  return {
    host: h.name,
    connection: 'ssh',
    address: h.address,
    port: h.port,
    user: 'root',
    privateKeyFile: lab.clientKeyFile,
    knownHostsFiles: [lab.knownHostsFile],
    acceptNewHostKeys: false,
    connectTimeoutMs: 5000,
    keepaliveIntervalMs: 5000,
    maxChannels: 8,
    useAgent: false,
    ...over,
  };
}

async function connected(h: LabHost, over: Partial<ConnectionSpec> = {}): Promise<SshTransport> {
  const t = new SshTransport(spec(h, over));
  open.push(t);
  await t.connect();
  return t;
}

async function connectError(s: ConnectionSpec): Promise<ConnectError> {
  const t = new SshTransport(s);
  open.push(t);
  const e = await t.connect().then(
    () => undefined,
    (x: unknown) => x,
  );
  assert.ok(e instanceof ConnectError, `expected ConnectError, got ${String(e)}`);
  return e;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const host = (i: number): LabHost => lab.hosts[i]!;
async function remoteProcesses(h: LabHost, pattern: string): Promise<string> {
  return (await lab.execIn(h, ['sh', '-c', `ps -eo pid,user,args | grep -F -- '${pattern}' | grep -v grep || true`])).stdout;
}

describe('exec', () => {
  test('returns stdout, stderr and the exit code; env and cwd apply; a failed cd fails the command', async () => {
    const t = await connected(host(0));
    const r = await t.exec({ command: 'hostname; echo oops >&2; exit 3' });
    assert.deepEqual([r.stdout, r.stderr, r.code, r.signal, r.timedOut], ['host01\n', 'oops\n', 3, null, false]);
    const e = await t.exec({ command: 'pwd; printf %s "$GREETING"', cwd: '/etc/kubernetes', env: { GREETING: `it's $HOME` } });
    assert.equal(e.stdout, `/etc/kubernetes\nit's $HOME`);
    const bad = await t.exec({ command: 'echo should-not-run', cwd: '/no/such/dir' });
    assert.notEqual(bad.code, 0);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /no\/such\/dir/);
  });

  test('stdin is forwarded and output streams live through onOutput', async () => {
    const t = await connected(host(0));
    const seen: string[] = [];
    const r = await t.exec({
      command: 'cat; echo; sleep 0.2; echo second',
      stdin: 'from-stdin',
      onOutput: (s, c) => seen.push(`${s}:${c}`),
    });
    assert.equal(r.stdout, 'from-stdin\nsecond\n');
    assert.ok(seen.length >= 2, `expected several live chunks, got ${JSON.stringify(seen)}`);
    assert.equal(seen.map((s) => s.replace(/^stdout:/, '')).join(''), r.stdout);
  });

  test('20 concurrent execs on one connection run at most 8 at a time and all succeed', async () => {
    const t = await connected(host(1));
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => t.exec({ command: `sleep 0.3; echo ${i}` })));
    rs.forEach((r, i) => assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${i}\n`, '']));
    assert.equal(t.channels.peak, 8);
    assert.equal(t.channels.inFlight, 0);
  });

  test('control: without the limit, sshd (MaxSessions 10) refuses channels', async () => {
    const t = await connected(host(1), { maxChannels: 20 });
    // sleep outlasts the transport's open retries (about 0.5 s in all), so the refusals surface
    const rs = await Promise.allSettled(Array.from({ length: 20 }, () => t.exec({ command: 'sleep 2' })));
    const failed = rs.filter((r) => r.status === 'rejected');
    assert.ok(failed.length > 0, 'expected channel open failures without a limit');
    assert.match(String((failed[0] as PromiseRejectedResult).reason), /open failed|Channel open failure/i);
  });

  test('a timeout kills the remote command and leaves no process behind', async () => {
    const t = await connected(host(0));
    const started = Date.now();
    const r = await t.exec({ command: 'sleep 100.17 & sleep 100.17; echo never', timeoutMs: 700 });
    assert.equal(r.timedOut, true);
    assert.equal(r.code, null);
    assert.equal(r.stdout, '');
    assert.ok(Date.now() - started < 5000, 'timed-out exec returned late');
    await waitGone(host(0), 'sleep 100.17');
    assert.equal((await t.exec({ command: 'echo still-usable' })).stdout, 'still-usable\n');
  });

  test('a timeout kills what the command forks while its tree is being listed (it would escape to init)', async () => {
    const t = await connected(host(0));
    // 60 children make the listing slow (one pgrep each); meanwhile the shell forks `sleep 100.54`
    const r = await t.exec({
      command: '(for i in $(seq 60); do sleep 100.53 & done; wait) & sleep 0.3; sleep 100.54; echo never',
      timeoutMs: 200,
    });
    assert.equal(r.timedOut, true);
    await waitGone(host(0), 'sleep 100.53');
    await waitGone(host(0), 'sleep 100.54');
  });

  test('an AbortSignal ends the command too (code null, aborted)', async () => {
    const t = await connected(host(0));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await t.exec({ command: 'sleep 100.23', signal: ac.signal });
    assert.deepEqual([r.code, r.aborted, r.timedOut], [null, true, false]);
    await waitGone(host(0), 'sleep 100.23');
  });

  test('a lost connection rejects a running exec with ConnectError closed instead of hanging', async () => {
    const h = host(2);
    const t = await connected(h);
    const outcome = t.exec({ command: 'sleep 30' }).then(
      () => undefined,
      (x: unknown) => x,
    );
    await new Promise((r) => setTimeout(r, 300));
    await lab.stopHost(h.name);
    const e = await outcome;
    await lab.startHost(h.name);
    assert.ok(e instanceof ConnectError && e.failure === 'closed', String(e));
    assert.match(e.message, /host03 \(127\.0\.4\.3:22\)/);
  });

  test('keepalive notices a connection that stopped answering: the exec rejects instead of hanging, and the command is stopped over a new connection', async () => {
    const h = host(2);
    const t = await connected(h, { keepaliveIntervalMs: 300 });
    const ns = mountNamespaceOf(h.nsPid);
    assert.ok(ns);
    const sessions = pidsInNamespace(ns).filter((pid) => {
      let cmd: string;
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return false; // ended since it was listed (an earlier command's process)
      }
      return cmd.startsWith('sshd:') && !cmd.includes('[listener]');
    });
    assert.ok(sessions.length > 0);
    const started = Date.now();
    const outcome = t.exec({ command: 'sleep 20.41' }).then(
      () => undefined,
      (x: unknown) => x,
    );
    await new Promise((r) => setTimeout(r, 200));
    // A listed session process may already have ended (e.g. an earlier channel's): ESRCH is fine.
    const signal = (pid: number, sig: NodeJS.Signals): void => {
      try {
        process.kill(pid, sig);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
    };
    for (const pid of sessions) signal(pid, 'SIGSTOP');
    try {
      const e = await outcome;
      // sshd still accepts connections (only the sessions are stopped): the transport connects again and kills the
      // orphaned command; the task fails (the host is not unreachable)
      assert.ok(e instanceof Error && !(e instanceof ConnectError), String(e));
      assert.match(e.message, /was lost while a command ran; connected again and stopped what was left of it \(pid \d+\)/);
      assert.ok(Date.now() - started < 6000, `took ${Date.now() - started} ms`);
      await waitGone(h, 'sleep 20.41');
    } finally {
      for (const pid of sessions) signal(pid, 'SIGCONT');
    }
  });

  test('eight commands timing out together are all killed', async () => {
    const t = await connected(host(1));
    const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => t.exec({ command: `sleep 100.6${i}`, timeoutMs: 500 })));
    assert.ok(rs.every((r) => r.timedOut && r.code === null));
    await waitGone(host(1), 'sleep 100.6');
  });
});

describe('put and get', () => {
  test('a 20 MiB binary file with NUL bytes round-trips from a stream, byte for byte', async () => {
    const t = await connected(host(0));
    const data = randomBytes(20 * 1024 * 1024);
    data.fill(0, 1000, 5000);
    const chunks = Array.from({ length: 20 }, (_, i) => data.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    await t.put({ path: '/var/lib/big.bin', content: Readable.from(chunks) });
    const remote = await t.exec({
      command: 'sha256sum /var/lib/big.bin; stat -c %a /var/lib/big.bin; ls /var/lib | grep -c tsplay- || true',
    });
    assert.equal(remote.stdout, `${sha256(data)}  /var/lib/big.bin\n644\n0\n`);
    const parts: Buffer[] = [];
    for await (const c of await t.get({ path: '/var/lib/big.bin' })) parts.push(c as Buffer);
    assert.equal(sha256(Buffer.concat(parts)), sha256(data));
  });

  test('put respects mode and replaces atomically; get of a missing file rejects with the remote error', async () => {
    const t = await connected(host(0));
    await t.put({ path: '/etc/kubernetes/secret.conf', content: Buffer.from('one'), mode: 0o600 });
    await t.put({ path: '/etc/kubernetes/secret.conf', content: 'two', mode: 0o600 });
    assert.equal((await t.exec({ command: 'stat -c %a /etc/kubernetes/secret.conf; cat /etc/kubernetes/secret.conf' })).stdout, '600\ntwo');
    const e = await t.get({ path: '/etc/kubernetes/missing' }).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(e instanceof TransferError);
    assert.match(e.message, /cannot read \/etc\/kubernetes\/missing on host01: .*No such file/);
    const empty = await t.exec({ command: ': > /tmp/empty' });
    assert.equal(empty.code, 0);
    const chunks: Buffer[] = [];
    for await (const c of await t.get({ path: '/tmp/empty' })) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).length, 0);
  });

  test('a get stream destroyed early frees its channel and ends the remote cat', async () => {
    const t = await connected(host(0), { maxChannels: 1 });
    await t.exec({ command: 'head -c 30000000 /dev/zero > /var/lib/zeros.bin' });
    const stream = await t.get({ path: '/var/lib/zeros.bin' });
    for await (const chunk of stream) {
      assert.ok((chunk as Buffer).length > 0);
      break;
    }
    const r = await t.exec({ command: 'echo next', timeoutMs: 5000 });
    assert.deepEqual([r.code, r.stdout], [0, 'next\n']);
    await waitGone(host(0), 'cat -- /var/lib/zeros.bin');
  });

  test('a put whose source stream fails rejects with that error and leaves no file or temp file', async () => {
    const t = await connected(host(0));
    const failing = new Readable({ read() {} });
    failing.push(Buffer.alloc(1024 * 1024, 1));
    setTimeout(() => failing.destroy(new Error('source broke')), 200);
    await assert.rejects(t.put({ path: '/etc/kubernetes/partial.bin', content: failing }), /source broke/);
    const ls = await t.exec({ command: 'ls -A /etc/kubernetes' });
    assert.doesNotMatch(ls.stdout, /partial/);
  });

  test('put as deploy fails in root-owned dirs, and works with become', async () => {
    const t = await connected(host(0), { user: 'deploy' });
    const denied = await t.put({ path: '/etc/kubernetes/by-deploy', content: 'x' }).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(denied instanceof TransferError);
    assert.match(denied.message, /Permission denied/);
    await t.put({ path: '/etc/kubernetes/by-deploy', content: 'x', become: { user: 'root', password: lab.deploy.password } });
    assert.equal((await lab.execIn(host(0), ['stat', '-c', '%U %a', '/etc/kubernetes/by-deploy'])).stdout, 'root 644\n');
    const chunks: Buffer[] = [];
    for await (const c of await t.get({ path: '/etc/kubernetes/by-deploy', become: { user: 'root', password: lab.deploy.password } }))
      chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'x');
  });
});

describe('become', () => {
  test('sudo with the deploy password runs as root, forwards stdin and strips its prompt', async () => {
    const t = await connected(host(0), { user: 'deploy' });
    const r = await t.exec({
      command: 'id -un; cat; echo done >&2',
      stdin: 'payload\n',
      become: { user: 'root', password: lab.deploy.password },
    });
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'root\npayload\n', 'done\n']);
    const plain = await t.exec({ command: 'id -un' });
    assert.equal(plain.stdout, 'deploy\n');
  });

  test('a wrong password fails clearly and the password appears nowhere', async () => {
    const t = await connected(host(0), { user: 'deploy' });
    const secret = 'Wr0ng-Secret-Pass';
    const e = await t.exec({ command: 'id', become: { user: 'root', password: secret } }).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(e instanceof BecomeError, String(e));
    assert.equal(e.message, 'become password was rejected by sudo on host01 (become user root)');
    assert.ok(!`${e.message}${e.stack ?? ''}${JSON.stringify(e)}`.includes(secret));
    assert.ok(!(await readFile(host(0).sshdLog, 'utf8')).includes(secret));
  });

  test('no password: sudo -n fails with a clear message instead of waiting', async () => {
    const t = await connected(host(0), { user: 'deploy' });
    const e = await t.exec({ command: 'id', become: { user: 'root' } }).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(e instanceof BecomeError && e.failure === 'required', String(e));
  });

  test('under become too, what the command forks while its tree is being listed is killed', async () => {
    const t = await connected(host(0), { user: 'deploy' });
    const r = await t.exec({
      command: '(for i in $(seq 60); do sleep 100.55 & done; wait) & sleep 0.3; sleep 100.56; echo never',
      timeoutMs: 200,
      become: { user: 'root', password: lab.deploy.password },
    });
    assert.equal(r.timedOut, true);
    await waitGone(host(0), 'sleep 100.55');
    await waitGone(host(0), 'sleep 100.56');
  });

  test('a timeout under become kills the root-owned command tree', async () => {
    const t = await connected(host(0), { user: 'deploy' });
    const r = await t.exec({ command: 'sleep 100.31', timeoutMs: 800, become: { user: 'root', password: lab.deploy.password } });
    assert.equal(r.timedOut, true);
    await waitGone(host(0), 'sleep 100.31');
  });
});

describe('connect', () => {
  test('password authentication works; a wrong password is an auth ConnectError without the password', async () => {
    const t = await connected(host(0), { user: 'deploy', privateKeyFile: undefined, password: lab.deploy.password });
    assert.equal((await t.exec({ command: 'id -un' })).stdout, 'deploy\n');
    const e = await connectError(spec(host(0), { user: 'deploy', privateKeyFile: join(base, 'none'), password: 'NotThePassword9' }));
    assert.equal(e.failure, 'key-file');
    const a = await connectError({ ...spec(host(0), { user: 'deploy', password: 'NotThePassword9' }), privateKeyFile: undefined });
    assert.equal(a.failure, 'auth');
    assert.match(a.message, /host01 \(127\.0\.4\.1:22\).*deploy/);
    assert.ok(!a.message.includes('NotThePassword9'));
  });

  test('ssh-agent authentication (SSH_AUTH_SOCK) works without a key file', async () => {
    const sock = join(base, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const saved = process.env['SSH_AUTH_SOCK'];
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      const add = await run('ssh-add', [lab.clientKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      assert.equal(add.code, 0, add.stderr);
      process.env['SSH_AUTH_SOCK'] = sock;
      const t = await connected(host(0), { privateKeyFile: undefined, useAgent: true });
      assert.equal((await t.exec({ command: 'hostname' })).stdout, 'host01\n');
    } finally {
      if (saved === undefined) delete process.env['SSH_AUTH_SOCK'];
      else process.env['SSH_AUTH_SOCK'] = saved;
      agent.kill('SIGKILL');
    }
  });

  test('a server that never speaks SSH: timeout ConnectError within the connect timeout', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(2222, '127.0.4.251', r));
    try {
      const started = Date.now();
      const e = await connectError(spec(host(0), { address: '127.0.4.251', port: 2222, connectTimeoutMs: 600 }));
      assert.equal(e.failure, 'timeout');
      assert.match(e.message, /127\.0\.4\.251:2222/);
      assert.ok(Date.now() - started < 3000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => server.close(r));
    }
  });

  test('a missing key file is a key-file error naming the path', async () => {
    const e = await connectError(spec(host(0), { privateKeyFile: '/nonexistent/id_test' }));
    assert.equal(e.failure, 'key-file');
    assert.match(e.message, /\/nonexistent\/id_test/);
  });

  test('nothing listening: refused, quickly', async () => {
    const started = Date.now();
    const e = await connectError(spec(host(0), { address: '127.0.4.250' }));
    assert.equal(e.failure, 'refused');
    assert.match(e.message, /127\.0\.4\.250:22/);
    assert.ok(Date.now() - started < 2000);
  });

  test('an unknown host key is refused with its fingerprint, the file and how to accept it', async () => {
    const kh = join(base, 'empty_known_hosts');
    await writeFile(kh, '# nothing yet\n');
    const e = await connectError(spec(host(0), { knownHostsFiles: [kh] }));
    assert.equal(e.failure, 'hostkey-unknown');
    assert.equal(e.fingerprint, host(0).hostKeyFingerprint);
    assert.ok(e.message.includes(host(0).hostKeyFingerprint) && e.message.includes(kh));
    assert.match(e.message, /--accept-new-host-keys/);
    assert.match(e.message, /ssh-keyscan -p 22 -t ssh-ed25519 127\.0\.4\.1/);
  });

  test('accept-new records the key (0600 file) and later connects trust it', async () => {
    const kh = join(base, 'sub', 'new_known_hosts');
    const t = await connected(host(1), { knownHostsFiles: [kh], acceptNewHostKeys: true });
    assert.equal((await t.exec({ command: 'hostname' })).stdout, 'host02\n');
    const text = await readFile(kh, 'utf8');
    assert.equal(text, `127.0.4.2 ${host(1).hostPublicKey.split(' ').slice(0, 2).join(' ')}\n`);
    assert.equal((await stat(kh)).mode & 0o777, 0o600);
    await connected(host(1), { knownHostsFiles: [kh] });
  });

  test('hashed known_hosts entries are honoured', async () => {
    const kh = join(base, 'hashed_known_hosts');
    await writeFile(kh, `${hashKnownHostsLine(host(1).address, 22, host(1).hostPublicKey)}\n`);
    const t = await connected(host(1), { knownHostsFiles: [kh] });
    assert.equal((await t.exec({ command: 'hostname' })).stdout, 'host02\n');
  });

  test('a changed host key is refused with old and new fingerprints, even with accept-new', async () => {
    const h = host(2);
    const old = h.hostKeyFingerprint;
    await lab.regenerateHostKey(h.name);
    const before = await readFile(lab.knownHostsFile, 'utf8');
    const e = await connectError(spec(h, { acceptNewHostKeys: true }));
    assert.equal(e.failure, 'hostkey-changed');
    assert.equal(e.fingerprint, h.hostKeyFingerprint);
    assert.ok(e.message.includes(old) && e.message.includes(h.hostKeyFingerprint), e.message);
    assert.equal(await readFile(lab.knownHostsFile, 'utf8'), before);
  });
});

/** Waits (up to 3 s) until no process on the host matches, failing with what is left. */
async function waitGone(h: LabHost, pattern: string): Promise<void> {
  const deadline = Date.now() + 3000;
  let left = '';
  while (Date.now() < deadline) {
    left = await remoteProcesses(h, pattern);
    if (left === '') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`still running on ${h.name}:\n${left}`);
}
