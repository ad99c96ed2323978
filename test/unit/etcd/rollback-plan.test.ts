// etcd_rollback's probe and act commands run for real with sh against a temporary tree (hostile paths, a real
// process to wait for, a real listening port); the record is written by restore.yaml's own task, rendered.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseDocument } from 'yaml';
import {
  KEPT_DIR_MISSING,
  parseRestoreRecord,
  parseRollbackOutput,
  parseRollbackProbe,
  type PodToStop,
  podsToStop,
  ROLLBACK_PODS,
  rollbackActCommand,
  rollbackProbeCommand,
} from '../../../src/etcd/rollback-plan.js';
import { podPaths } from '../../../src/etcd/static-pod-plan.js';
import { renderString } from '../../../src/template/index.js';

const root = mkdtempSync(join(tmpdir(), 'tsplay-rollback-'));
after(() => rmSync(root, { recursive: true, force: true }));
const sh = (cmd: string): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync('sh', ['-c', cmd], { cwd: root, env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
/** sh without blocking the event loop (the test's own timers stand in for the kubelet meanwhile). */
const shAsync = (cmd: string): Promise<{ code: number | null; stdout: string }> =>
  new Promise((resolve) => {
    const c = spawn('sh', ['-c', cmd], { cwd: root });
    let stdout = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.on('close', (code) => resolve({ code, stdout }));
  });
const noInjection = (dir: string): void => assert.equal(existsSync(join(dir, 'PWNED')), false, 'nothing in a path was executed');

/** restore.yaml's "record what is about to change" command, rendered with these values (and the record path moved). */
function recordWriter(vars: { data_dir: string; kept: string; snapshot: string }, record: string): string {
  const doc = parseDocument(readFileSync(new URL('../../../playbooks/restore.yaml', import.meta.url), 'utf8')).toJS() as unknown;
  const text = JSON.stringify(doc);
  const m = /"name":"record what is about to change \(for rollback\)","shell":("(?:[^"\\]|\\.)*")/.exec(text);
  assert.ok(m?.[1], 'restore.yaml still has its record task');
  const template = (JSON.parse(m[1]) as string)
    .replaceAll('/var/lib/tsplay/restore-state', record)
    .replaceAll('/var/lib/tsplay', join(record, '..'));
  return renderString(template, { etcd: { data_dir: vars.data_dir }, kept_data_dir: vars.kept, restore_name: vars.snapshot }, {});
}

/** A tree like a master's after a restore that stopped halfway: data dir (restored), the kept original, the record. */
function master(name: string): { dir: string; record: string; data: string; kept: string; manifests: string; parked: string } {
  const dir = join(root, name, `it's "x" $(touch PWNED) \`y\``);
  const data = join(dir, 'var lib', 'etcd');
  const kept = `${data}.tsplay-20261207T101010`;
  const manifests = join(dir, 'manifests');
  const parked = join(dir, 'parked');
  // the record's own path is a literal in restore.yaml's command: a plain one here (the values are the hostile part)
  const state = join(root, name, 'tsplay');
  for (const d of [join(data, 'member'), join(kept, 'member'), manifests, parked, state]) mkdirSync(d, { recursive: true });
  writeFileSync(join(data, 'member', 'which'), 'restored');
  writeFileSync(join(kept, 'member', 'which'), 'original');
  const record = join(state, 'restore-state');
  const w = sh(recordWriter({ data_dir: data, kept, snapshot: "snap 'x'.db" }, record));
  assert.equal(w.code, 0, w.stderr);
  return { dir, record, data, kept, manifests, parked };
}

const manifest = (argv: string[]): string =>
  `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: x\n    command:\n${argv.map((a) => `    - ${JSON.stringify(a)}`).join('\n')}\n`;

function podsOf(m: ReturnType<typeof master>, stdout: string, port: number, argv: Record<string, string[]>): PodToStop[] {
  const probe = parseRollbackProbe(stdout, 2);
  const pods = podsToStop(
    probe.pods,
    ROLLBACK_PODS.map((n) => podPaths(n, m.manifests, m.parked)),
    '127.0.0.1',
    port,
  );
  for (const p of pods)
    assert.ok(
      p.probes.some(([n]) => n.endsWith('_process')),
      `${p.name}: a process probe from ${argv[p.name]?.join(' ')}`,
    );
  return pods;
}

test('the record restore.yaml writes is read back exactly (hostile paths), never sourced', () => {
  const m = master('record');
  const text = readFileSync(m.record, 'utf8');
  assert.deepEqual(parseRestoreRecord(text), { dataDir: m.data, movedAside: m.kept });
  noInjection(join(m.dir, '..'));
  // what is not restore.yaml's record
  assert.equal(parseRestoreRecord('data_dir=/var/lib/etcd\n'), undefined, 'no moved_aside');
  assert.equal(parseRestoreRecord('data_dir=$(reboot)\nmoved_aside=/x\n'), undefined, 'an expansion is not a word');
  assert.equal(parseRestoreRecord('data_dir=relative\nmoved_aside=/x\n'), undefined, 'relative path');
  assert.equal(parseRestoreRecord("data_dir='/a'\\''b'\nmoved_aside=/a.kept\n")?.dataDir, "/a'b");
});

test('probe: the record and both manifests, wherever they are (one command, markers survive files without a final newline)', () => {
  const m = master('probe');
  writeFileSync(join(m.parked, 'kube-apiserver.yaml'), manifest(['kube-apiserver-x', '--a']).trimEnd());
  writeFileSync(join(m.manifests, 'etcd.yaml'), manifest(['etcd-x', '--b']));
  const pods = ['kube-apiserver', 'etcd'].map((n) => podPaths(n, m.manifests, m.parked));
  const r = sh(rollbackProbeCommand(m.record, pods));
  assert.equal(r.code, 0, r.stderr);
  const p = parseRollbackProbe(r.stdout, 2);
  assert.deepEqual(parseRestoreRecord(p.record ?? ''), { dataDir: m.data, movedAside: m.kept });
  assert.deepEqual(
    p.pods.map((x) => x.where),
    ['parked', 'manifests'],
  );
  assert.match(p.pods[0]?.content ?? '', /kube-apiserver-x/);
  rmSync(m.record);
  const none = parseRollbackProbe(sh(rollbackProbeCommand(m.record, pods)).stdout, 2);
  assert.equal(none.record, undefined);
  assert.throws(() => parseRollbackProbe('something else', 2), /unexpected output reading the restore record/);
});

test('act: parks both pods, waits until each is gone, then swaps the data dirs and renames the record', async () => {
  const m = master('act');
  const argv = { 'kube-apiserver': ['sleep', '31.5'], etcd: ['sleep', '32.5'] };
  writeFileSync(join(m.manifests, 'kube-apiserver.yaml'), manifest(argv['kube-apiserver']));
  writeFileSync(join(m.parked, 'etcd.yaml'), manifest(argv.etcd));
  // stand-ins for the pods: a "kube-apiserver" that the kubelet stops 0.5 s after its manifest moved
  const api = spawn('sleep', ['31.5'], { stdio: 'ignore' });
  const watcher = setInterval(() => {
    if (!existsSync(join(m.manifests, 'kube-apiserver.yaml'))) api.kill();
  }, 500);
  try {
    const port = 1;
    const paths = ['kube-apiserver', 'etcd'].map((n) => podPaths(n, m.manifests, m.parked));
    const pods = podsOf(m, sh(rollbackProbeCommand(m.record, paths)).stdout, port, argv);
    const act = rollbackActCommand(parseRestoreRecord(readFileSync(m.record, 'utf8')) ?? assert.fail('record'), m.record, pods, 'h', 10);
    assert.ok(!('error' in act));
    assert.deepEqual(
      act.parks.map((p) => p.manifest),
      [join(m.manifests, 'kube-apiserver.yaml')],
      'only the pod still in the manifests dir is parked',
    );
    const started = Date.now();
    const r = await shAsync(act.command);
    assert.equal(r.code, 0);
    assert.ok(Date.now() - started >= 400, 'it waited for the kube-apiserver process to go');
    const out = parseRollbackOutput(r.stdout, pods);
    assert.ok(out.swapped, r.stdout);
    assert.match(out.keptAt ?? '', /\.failed-\d{8}T\d{6}$/);
    assert.equal(readFileSync(join(m.data, 'member', 'which'), 'utf8'), 'original');
    assert.equal(readFileSync(join(out.keptAt ?? '', 'member', 'which'), 'utf8'), 'restored');
    assert.equal(existsSync(m.kept), false);
    assert.equal(existsSync(m.record), false);
    assert.ok(readdirSync(join(m.record, '..')).some((f) => f.startsWith('restore-state.rolled-back-')));
    assert.ok(existsSync(join(m.parked, 'kube-apiserver.yaml')));
    noInjection(join(m.dir, '..'));
  } finally {
    clearInterval(watcher);
    api.kill();
  }
});

test('act: etcd still listening at the timeout leaves both data dirs as they are, and says which probe held it', async () => {
  const m = master('held');
  const argv = { 'kube-apiserver': ['sleep', '33.5'], etcd: ['sleep', '34.5'] };
  writeFileSync(join(m.parked, 'kube-apiserver.yaml'), manifest(argv['kube-apiserver']));
  writeFileSync(join(m.parked, 'etcd.yaml'), manifest(argv.etcd));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const paths = ['kube-apiserver', 'etcd'].map((n) => podPaths(n, m.manifests, m.parked));
    const pods = podsOf(m, sh(rollbackProbeCommand(m.record, paths)).stdout, port, argv);
    const act = rollbackActCommand(parseRestoreRecord(readFileSync(m.record, 'utf8')) ?? assert.fail('record'), m.record, pods, 'h', 1);
    assert.ok(!('error' in act));
    const r = await shAsync(act.command);
    assert.equal(r.code, 0);
    assert.deepEqual(parseRollbackOutput(r.stdout, pods), { swapped: false, pending: [{ pod: 'etcd', probes: ['etcd_port'] }] });
    assert.equal(readFileSync(join(m.data, 'member', 'which'), 'utf8'), 'restored', 'nothing moved');
    assert.ok(existsSync(m.kept) && existsSync(m.record));
  } finally {
    server.close();
  }
});

