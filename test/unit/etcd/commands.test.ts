// The command builders are run for real with sh against hostile paths (a fake etcdctl/etcdutl on PATH records its argv).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { toolsPath } from '../../support/tools-path.js';
import { etcdctlCommand, parseToolVersions, stderrTail } from '../../../src/etcd/etcdctl-command.js';
import {
  asideName,
  parseRestoreOutput,
  parseRestoreProbe,
  parseSnapshotFile,
  planRestore,
  restoreProbeCommand,
  saveCommands,
  snapshotStatusCommand,
} from '../../../src/etcd/snapshot-plan.js';
import {
  healthProbe,
  hostPort,
  locateCommand,
  parseLocate,
  planStaticPod,
  podPaths,
  portProbe,
  portWaitProbe,
  processPattern,
  processProbe,
  processWaitProbe,
  remotePortProbe,
  tlsHealthProbe,
  waitCommand,
} from '../../../src/etcd/static-pod-plan.js';

const root = mkdtempSync(join(tmpdir(), 'tsplay-etcd-cmd-'));
after(() => rmSync(root, { recursive: true, force: true }));
const weird = join(root, `it's a "dir" $(touch PWNED) \`x\` ; *`);
const bin = join(root, 'bin');
mkdirSync(bin);
const argvLog = join(root, 'argv');
// Fake tools: record argv NUL-separated; `snapshot restore` creates the --data-dir like the real one.
const fake =
  `#!/bin/sh\n: > ${JSON.stringify(argvLog)}\nfor a in "$@"; do printf '%s\\0' "$a" >> ${JSON.stringify(argvLog)}; done\n` +
  `prev=; for a in "$@"; do if [ "$prev" = --data-dir ]; then mkdir -p "$a/member"; fi; prev=$a; done\n` +
  `if [ "$1 $2" = 'snapshot status' ]; then echo '{"hash":1,"revision":5,"totalKey":1,"totalSize":24576}'; fi\n`;
