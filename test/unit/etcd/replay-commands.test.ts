// The temporary replay member's host commands, run for real with sh: which ports count as taken, and what the host
// says about a member that exited (its log is removed with it, so the error must carry its end).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { memberStateCommand, parseMemberState, PORTS_TAKEN, startCommand, type ReplayEtcd } from '../../../src/etcd/replay-commands.js';

const root = mkdtempSync(join(tmpdir(), 'tsplay-replay-cmd-'));
after(() => rmSync(root, { recursive: true, force: true }));

const sh = (cmd: string) => spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8' });
const hasSs = sh('command -v ss').status === 0;

/** A free port, found by binding port 0 and closing again. */
async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

test('a port held only by an outgoing connection (its local port) counts as taken: nothing is started', {
  skip: !hasSs && 'no ss',
}, async () => {
  const server = createServer((c) => c.on('error', () => undefined)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const local = await freePort();
  const client: Socket = connect({
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    localAddress: '127.0.0.1',
    localPort: local,
  });
  await new Promise((r) => client.once('connect', r));
  try {
    const workDir = join(root, 'taken');
    mkdirSync(workDir);
    // as the client port, and as the peer port
    for (const etcd of [
      { workDir, clientPort: local, peerPort: await freePort() },
      { workDir, clientPort: await freePort(), peerPort: local },
    ] satisfies ReplayEtcd[]) {
      const r = sh(startCommand(etcd));
      assert.equal(r.status, PORTS_TAKEN, r.stderr);
      assert.match(r.stderr, new RegExp(`port ${etcd.clientPort} or ${etcd.peerPort} is in use`));
      assert.equal(r.stdout, '', 'no pid: nothing was started');
    }
  } finally {
    client.destroy();
    server.close();
  }
});

test('the member state: running while the pid lives, else exited with the end of its log', async () => {
  const workDir = join(root, 'state');
  mkdirSync(workDir);
  const etcd: ReplayEtcd = { workDir, clientPort: 20001, peerPort: 25001 };
  writeFileSync(
    join(workDir, 'etcd.log'),
    `${Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')}\nlisten tcp 127.0.0.1:25001: bind: address already in use\n`,
  );
  const alive = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    assert.equal(sh(memberStateCommand(etcd, alive.pid)).stdout, 'running\n');
  } finally {
    alive.kill();
  }
  await new Promise((r) => alive.once('exit', r));
  const gone = sh(memberStateCommand(etcd, alive.pid)).stdout.split('\n');
  assert.equal(gone[0], 'exited');
  assert.equal(gone.length, 22, 'the last 20 lines of the log, after "exited"');
  assert.equal(gone[1], 'line 11');
  assert.match(gone[20] ?? '', /address already in use/);
  const parsed = parseMemberState(gone.join('\n'));
  assert.equal(parsed.exited, true);
  assert.match(parsed.log, /^line 11\n[\s\S]*address already in use\n$/, 'the log without the state line');
  assert.deepEqual(parseMemberState('running\n'), { exited: false, log: '' });
  assert.equal(sh(memberStateCommand({ ...etcd, workDir: join(root, 'none') }, undefined)).stdout, 'exited\n', 'no log: nothing more');
});
