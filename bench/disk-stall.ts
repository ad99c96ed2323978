// 7. etcd's writes while a large snapshot streams onto the masters (restore.yaml's download, before anything is
// stopped): the latency of a client's etcd writes and the API's blips during an s3_download of ~500 MiB to every
// master, then the `sync` restore.yaml runs after it. Run by bench/run.ts as a child process on its own lab instance
// (TSPLAY_LAB=bench); prints one Markdown section on stdout, progress on stderr.
//   TSPLAY_LAB=bench node --import tsx bench/disk-stall.ts [--runs N] [--mib 500] [--also CHECKOUT]
// --also CHECKOUT[,CHECKOUT…]: other tsplays (another checkout's bin/tsplay.js, built) measured in the same runs, alternating.
import { PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchApi } from '../test/lab/api-watch.js';
import { closeGateway } from '../test/lab/etcd-gateway.js';
import { putKey, deleteKeys } from '../test/lab/etcd-data.js';
import { labDown, labUp, type Lab } from '../test/lab/lab.js';
import { sleep } from '../test/lab/pids.js';
import { s3Client } from '../test/lab/s3.js';
import { s3 } from '../test/lab/topology.js';
import { tsplayBin } from './common.js';
import { arg, fmt, median } from './stats.js';

const RUNS = Number(arg('runs', '3'));
const MIB = Number(arg('mib', '500'));
const ALSO = arg('also', '').split(',').filter(Boolean);
const KEY = 'bench/disk-stall.bin';
/** Where restore.yaml puts the snapshot on each master (vars/etcd-defaults.yaml work_dir). */
const DEST = '/var/lib/tsplay/work/disk-stall.bin';
/** One small etcd write every this many ms while the download runs (a busy control plane's rate, roughly). */
const WRITE_EVERY_MS = 20;
const log = (s: string): void => void process.stderr.write(`[disk-stall ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

/** What one run saw. */
interface Run {
  seconds: number;
  writes: number[];
  /** Writes that failed (their time is in `writes` too: a failure is no fast write, so each is also shown). */
  failed: number;
  apiDownMs: number;
}

/** Puts a small key every WRITE_EVERY_MS through the first member's gateway until stopped; resolves with each put's latency (ms). */
function writer(): { stop(): Promise<{ took: number[]; failed: number }> } {
  let running = true;
  const took: number[] = [];
  let failed = 0;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const t = performance.now();
      await putKey(`/registry/bench/stall-${i % 100}`, `v${i}`).catch(() => void failed++);
      const d = performance.now() - t;
      took.push(d);
      await sleep(Math.max(0, WRITE_EVERY_MS - d));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { took, failed };
    },
  };
}

/** Runs the download playbook with a checkout's tsplay (throws unless it exits 0). */
function run(lab: Lab, playbook: string, bin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'run', playbook, '-i', lab.inventory, '--yes', '-o', 'plain', '--no-lock'], {
      env: { ...process.env, ...lab.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} exited ${String(code)}: ${err}`))));
  });
}

/** One measured run: the writer and the API watch around the playbook. */
async function measure(lab: Lab, playbook: string, bin: string): Promise<Run> {
  await sleep(1000);
  const w = writer();
  const api = watchApi(50);
  const t0 = Date.now();
  await run(lab, playbook, bin);
  const seconds = (Date.now() - t0) / 1000;
  await sleep(500);
  const [writes, seen] = await Promise.all([w.stop(), api.stop()]);
  closeGateway();
  return { seconds, writes: writes.took, failed: writes.failed, apiDownMs: seen.totalMs };
}

const over = (xs: number[], ms: number): number => xs.filter((x) => x > ms).length;
const describe = (r: Run): string =>
  `${fmt(r.seconds, 1)} s, ${r.writes.length} writes, slowest ${fmt(Math.max(...r.writes), 0)} ms, ${over(r.writes, 100)} over 100 ms, ${r.failed} failed, API down ${fmt(r.apiDownMs / 1000, 1)} s`;