for (const t of ['etcdctl', 'etcdutl']) {
  writeFileSync(join(bin, t), fake);
  chmodSync(join(bin, t), 0o755);
}
// a tool that refuses every file (a snapshot that is not one)
const failingBin = join(root, 'failing-bin');
mkdirSync(failingBin);
writeFileSync(join(failingBin, 'etcdutl'), '#!/bin/sh\necho "Error: invalid database" >&2\nexit 1\n');
chmodSync(join(failingBin, 'etcdutl'), 0o755);
const sh = (cmd: string, path = `${bin}:/usr/bin:/bin`): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync('sh', ['-c', cmd], { cwd: root, env: { PATH: path }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const recorded = (): string[] => readFileSync(argvLog, 'utf8').split('\0').slice(0, -1);
const noInjection = (): void => assert.equal(existsSync(join(root, 'PWNED')), false, 'nothing in a path was executed');

test('etcdctl command: every value arrives as one argument', () => {
  const c = { endpoints: ['https://a:2379', 'https://b:2379'], cacert: `${weird}/ca.crt`, cert: 'c', key: 'k', timeoutS: 7 };
  assert.equal(sh(etcdctlCommand(c, ['member', 'remove', 'ab$(id)'])).code, 0);
  assert.deepEqual(recorded(), [
    '--endpoints=https://a:2379,https://b:2379',
    `--cacert=${weird}/ca.crt`,
    '--cert=c',
    '--key=k',
    '--dial-timeout=3s',
    '--command-timeout=7s',
    '-w',
    'json',
    'member',
    'remove',
    'ab$(id)',
  ]);
  noInjection();
});

test('snapshot save steps: dest.part, then 0600 and rename', () => {
  const dest = join(weird, 'snap.db');
  const s = saveCommands({ endpoints: ['https://a:2379'], cacert: 'a', cert: 'b', key: 'c', timeoutS: 5 }, dest);
  assert.equal(sh(s.save).code, 0);
  assert.deepEqual(recorded().slice(-3), ['snapshot', 'save', `${dest}.part`]);
  // the stream of a large db is not cut by the 5 s command timeout other etcdctl calls use
  assert.ok(recorded().includes('--command-timeout=3600s'), recorded().join(' '));
  writeFileSync(`${dest}.part`, 'x');
  assert.equal(sh(s.commit).code, 0);
  assert.equal(statSync(dest).mode & 0o777, 0o600);
  assert.equal(existsSync(`${dest}.part`), false);
  noInjection();
});

test('restore never overwrites: the old data dir is moved aside (twice: distinct names), new dir 0700, etcdutl preferred', () => {
  const dataDir = join(weird, 'etcd');
  mkdirSync(join(dataDir, 'member'), { recursive: true });
  writeFileSync(join(dataDir, 'member', 'old'), 'old');
  writeFileSync(join(weird, 's.db'), 'snapshot');
  const spec = {
    path: join(weird, 's.db'),
    data_dir: dataDir,
    name: 'n 1',
    initial_cluster: 'n 1=https://x:2380',
    initial_advertise_peer_urls: 'https://x:2380',
    initial_cluster_token: 't',
    bump_revision: 1000,
    mark_compacted: true,
  };
  const when = new Date('2026-01-02T03:04:05.678Z');
  for (let round = 1; round <= 2; round++) {
    const probe = parseRestoreProbe(sh(restoreProbeCommand(dataDir)).stdout);
    assert.deepEqual(probe, { dataDirExists: true, tool: 'etcdutl', bumpSupported: false }, 'the fake tools print no --help');
    const plan = planRestore(spec, when);
    assert.equal(plan.aside, `${dataDir}.tsplay-20260102T030405`);
    const r = sh(plan.command);
    assert.equal(r.code, 0, r.stderr);
    const out = parseRestoreOutput(r.stdout);
    assert.deepEqual(out, {
      status: { hash: 1, revision: 5, total_keys: 1, total_size: 24576 },
      tool: 'etcdutl',
      movedAside: round === 1 ? plan.aside : `${plan.aside}.2`,
      restoring: true,
      unchanged: false,
      bump: false,
    });
    assert.equal(recorded()[1], 'restore');
    assert.ok(!recorded().includes('--bump-revision'), 'not passed when the tool does not support it');
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
  }
  assert.equal(readFileSync(join(`${dataDir}.tsplay-20260102T030405`, 'member', 'old'), 'utf8'), 'old');
  const noBump = planRestore({ ...spec, bump_revision: undefined, mark_compacted: undefined }, when);
  assert.doesNotMatch(noBump.command, /--help|bump/, 'no --help asked when no bump is');
  assert.equal(asideName('/var/lib/etcd/', when), '/var/lib/etcd.tsplay-20260102T030405');
  noInjection();
});

test('restore to keep_data_dir: moved exactly there first, or nothing moved (no data dir, the path taken); a bad snapshot stops before the restore', () => {
  const dataDir = join(weird, 'kept-etcd');
  const keep = `${dataDir}.tsplay-20260102T030405`;
  writeFileSync(join(weird, 'k.db'), 'snapshot');
  const spec = {
    path: join(weird, 'k.db'),
    data_dir: dataDir,
    keep_data_dir: keep,
    name: 'n',
    initial_cluster: 'n=https://x:2380',
    initial_advertise_peer_urls: 'https://x:2380',
    initial_cluster_token: 't',
  };
  const plan = planRestore(spec, new Date());
  assert.equal(plan.aside, keep);
  const none = sh(plan.command);
  assert.equal(none.code, 3, 'no data dir to keep');
  assert.match(none.stderr, /no data dir at .* to keep/);
  assert.deepEqual(parseRestoreOutput(none.stdout), {
    status: undefined,
    tool: 'etcdctl',
    movedAside: null,
    restoring: false,
    bump: null,
    unchanged: false,
  });
  assert.equal(existsSync(dataDir), false, 'nothing restored');
  mkdirSync(join(dataDir, 'member'), { recursive: true });
  writeFileSync(join(dataDir, 'member', 'old'), 'old');
  mkdirSync(keep);
  const taken = sh(plan.command);
  assert.equal(taken.code, 3, 'the keep path is taken');
  assert.match(taken.stderr, /already exists/);
  assert.equal(readFileSync(join(dataDir, 'member', 'old'), 'utf8'), 'old', 'the data dir was not touched');
  assert.deepEqual(readdirSync(keep), [], 'nothing moved into the taken path');
  rmSync(keep, { recursive: true });
  const bad = sh(plan.command, `${failingBin}:/usr/bin:/bin`);
  assert.notEqual(bad.code, 0, 'a snapshot that fails its status');
  assert.deepEqual(parseRestoreOutput(bad.stdout), {
    status: undefined,
    tool: 'etcdutl',
    movedAside: keep,
    restoring: false,
    bump: null,
    unchanged: false,
  });
  assert.equal(readFileSync(join(keep, 'member', 'old'), 'utf8'), 'old', 'kept where the record says');
  assert.equal(existsSync(dataDir), false, 'nothing restored');
  rmSync(join(keep), { recursive: true });
  mkdirSync(join(dataDir, 'member'), { recursive: true });
  writeFileSync(join(dataDir, 'member', 'old'), 'old');
  const r = sh(plan.command);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(parseRestoreOutput(r.stdout), {
    status: { hash: 1, revision: 5, total_keys: 1, total_size: 24576 },
    tool: 'etcdutl',
    movedAside: keep,
    restoring: true,
    unchanged: false,
    bump: null,
  });
  assert.equal(readFileSync(join(keep, 'member', 'old'), 'utf8'), 'old');
  assert.deepEqual(readdirSync(join(dataDir, 'member')), [], 'the restored data dir is new');
  noInjection();
});

test('static pod: park (dir created 0700) and unpark with hostile dirs; idempotent plans', () => {
  const p = podPaths('etcd', join(weird, 'manifests'), join(weird, 'parked'));
  mkdirSync(join(weird, 'manifests'), { recursive: true });
  writeFileSync(p.manifest, 'kind: Pod\n');
  const at = (): ReturnType<typeof parseLocate> => parseLocate(sh(locateCommand(p)).stdout);
  assert.deepEqual(at(), { where: 'manifests', content: 'kind: Pod\n' });
  const stop = planStaticPod('stopped', 'manifests', p, 'h');
  assert.ok('command' in stop);
  assert.equal(sh(stop.command).code, 0);
  assert.equal(statSync(p.parkedDir).mode & 0o777, 0o700);
  assert.equal(at().where, 'parked');
  assert.deepEqual(planStaticPod('stopped', 'parked', p, 'h'), { changed: false });
  const start = planStaticPod('started', 'parked', p, 'h');
  assert.ok('command' in start);
  assert.equal(sh(start.command).code, 0);
  assert.equal(at().where, 'manifests');
  assert.deepEqual(planStaticPod('started', 'manifests', p, 'h'), { changed: false });
  assert.match(JSON.stringify(planStaticPod('started', 'absent', p, 'h')), /no .*etcd.yaml and no .* on h: nothing to start/);
  assert.match(JSON.stringify(planStaticPod('stopped', 'both', p, 'h')), /refusing to overwrite the parked copy/);
  noInjection();
});

test('process probe matches exactly the manifest argv (regex characters escaped), never itself', async () => {
  const argv = ['bash', '-c', 'sleep 30; true', 'member.a', '--x=[1]*(2)+$'];
  const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sh(processProbe(processPattern(argv))).code, 0, 'finds the running process');
    assert.notEqual(sh(processProbe(processPattern([...argv.slice(0, 3), 'memberXa', '--x=[1]*(2)+$']))).code, 0, '. is literal');
    assert.notEqual(sh(processProbe(processPattern(argv.slice(0, 4)))).code, 0, 'anchored: a prefix does not match');
  } finally {
    child.kill();
  }
  assert.notEqual(
    sh(processProbe(processPattern(['no-such-process', `--pattern=${weird}`]))).code,
    0,
    'the probe does not match its own shell',
  );
});

