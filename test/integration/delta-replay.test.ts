import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { resolveConnectionSpec } from '../../src/connection/connection-spec.js';
import { writeDelta, type DeltaEvent } from '../../src/store/delta.js';
import { formatSnapshotName, type Compression } from '../../src/store/names.js';
import { removeReplayMember, startReplayMember, type TemporaryMember } from '../../src/tasks/etcd-delta-replay.js';
import type { ModuleContext } from '../../src/tasks/module.js';
import { LocalTransport } from '../../src/transports/local.js';
import { snapshotRestore, snapshotSave, startSingleEtcd, type SingleEtcd } from '../support/etcd-single.js';
import { startS3rver, type TestS3 } from '../support/s3rver.js';
import { tsplay } from '../support/cli.js';
import { toolsPath } from '../support/tools-path.js';
import { parseWatchOutput } from '../support/watch-events.js';

// Deltas made from a real etcd watch, written in etcd-backup-restore's format (every compression), replayed by
// etcd_delta_replay onto the Full snapshot: the result must hold exactly the source's keys, values and revision.
let s3: TestS3;
let source: SingleEtcd;
let dir: string;
const saved: Record<string, string | undefined> = {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-replay-'));
  s3 = await startS3rver();
  for (const [k, v] of Object.entries(s3.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  source = await startSingleEtcd({ port: 23411 });
});

after(async () => {
  await source?.stop();
  await s3?.stop();
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

/** Binary, protobuf-like values (with NUL and non-UTF-8 bytes). */
const value = (i: number): Buffer =>
  Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0xff, 0xfe, i & 0xff, 0x00, 0x80]), Buffer.from(`pod-${i}`)]);

/** Every event after `rev`, from `etcdctl watch -w json`, as delta events. */
async function watchFrom(endpoint: string, rev: number, until: number): Promise<DeltaEvent[]> {
  const child = spawn('etcdctl', [`--endpoints=${endpoint}`, 'watch', '--prefix', '', `--rev=${rev}`, '-w', 'json'], {
    env: { ...process.env, ETCDCTL_API: '3' },
  });
  let text = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('watch did not reach the last revision')), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.endsWith('\n') && parseWatchOutput(text).at(-1)?.modRevision === until) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.kill();
  return parseWatchOutput(text);
}

test('deltas from a real watch, in every compression, replay to exactly the source state and revision', async () => {
  for (let i = 0; i < 40; i++) await source.put(`/registry/pods/default/pod-${i}`, value(i));
  const fullRev = await source.revision();
  const full = join(dir, 'full.db');
  snapshotSave(source.endpoint, full);

  // Changes after the Full snapshot: updates, deletes, a multi-key transaction, binary keys.
  await source.put('/registry/pods/default/pod-1', value(101));
  await source.del('/registry/pods/default/pod-2');
  await source.putMany([
    ['/registry/services/a', value(7)],
    ['/registry/services/b', value(8)],
  ]);
  await source.put(Buffer.from([0x2f, 0x00, 0xff, 0x01]), value(9));
  const mid = await source.revision();
  for (let i = 40; i < 50; i++) await source.put(`/registry/secrets/kube-system/s-${i}`, value(i));
  await source.del('/registry/pods/default/pod-3');
  await source.put('/registry/pods/default/pod-1', value(202));
  const last = await source.revision();

  const events = await watchFrom(source.endpoint, fullRev + 1, last);
  const first = events.filter((e) => e.modRevision <= mid);
  const second = events.filter((e) => e.modRevision > mid);
  const client = s3.client();
  const compressions: Compression[] = ['none', 'gzip', 'lzw', 'zlib'];
  for (const [i, c] of compressions.entries()) {
    const prefix = `case${i}`;
    const n1 = formatSnapshotName({
      kind: 'Incr',
      startRevision: fullRev + 1,
      lastRevision: mid,
      createdAt: 1700000000 + i,
      compression: c,
      final: false,
    });
    const n2 = formatSnapshotName({
      kind: 'Incr',
      startRevision: mid + 1,
      lastRevision: last,
      createdAt: 1700000100 + i,
      compression: c,
      final: false,
    });
    await client.send(new PutObjectCommand({ Bucket: 'etcd-backup', Key: `${prefix}/v2/${n1}`, Body: await writeDelta(first, c) }));
    await client.send(new PutObjectCommand({ Bucket: 'etcd-backup', Key: `${prefix}/v2/${n2}`, Body: await writeDelta(second, c) }));
    const dest = join(dir, `final-${c}.db`);
    const pb = join(dir, `replay-${c}.yaml`);
    writeFileSync(
      pb,
      `- hosts: all
  tasks:
    - name: replay
      etcd_delta_replay:
        snapshot: ${full}
        bucket: etcd-backup
        deltas: ["${prefix}/v2/${n1}", "${prefix}/v2/${n2}"]
        dest: ${dest}
      register: r
`,
    );
    const run = await tsplay([
      'run',
      pb,
      '-i',
      'localhost,',
      '-e',
      'ansible_connection=local',
      '-o',
      'json',
      '--no-lock',
      '--journal',
      join(dir, `j-${c}.jsonl`),
    ]);
    assert.equal(run.code, 0, `${c}: ${run.stderr}${JSON.stringify(run.events.filter((e) => e.type === 'host-result'))}`);
    const r = run.events.find((e) => e.type === 'host-result');
    assert.equal(r?.type === 'host-result' && r.result['revision'], last, c);

    // The final snapshot restores to the source's exact keys, values and revision.
    const dataDir = join(dir, `restored-${c}`);
    snapshotRestore(dest, dataDir, 'check', 'http://127.0.0.1:23422');
    const restored = await startSingleEtcd({ port: 23421, dataDir, name: 'check' });
    try {
      assert.deepEqual(await restored.dump(), await source.dump(), `${c}: keys and values`);
      assert.equal(await restored.revision(), last, `${c}: revision`);
    } finally {
      await restored.stop();
    }
  }
  client.destroy();
});

