// 4. Full restore drill on the lab with a ~500 MiB snapshot: etcd-backup.yaml, break, restore.yaml; wall time per phase.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeGateway } from '../test/lab/etcd-gateway.js';
import { deleteKeys, putKey } from '../test/lab/etcd-data.js';
import { labReset, labUp, type Lab } from '../test/lab/lab.js';
import { repo, tsplayBin } from './common.js';
import { fmt, log } from './stats.js';

const MiB = 2 ** 20;
const VALUE_BYTES = 768 * 1024; // under etcd's default 1.5 MiB request limit once base64-encoded by the gateway
const TARGET_MIB = 500;

interface JsonEvent {
  type: string;
  ts: string;
  play?: string;
  task?: string;
  host?: string;
  status?: string;
  durationMs?: number;
  exitCode?: number;
}

/** Runs a playbook on the lab with `-o json`; returns its events and wall time. */
function runJson(lab: Lab, playbook: string, extra: string[] = []): Promise<{ events: JsonEvent[]; seconds: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [tsplayBin, 'run', `playbooks/${playbook}`, '-i', lab.inventory, '--yes', '-o', 'json', ...extra],
      { cwd: repo, env: { ...process.env, ...lab.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const events = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as JsonEvent);
      if (code !== 0) {
        const failed = events.filter((e) => e.type === 'host-result' && (e.status === 'failed' || e.status === 'unreachable'));
        log(
          `${playbook} exited ${String(code)}: ${failed.map((e) => `${e.host ?? ''} ${e.task ?? ''}: ${(e as { msg?: string }).msg ?? ''}`).join('; ')} ${err}`,
        );
      }
      resolve({ events, seconds: Number(process.hrtime.bigint() - t0) / 1e9, code });
    });
  });
}

/** Wall time of each play (play-start → play-end) and the slowest tasks, from the JSON events. */
function phases(events: JsonEvent[]): { plays: Array<[string, number]>; tasks: Array<[string, number]> } {
  const plays: Array<[string, number]> = [];
  let open: { name: string; t: number } | undefined;
  for (const e of events) {
    if (e.type === 'play-start') open = { name: e.play ?? '?', t: Date.parse(e.ts) };
    if (e.type === 'play-end' && open) {
      plays.push([open.name, (Date.parse(e.ts) - open.t) / 1000]);
      open = undefined;
    }
  }
  const tasks = events.filter((e) => e.type === 'task-end').map((e): [string, number] => [e.task ?? '?', (e.durationMs ?? 0) / 1000]);
  return { plays, tasks: tasks.sort((a, b) => b[1] - a[1]).slice(0, 8) };
}

async function dbSizeMiB(lab: Lab): Promise<number> {
  const m = lab.members[0]!;
  const r = await lab.etcdctl(m.host, ['endpoint', 'status', '-w', 'json']);
  const s = JSON.parse(r.stdout) as Array<{ Status: { dbSize: number } }>;
  return (s[0]?.Status.dbSize ?? 0) / MiB;
}

async function keyCount(lab: Lab, host: string): Promise<number> {
  const r = await lab.etcdctl(host, ['get', '/', '--prefix', '--keys-only', '--limit', '1', '-w', 'json']);
  return (JSON.parse(r.stdout) as { count?: number }).count ?? 0;
}

export async function restoreDrill(): Promise<string> {
  log('restore drill: lab up and reset to the seed data');
  await labUp();
  const lab = await labReset();
  try {
    const n = Math.ceil((TARGET_MIB * MiB) / VALUE_BYTES);
    log(`restore drill: writing ${n} incompressible values of ${VALUE_BYTES / 1024} KiB`);
    const t0 = Date.now();
    for (let i = 0; i < n; i += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, n - i) }, (_, j) =>
          putKey(`/registry/bench/blob-${String(i + j).padStart(5, '0')}`, randomBytes(VALUE_BYTES)),
        ),
      );
    }
    const fillS = (Date.now() - t0) / 1000;
    const db = await dbSizeMiB(lab);
    const keysBefore = await keyCount(lab, lab.members[0]!.host);
    log(`restore drill: db ${fmt(db, 0)} MiB, ${keysBefore} keys (filled in ${fmt(fillS, 0)} s); backing up`);
    const backup = await runJson(lab, 'etcd-backup.yaml');
    if (backup.code !== 0) throw new Error(`etcd-backup.yaml failed (exit ${String(backup.code)})`);
    const deleted = await deleteKeys('/registry/bench/blob-000');
    log(`restore drill: deleted ${deleted} keys; restoring`);
    const restore = await runJson(lab, 'restore.yaml');
    if (restore.code !== 0) throw new Error(`restore.yaml failed (exit ${String(restore.code)})`);
    const counts = await Promise.all(lab.members.map((m) => keyCount(lab, m.host)));
    const ok = counts.every((c) => c === keysBefore);
    const b = phases(backup.events);
    const r = phases(restore.events);
    return [
      '## 4. Restore drill: ~500 MiB snapshot on the lab',
      '',
      `The lab's 3 etcd members (TLS static pods, 127.0.1.1-3) filled with ${n} incompressible values of ${VALUE_BYTES / 1024} KiB (etcd db ${fmt(db, 0)} MiB, ${keysBefore} keys). \`playbooks/etcd-backup.yaml\` (snapshot, verify, stream to s3rver), then ${deleted} keys deleted, then \`playbooks/restore.yaml --yes\` (preflight, stop, keep the data dirs, download and restore on every member, start, verify). One run; times from the JSON events.`,
      '',
      `| playbook | wall (s) |`,
      '| --- | ---: |',
      `| etcd-backup.yaml | ${fmt(backup.seconds, 1)} |`,
      `| restore.yaml | ${fmt(restore.seconds, 1)} |`,
      '',
      'Restore, per play:',
      '',
      '| play | wall (s) |',
      '| --- | ---: |',
      ...r.plays.map(([name, s]) => `| ${name} | ${fmt(s, 1)} |`),
      '',
      'Slowest tasks (restore; durations are the task across all hosts):',
      '',
      '| task | wall (s) |',
      '| --- | ---: |',
      ...r.tasks.map(([name, s]) => `| ${name} | ${fmt(s, 1)} |`),
      '',
      'Slowest tasks (backup):',
      '',
      '| task | wall (s) |',
      '| --- | ---: |',
      ...b.tasks.slice(0, 4).map(([name, s]) => `| ${name} | ${fmt(s, 1)} |`),
      '',
      `After the restore every member has ${counts.join(' / ')} keys (before the backup: ${keysBefore}): ${ok ? 'the deleted keys are back on all three' : '**MISMATCH**'}.`,
      '',
    ].join('\n');
  } finally {
    log('restore drill: resetting the lab to the seed data');
    await labReset().catch((e: unknown) => log(`lab reset failed: ${String(e)}`));
    closeGateway();
  }
}