test('port and health probes against a loopback server', async () => {
  let status = 200;
  const server = createServer((_q, res) => res.writeHead(status).end('x')).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/healthz?x=1`;
  try {
    const run = (c: string, path?: string): Promise<number | null> =>
      new Promise((res) =>
        spawn('/bin/sh', ['-c', c], { env: { PATH: path ?? '/usr/bin:/bin' } })
          .on('exit', res)
          .on('error', () => res(-1)),
      );
    assert.equal(await run(portProbe('127.0.0.1', port)), 0);
    assert.equal(await run(healthProbe(url)), 0, 'curl');
    const noCurl = toolsOnly('nocurl', ['bash', 'timeout', 'head', 'grep', 'printf']);
    assert.equal(await run(healthProbe(url), noCurl), 0, 'bash /dev/tcp fallback without curl');
    status = 500;
    assert.notEqual(await run(healthProbe(url)), 0, 'curl: 500 is not healthy');
    assert.notEqual(await run(healthProbe(url), noCurl), 0, 'fallback: 500 is not healthy');
  } finally {
    server.closeAllConnections();
    server.close();
  }
  await new Promise((r) => setTimeout(r, 50));
  assert.notEqual(spawnSync('sh', ['-c', portProbe('127.0.0.1', port)]).status, 0, 'closed port');
});

test('the wait runs on the host: polls until every probe is in the wanted state, or reports what is pending at the timeout', () => {
  const flag = join(root, 'wait-flag');
  rmSync(flag, { force: true });
  const appears = spawn('/bin/sh', ['-c', `sleep 0.3; touch '${flag}'`]);
  const t0 = Date.now();
  const up = sh(
    waitCommand(
      [
        ['flag', `test -e '${flag}'`],
        ['always', 'true'],
      ],
      true,
      10,
    ),
  );
  assert.equal(up.stdout.trim(), 'flag=1 always=1');
  assert.ok(Date.now() - t0 < 3000, 'done once the flag appeared, not at the timeout');
  appears.kill();
  const t1 = Date.now();
  const pending = sh(
    waitCommand(
      [
        ['flag', `test -e '${flag}'`],
        ['never', 'false'],
      ],
      true,
      1,
    ),
  );
  assert.equal(pending.stdout.trim(), 'flag=1 never=0', 'the pending probe is reported');
  assert.ok(Date.now() - t1 >= 1000, 'waited at least the timeout');
  assert.equal(sh(waitCommand([['gone', `test -e '${flag}.no'`]], false, 5)).stdout.trim(), 'gone=0', 'down: exits 1 wanted');
  // a round stops at the first probe not there yet: the later ones are not run
  const ran = join(root, 'wait-ran');
  assert.equal(
    sh(
      waitCommand(
        [
          ['never', 'false'],
          ['later', `touch '${ran}'`],
        ],
        true,
        0,
      ),
    ).stdout.trim(),
    'never=0 later=0',
  );
  assert.ok(!existsSync(ran), 'the probe after a pending one did not run');
});

/** A PATH holding only the given tools (symlinks to this machine's), to run a wait without the others. */
function toolsOnly(name: string, tools: readonly string[]): string {
  return toolsPath(join(root, name), tools);
}

test('the wait loop in bash: a local port connected by the shell itself, the same answers as the POSIX loop', async () => {
  const server = createServer((_q, res) => res.end('x')).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const probe = portWaitProbe('port', '127.0.0.1', port, portProbe('127.0.0.1', port));
  const run = (up: boolean, path: string, timeoutS = 1): Promise<string> =>
    new Promise((res) => {
      let out = '';
      spawn('/bin/sh', ['-c', waitCommand([probe], up, timeoutS)], { env: { PATH: path } })
        .on('exit', () => res(out.trim()))
        .stdout.on('data', (d: Buffer) => (out += String(d)));
    });
  // bash without `timeout`, `date` or `sleep`: only a connect from the shell itself can see the port
  const bashOnly = toolsOnly('bash-only', ['bash', 'ip']);
  const posix = toolsOnly('posix-only', ['timeout', 'date', 'sleep', 'ss', 'grep']);
  const hasIp = spawnSync('sh', ['-c', 'command -v ip']).status === 0;
  try {
    if (hasIp) assert.equal(await run(true, bashOnly), 'port=1', 'bash: the listening port is seen with builtins only');
    assert.equal(await run(true, '/usr/bin:/bin'), 'port=1', 'bash loop with the tools');
    assert.equal(await run(true, posix), 'port=1', 'POSIX loop (no bash): ss');
    assert.equal(await run(false, '/usr/bin:/bin'), 'port=1', 'still open at the timeout: reported');
  } finally {
    server.closeAllConnections();
    server.close();
  }
  await new Promise((r) => setTimeout(r, 50));
  const t0 = Date.now();
  if (hasIp) assert.equal(await run(false, bashOnly), 'port=0', 'closed: seen at once');
  assert.equal(await run(false, posix), 'port=0', 'POSIX: closed');
  assert.ok(Date.now() - t0 < 900, 'a closed port ends the down-wait at once');
  assert.equal(await run(true, '/usr/bin:/bin', 1), 'port=0', 'never opened: pending at the timeout');
});

test('the wait loop in bash: a process probe follows the processes pgrep found, and sees one started meanwhile', async () => {
  const argv = ['sleep', '41.5'];
  const pattern = processPattern(argv);
  const first = spawn('sleep', ['41.5'], { stdio: 'ignore' });
  let second: ReturnType<typeof spawn> | undefined;
  try {
    await new Promise((r) => setTimeout(r, 100));
    const cmd = waitCommand([processWaitProbe('process', pattern)], false, 10);
    const waiting = new Promise<{ out: string; at: number }>((res) => {
      let out = '';
      spawn('/bin/sh', ['-c', cmd], { env: { PATH: '/usr/bin:/bin' } })
        .on('exit', () => res({ out: out.trim(), at: Date.now() }))
        .stdout.on('data', (d: Buffer) => (out += String(d)));
    });
    await new Promise((r) => setTimeout(r, 300));
    // the kubelet restarting it: a new process with the same command line while the first one goes away
    second = spawn('sleep', ['41.5'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
    first.kill();
    await new Promise((r) => setTimeout(r, 400));
    const stoppedAt = Date.now();
    second.kill();
    const done = await waiting;
    assert.equal(done.out, 'process=0');
    assert.ok(done.at >= stoppedAt, 'the wait lasted until the process started meanwhile was gone too');
    assert.ok(done.at - stoppedAt < 2000, 'and ended soon after');
    assert.equal(sh(waitCommand([processWaitProbe('process', pattern)], false, 0)).stdout.trim(), 'process=0', 'none running: down');
    const mine = spawn('sleep', ['41.5'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(sh(waitCommand([processWaitProbe('process', pattern)], true, 2)).stdout.trim(), 'process=1', 'running: up');
    mine.kill();
    assert.equal(
      sh(waitCommand([processWaitProbe('process', processPattern(['sleep', '41.']))], true, 0)).stdout.trim(),
      'process=0',
      'anchored, regex characters escaped: another command line does not match',
    );
  } finally {
    first.kill();
    second?.kill();
  }
});

test('after_closed targets: URLs and host:port parsed, other hosts probed from this one', async () => {
  assert.deepEqual(hostPort('https://127.0.1.37:2380'), { host: '127.0.1.37', port: 2380 });
  assert.deepEqual(hostPort('https://127.0.1.37:2380/version'), { host: '127.0.1.37', port: 2380 });
  assert.deepEqual(hostPort('[::1]:2380'), { host: '::1', port: 2380 });
  assert.deepEqual(hostPort('master-1.example.com:6443'), { host: 'master-1.example.com', port: 6443 });
  for (const bad of ['https://127.0.0.1', 'host', '127.0.0.1:99999', "a'b:1", '$(x):1']) assert.equal(hostPort(bad), undefined, bad);
  const server = createServer((_q, res) => res.end('x')).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const run = (c: string): Promise<number | null> =>
    new Promise((res) => spawn('/bin/sh', ['-c', c], { env: { PATH: '/usr/bin:/bin' } }).on('exit', res));
  try {
    assert.equal(await run(remotePortProbe('127.0.0.1', port)), 0, 'open');
  } finally {
    server.closeAllConnections();
    server.close();
  }
  await new Promise((r) => setTimeout(r, 50));
  assert.notEqual(await run(remotePortProbe('127.0.0.1', port)), 0, 'closed');
});

test('TLS health probe with a client certificate: curl, else openssl s_client, else no probe', async (t) => {
  if (spawnSync('sh', ['-c', 'command -v openssl && command -v curl']).status !== 0) return t.skip('needs openssl and curl');
  const dir = join(root, 'tls');
  mkdirSync(dir, { recursive: true });
  const ssl = (args: string): void => {
    const r = spawnSync('sh', ['-c', `cd '${dir}' && openssl ${args}`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  ssl('req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 1 -subj /CN=ca 2>/dev/null');
  const ext = join(dir, 'ext');
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  for (const n of ['server', 'client']) {
    ssl(`req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ${n}.key -out ${n}.csr -subj /CN=${n} 2>/dev/null`);
    ssl(`x509 -req -in ${n}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out ${n}.crt -days 1 -extfile ext 2>/dev/null`);
  }
  const read = (n: string): Buffer => readFileSync(join(dir, n));
  let status = 200;
  const server = createTlsServer(
    { key: read('server.key'), cert: read('server.crt'), ca: read('ca.crt'), requestCert: true, rejectUnauthorized: true },
    (_q, res) => res.writeHead(status).end('{}'),
  ).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/version`;
  const tls = { cacert: join(dir, 'ca.crt'), cert: join(dir, 'client.crt'), key: join(dir, 'client.key') };
  const noCurl = toolsOnly('tls-nocurl', ['openssl', 'timeout', 'head', 'grep', 'printf']);
  const noTools = toolsOnly('tls-notools', []);
  const run = (c: string, path = '/usr/bin:/bin'): Promise<number | null> =>
    new Promise((res) => spawn('/bin/sh', ['-c', c], { env: { PATH: path } }).on('exit', res));
  try {
    assert.equal(await run(tlsHealthProbe(url, tls)), 0, 'curl with the client certificate');
    assert.notEqual(await run(tlsHealthProbe(url, { cacert: tls.cacert })), 0, 'no client certificate: refused');
    assert.equal(await run(tlsHealthProbe(url, tls), noCurl), 0, 'openssl s_client without curl');
    assert.equal(await run(tlsHealthProbe(url, { cacert: tls.cacert }), noTools), 0, 'neither tool: no probe');
    status = 503;
    assert.notEqual(await run(tlsHealthProbe(url, tls)), 0, 'curl: 503 is not healthy');
    assert.notEqual(await run(tlsHealthProbe(url, tls), noCurl), 0, 'openssl: 503 is not healthy');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('tool versions and stderr tail', () => {
  assert.deepEqual(parseToolVersions('etcdctl version: 3.4.23\n'), { etcdctl: '3.4.23', etcdutl: null, offline: 'etcdctl' });
  assert.deepEqual(parseToolVersions('etcdctl version: 3.5.9\netcdutl version: 3.5.9\n'), {
    etcdctl: '3.5.9',
    etcdutl: '3.5.9',
    offline: 'etcdutl',
  });
  const noisy = `${'{"level":"warn","msg":"retrying of unary invoker failed"}\n'.repeat(50)}Error: etcdserver: unhealthy cluster\n`;
  assert.equal(stderrTail(noisy), 'Error: etcdserver: unhealthy cluster');
  assert.equal(readdirSync(root).includes('PWNED'), false);
});

test('restore of a verified snapshot: no second status, the fingerprint taken before the status must still match; any write since refuses it before the restore', () => {
  const dataDir = join(weird, 'verified-etcd');
  const keep = `${dataDir}.kept`;
  const file = join(weird, 'v.db');
  writeFileSync(file, 'snapshot');
  const status = sh(snapshotStatusCommand(file));
  assert.equal(status.code, 0, status.stderr);
  const verified = parseSnapshotFile(status.stdout);
  assert.match(verified.fingerprint ?? '', /^\d+:\d+:8:\d{4}-.* \+0000:\d{4}-.* \+0000$/, 'device:inode:size:mtime:ctime, in UTC');
  const spec = {
    path: file,
    data_dir: dataDir,
    keep_data_dir: keep,
    verified: { fingerprint: verified.fingerprint ?? '', revision: verified.revision },
    name: 'n',
    initial_cluster: 'n=https://x:2380',
    initial_advertise_peer_urls: 'https://x:2380',
    initial_cluster_token: 't',
  };
  const plan = planRestore(spec, new Date());
  assert.doesNotMatch(plan.command, /snapshot' 'status|snapshot status/, 'the status is not run again');
  mkdirSync(join(dataDir, 'member'), { recursive: true });
  const r = sh(plan.command);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(parseRestoreOutput(r.stdout), {
    status: undefined,
    unchanged: true,
    tool: 'etcdutl',
    movedAside: keep,
    restoring: true,
    bump: null,
  });
  assert.deepEqual(recorded().slice(0, 3), ['snapshot', 'restore', file], 'only the restore ran');
  // the same bytes written again (a copy over it): same size and content, yet a different file as far as the check knows
  rmSync(dataDir, { recursive: true });
  rmSync(keep, { recursive: true });
  mkdirSync(join(dataDir, 'member'), { recursive: true });
  writeFileSync(join(root, 'argv'), '');
  writeFileSync(file, 'snapshot');
  const changed = sh(plan.command);
  assert.equal(changed.code, 2);
  assert.match(changed.stderr, /changed since it was verified \(was \d+:.*, now: \d+:/);
  const out = parseRestoreOutput(changed.stdout);
  assert.equal(out.restoring, false, 'the restore did not start');
  assert.equal(out.unchanged, false);
  assert.deepEqual(recorded(), [], 'no tool ran');
  assert.equal(existsSync(dataDir), false, 'moved to keep_data_dir first, as the rollback record says');
  assert.ok(existsSync(join(keep, 'member')));
  noInjection();
});