const dir = await mkdtemp(join(tmpdir(), 'tsplay-disk-stall-'));
const series = new Map<string, Run[]>();
const add = (name: string, r: Run): void => void series.set(name, [...(series.get(name) ?? []), r]);
try {
  log('lab up');
  const lab = await labUp({ fresh: true });
  const client = s3Client();
  log(`uploading ${MIB} MiB of random bytes to ${s3.bucket}/${KEY}`);
  await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: KEY, Body: randomBytes(MIB * 2 ** 20) }));
  const playbook = join(dir, 'download.yaml');
  await writeFile(
    playbook,
    [
      '- name: a large object onto every master while etcd serves, as restore.yaml downloads its snapshot',
      '  hosts: masters',
      '  tasks:',
      '    - name: scratch directory',
      '      file: { path: /var/lib/tsplay/work, state: directory, mode: "0700" }',
      '    - name: download',
      `      s3_download: { bucket: ${s3.bucket}, key: ${KEY}, dest: ${DEST}, force: true }`,
      '    - name: flush it to disk',
      `      command: sync -- ${DEST}`,
      '    - name: remove it',
      `      command: rm -f -- ${DEST}`,
      '',
    ].join('\n'),
  );
  // the writer alone, nothing streaming: what a write costs on this machine
  const idle = writer();
  await sleep(10_000);
  const idleWrites = await idle.stop();
  closeGateway();
  add('idle', { seconds: 10, writes: idleWrites.took, failed: idleWrites.failed, apiDownMs: 0 });
  log(`idle: ${describe(series.get('idle')![0]!)}`);
  // each tsplay once per run, the order turned round every run (none always goes first)
  const order = ['tsplay', ...ALSO];
  for (let i = 0; i < RUNS; i++) {
    for (const name of i % 2 ? [...order].reverse() : order) {
      const r = await measure(lab, playbook, name === 'tsplay' ? tsplayBin : join(name, 'bin/tsplay.js'));
      add(name, r);
      log(`run ${i + 1} ${name}: ${describe(r)}`);
    }
  }
  await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: KEY }));
  client.destroy();
  await deleteKeys('/registry/bench/').catch(() => 0);
} finally {
  closeGateway();
  await labDown();
  await rm(dir, { recursive: true, force: true });
}

/** A checkout's name in the table: its commit. */
const label = (checkout: string): string => {
  const r = spawnSync('git', ['-C', checkout, 'log', '-1', '--format=%h %cs'], { encoding: 'utf8' });
  return r.status === 0 ? `tsplay at ${r.stdout.trim()} (${checkout})` : `tsplay at ${checkout}`;
};
const rows = [...series.entries()].map(([name, runs]) => {
  const slowest = runs.map((r) => Math.max(...r.writes));
  const all = runs.flatMap((r) => r.writes);
  return `| ${name === 'idle' ? 'no download (10 s)' : name === 'tsplay' ? 'tsplay' : label(name)} | ${name === 'idle' ? '–' : fmt(median(runs.map((r) => r.seconds)), 1)} | ${fmt(median(all), 0)} | ${slowest.map((x) => fmt(x, 0)).join(', ')} | ${runs.map((r) => over(r.writes, 100)).join(', ')} | ${runs.map((r) => over(r.writes, 500)).join(', ')} | ${runs.map((r) => r.failed).join(', ')} | ${runs.map((r) => fmt(r.apiDownMs / 1000, 1)).join(', ')} |`;
});
process.stdout.write(
  [
    `## 7. etcd's writes while a snapshot streams onto the masters`,
    '',
    `The lab (3 etcd 3.4 TLS static pods, kube-apiserver stand-ins, every host's disk the machine's one disk), ${RUNS} runs${ALSO.length ? ', alternating, the order turned round every run' : ''}. ` +
      `Each run: \`s3_download\` of a ${MIB} MiB object to every master at once (into restore.yaml's work_dir), then \`sync\` of the file (restore.yaml's "flush the snapshot to disk"), ` +
      `while the benchmark writes a small key every ${WRITE_EVERY_MS} ms through the first member's JSON gateway and watches every kube-apiserver's /healthz every 50 ms. ` +
      "A write waits for the leader and a quorum of members to fsync their WAL: when the kernel writes back a large file on the same disk at once, those fsyncs wait behind it (so does the apiserver stand-in's etcd check, which fails its /healthz). " +
      'The writer is one client, each write sent once the one before returned: a stall shows as one slow write, so the counts understate how many writes a busier control plane would have had waiting; the slowest write is the measure. ' +
      'The playbook time is the whole playbook (SSH set-up, the download, the `sync`, removing the file). The three hosts share one disk here; on a real control plane each master writes only its own copy, to its own disk.',
    '',
    '| run | playbook median (s) | write median (ms) | slowest write per run (ms) | writes over 100 ms per run | over 500 ms per run | failed writes per run | API down per run (s) |',
    '| --- | ---: | ---: | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