test('act: refuses before stopping anything when the kept data dir is gone, or when a manifest is in both places', () => {
  const m = master('refuse');
  writeFileSync(join(m.manifests, 'kube-apiserver.yaml'), manifest(['sleep', '35.5']));
  writeFileSync(join(m.manifests, 'etcd.yaml'), manifest(['sleep', '36.5']));
  const paths = ['kube-apiserver', 'etcd'].map((n) => podPaths(n, m.manifests, m.parked));
  const pods = podsOf(m, sh(rollbackProbeCommand(m.record, paths)).stdout, 1, { 'kube-apiserver': ['sleep'], etcd: ['sleep'] });
  const rec = parseRestoreRecord(readFileSync(m.record, 'utf8')) ?? assert.fail('record');
  rmSync(m.kept, { recursive: true });
  const act = rollbackActCommand(rec, m.record, pods, 'h', 1);
  assert.ok(!('error' in act));
  const r = sh(act.command);
  assert.equal(r.code, KEPT_DIR_MISSING);
  assert.match(r.stderr, /the kept data dir .* is missing: nothing stopped, nothing moved/);
  assert.ok(existsSync(join(m.manifests, 'kube-apiserver.yaml')) && existsSync(join(m.manifests, 'etcd.yaml')), 'no pod was stopped');
  const both = rollbackActCommand(rec, m.record, [{ ...(pods[0] ?? assert.fail('pod')), where: 'both' }], 'h', 1);
  assert.ok('error' in both && /refusing to overwrite the parked copy/.test(both.error));
});