test('a delta with a wrong digest stops the replay before anything is written', async () => {
  const rev = await source.revision();
  const full = join(dir, 'full2.db');
  snapshotSave(source.endpoint, full);
  await source.put('/registry/x', 'y');
  const events = await watchFrom(source.endpoint, rev + 1, rev + 1);
  const body = await writeDelta(events, 'none');
  body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 0xff;
  const name = formatSnapshotName({
    kind: 'Incr',
    startRevision: rev + 1,
    lastRevision: rev + 1,
    createdAt: 1700000500,
    compression: 'none',
    final: false,
  });
  const client = s3.client();
  await client.send(new PutObjectCommand({ Bucket: 'etcd-backup', Key: `bad/v2/${name}`, Body: body }));
  client.destroy();
  const dest = join(dir, 'never.db');
  const pb = join(dir, 'bad.yaml');
  writeFileSync(
    pb,
    `- hosts: all\n  tasks:\n    - name: replay\n      etcd_delta_replay: { snapshot: ${full}, bucket: etcd-backup, deltas: ["bad/v2/${name}"], dest: ${dest} }\n`,
  );
  const run = await tsplay([
    'run',
    pb,
    '-i',
    'localhost,',
    '-e',
    'ansible_connection=local',
    '-o',
    'json',
    '--no-lock',
    '--journal',
    join(dir, 'bad.jsonl'),
  ]);
  assert.equal(run.code, 2);
  const r = run.events.find((e) => e.type === 'host-result');
  assert.match(r?.type === 'host-result' ? r.msg : '', /digest|SHA-256|integrity/i);
  assert.ok(!run.stdout.includes(s3.secretAccessKey));
});

/**
 * Holds 127.0.0.1:PORT (25000-29999) as the local port of an outgoing connection made without SO_REUSEADDR (as most
 * clients make them): etcd cannot bind it, yet nothing listens on it. Resolves with the port.
 */
async function holdPeerPort(): Promise<{ port: number; release: () => void }> {
  const py = [
    'import random, socket, sys',
    "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()",
    'while True:',
    '    c = socket.socket(); p = random.randint(25000, 29999)',
    "    try: c.bind(('127.0.0.1', p)); break",
    '    except OSError: c.close()',
    'c.connect(srv.getsockname()); print(p, flush=True); sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', py], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (b: Buffer) => resolve(Number(String(b).trim())));
    child.once('exit', (code) => reject(new Error(`python3 exited ${String(code)}`)));
  });
  return { port, release: () => child.stdin.end() };
}

/** A client port in 20000-24999 whose peer port (5000 above) is free too, found by binding both and closing again. */
async function freeReplayPorts(): Promise<number> {
  const bindable = (port: number): Promise<boolean> =>
    new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 5000);
    if ((await bindable(port)) && (await bindable(port + 5000))) return port;
  }
}

/** A PATH with the tools the replay member's commands use, and no `ss` (only etcd's own bind can find a taken port). */
function pathWithoutSs(): string {
  return toolsPath(join(dir, 'bin-no-ss'), [
    'sh',
    'mkdir',
    'chmod',
    'etcd',
    'etcdctl',
    'etcdutl',
    'setsid',
    'nohup',
    'tail',
    'rm',
    'seq',
    'sleep',
    'grep',
    'cat',
    'mv',
  ]);
}

test('a temporary member etcd cannot bind is set up again on other ports, its exit seen at once and explained by its log', async () => {
  const full = join(dir, 'full3.db');
  snapshotSave(source.endpoint, full);
  const held = await holdPeerPort();
  const transport = new LocalTransport(resolveConnectionSpec('localhost', { ansible_connection: 'local' }).spec!);
  const ctx = {
    host: 'localhost',
    transport,
    check: false,
    signal: new AbortController().signal,
    become: undefined,
    timeoutMs: 60_000,
    env: { PATH: pathWithoutSs() },
    dir,
    vars: {},
    onOutput: () => undefined,
  } as unknown as ModuleContext;
  const tunnel = transport.openTunnel.bind(transport);
  const member: TemporaryMember = {};
  try {
    // the first pick's peer port (client + 5000) is the held one; the second is free
    const free = await freeReplayPorts();
    const picks = [held.port - 5000, free];
    const t0 = Date.now();
    const up = await startReplayMember(ctx, { snapshot: full, dest: join(dir, 'retry.db') }, tunnel, member, () => picks.shift() ?? 24999);
    assert.equal(up.etcd.clientPort, free, 'started on the second ports');
    assert.ok(up.revision > 0);
    assert.ok(Date.now() - t0 < 15_000, `the failed start was seen at once (${Date.now() - t0} ms), not after the 20 s wait`);
    assert.ok(!existsSync(join(dir, `retry.db.replay-${held.port - 5000}`)), "the first attempt's work dir is removed");
    await removeReplayMember(ctx, member);
    assert.ok(!existsSync(up.etcd.workDir));

    // every try on the held port: the error carries the end of etcd's log (its work dir, and the log, are gone)
    await assert.rejects(
      startReplayMember(ctx, { snapshot: full, dest: join(dir, 'never2.db') }, tunnel, member, () => held.port - 5000),
      (e: Error) => /exited before it answered; the end of its log: .*address already in use/.test(e.message),
    );
  } finally {
    await removeReplayMember(ctx, member);
    held.release();
    await transport.close();
  }
});
