// Faults on the lab (issue #8): each fault is injected into a real run of the CLI (bin/tsplay.js, a child process)
// with the shipped playbooks, and each must end with (1) the documented exit code, (2) a report that names the host,
// the task, what failed and what to do next, (3) no stray process of the run, neither on the controller nor on the
// hosts, and (4) no lost etcd data dir.
//
// Runs on its own lab instance (TSPLAY_LAB=faults: .lab-faults/, 127.0.1.61-63, S3 on 127.0.0.1:9061), so it never
// disturbs the shared default lab. FAULTS_KEEP_LAB=1 reuses a running faults lab and leaves it up (for development:
// `TSPLAY_LAB=faults npm run lab:up`, then `FAULTS_KEEP_LAB=1 npx tsx --test test/integration/faults.test.ts`);
// FAULTS_VERBOSE=1 prints every run's report; FAULTS_ONLY=REGEX runs only the matching cases.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Lab } from '../lab/lab.js';
import type { KeyValue } from '../lab/etcd-data.js';

// The lab modules read TSPLAY_LAB once, when they load: select this suite's instance first.
process.env['TSPLAY_LAB'] = 'faults';
const { labReset, labUp } = await import('../lab/lab.js');
const { withLab } = await import('../lab/with-lab.js');
const { deleteKeys, dumpAll, putKey } = await import('../lab/etcd-data.js');
const { pidsInNamespace } = await import('../lab/hosts/proc.js');
const { startSshd } = await import('../lab/hosts/sshd.js');
const { readPids, isAlive } = await import('../lab/pids.js');
const { bucketExists, startS3, waitForBucket } = await import('../lab/s3.js');
const { labDir, repoRoot } = await import('../lab/topology.js');

const keep = process.env['FAULTS_KEEP_LAB'] === '1';
const bin = join(repoRoot, 'bin/tsplay.js');
const pb = (name: string): string => join(repoRoot, 'playbooks', name);
const scratch = mkdtempSync(join(tmpdir(), 'tsplay-faults-'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let lab: Lab;
let runs = 0;

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI

interface JournalEvent {
  type: string;
  task?: string;
  host?: string;
  status?: string;
  msg?: string;
  exitCode?: number;
  stopped?: { reason: string };
}
interface CliRun {
  code: number | null;
  /** stdout + stderr: the report an operator reads. */
  report: string;
  stderr: string;
  journal: string;
  events: JournalEvent[];
  /** Processes still alive afterwards that the run started (they carry its marker in their environment). */
  leftovers: string[];
}

/**
 * Runs `tsplay run PLAYBOOK -i <lab inventory> --yes -o plain` as a child process (S3 credentials from the lab);
 * onLine sees each stdout line as it comes. Every process the run starts inherits TSPLAY_FAULT_RUN=<id>, so
 * leftovers on the controller are found by their environment.
 */
async function run(
  playbook: string,
  args: string[] = [],
  o: { env?: Record<string, string>; onLine?: (line: string, child: ChildProcess) => void; argv?: string[]; journal?: string } = {},
): Promise<CliRun> {
  const id = `${process.pid}-${++runs}`;
  const journal = o.journal ?? join(scratch, `run-${runs}.jsonl`);
  const argv = o.argv ?? ['run', pb(playbook), '-i', lab.inventory, '--yes', '-o', 'plain', '-T', '3', '--journal', journal, ...args];
  const child = spawn(process.execPath, [bin, ...argv], {
    cwd: scratch,
    env: { ...process.env, ...lab.env, ...o.env, TSPLAY_FAULT_RUN: id },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) o.onLine?.(l, child);
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  if (process.env['FAULTS_VERBOSE'] === '1')
    process.stderr.write(`\n$ tsplay ${argv.join(' ')}\n${out}${err}(exit code ${String(code)})\n`);
  const events = readJournal(journal);
  return { code, report: `${out}\n${err}`, stderr: err, journal, events, leftovers: await leftoversOf(id) };
}

/** The events of the last run in a journal (a resume appends to the journal of the run it continues). */
function readJournal(path: string): JournalEvent[] {
  try {
    const all = readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as JournalEvent);
    return all.slice(
      Math.max(
        0,
        all.findLastIndex((e) => e.type === 'run-start'),
      ),
    );
  } catch {
    return [];
  }
}

/** Processes (other than us) whose environment carries the run's marker, after a short grace for exits in flight. */
async function leftoversOf(id: string): Promise<string[]> {
  const find = (): string[] =>
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
      .flatMap((p) => {
        try {
          return readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(`TSPLAY_FAULT_RUN=${id}`)
            ? [`${p} ${cmdline(Number(p))}`]
            : [];
        } catch {
          return [];
        }
      });
  for (let i = 0; i < 20 && find().length > 0; i++) await sleep(100);
  return find();
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** host-result events of a task (all hosts, or one). */
function results(r: CliRun, task: string, host?: string): JournalEvent[] {
  return r.events.filter((e) => e.type === 'host-result' && e.task === task && (host === undefined || e.host === host));
}

function ran(r: CliRun, task: string): boolean {
  return results(r, task).some((e) => e.status !== 'skipped');
}

/** What a failed assertion shows: the exit code and the end of the report. */
function show(r: CliRun): string {
  return `exit code ${String(r.code)}\n${r.report.split('\n').slice(-60).join('\n')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The hosts: processes, wrappers, sshd

const host = (name: string) => {
  const h = lab.hosts.find((x) => x.name === name);
  assert.ok(h, `lab host ${name}`);
  return h;
};

/** The lab's own processes in a host (namespace holder, sshd listener, static-pod agent and its pods, tsx helpers). */
const daemon =
  /^(unshare |sleep infinity$|sshd: \/usr\/sbin\/sshd .*\[listener\]|\/usr\/sbin\/sshd -D|(\/root\/etcd\.real|etcd) --name=|node .*(static-pod-agent|apiserver-standin)\.ts|\/usr\/bin\/node .*(static-pod-agent|apiserver-standin)\.ts|.*esbuild --service)/;

/** Processes in the host's namespace that are not the lab's own: what a run left behind (waits up to 5 s for exits in flight). */
async function strays(name: string): Promise<string[]> {
  const ns = host(name).ns;
  const find = (): string[] =>
    pidsInNamespace(ns)
      .map((p) => `${p} ${cmdline(p)}`)
      .filter((l) => !daemon.test(l.replace(/^\d+ /, '')) && l.trim() !== String(Number.parseInt(l, 10)));
  for (let i = 0; i < 50 && find().length > 0; i++) await sleep(100);
  return find();
}

async function sh(name: string, script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return lab.execIn(name, ['sh', '-c', script]);
}

/**
 * Puts a wrapper over /usr/bin/BINARY inside one host only (a bind mount in its private mount namespace); the real
 * binary stays reachable as /root/BINARY.real. `script` is the wrapper's body after `#!/bin/sh`.
 */
async function wrap(name: string, binary: string, script: string): Promise<void> {
  const r = await sh(
    name,
    `set -e; umount /usr/bin/${binary} 2>/dev/null || true; cp /usr/bin/${binary} /root/${binary}.real
cp /bin/sleep /root/fault-hang
cat > /root/${binary}.fault <<'EOF'
#!/bin/sh
${script}
EOF
chmod 755 /root/${binary}.fault; mount --bind /root/${binary}.fault /usr/bin/${binary}`,
  );
  assert.equal(r.code, 0, r.stderr);
}

async function unwrap(name: string, binary: string): Promise<void> {
  await sh(name, `umount /usr/bin/${binary} 2>/dev/null; true`);
}

/** Pids in a host of processes whose command line matches. */
function procsMatching(name: string, re: RegExp): number[] {
  return pidsInNamespace(host(name).ns).filter((p) => re.test(cmdline(p)));
}

/** Stops a host's sshd: the listener (no new connection) and, with sessions, every open connection. */
function killSshd(name: string, what: 'sessions' | 'all'): number {
  const re = what === 'all' ? /^sshd(-session)?: / : /^sshd(-session)?: (?!.*\[listener\])/;
  const pids = procsMatching(name, re);
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  return pids.length;
}

async function restartSshd(name: string): Promise<void> {
  const h = host(name);
  await startSshd({
    name,
    nsPid: h.nsPid,
    address: h.address,
    port: 22,
    config: join(h.dir, 'ssh', 'sshd_config'),
    log: join(h.dir, 'sshd.log'),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The cluster: data, data dirs, health

async function members(): Promise<KeyValue[][]> {
  return Promise.all(lab.members.map((m) => dumpAll(m)));
}

/** Waits (up to 90 s) for 3 healthy members and every apiserver /healthz 200. */
async function waitHealthy(): Promise<void> {
  for (let i = 0; i < 180; i++) {
    const h = await lab.health();
    if (h.every((x) => x.etcdHealthy && x.apiserver === 200)) return;
    await sleep(500);
  }
  assert.fail(`the cluster did not come back: ${JSON.stringify(await lab.health())}`);
}

/** Every member holds exactly `before`, the cluster is healthy, and every master has its /var/lib/etcd with member/. */
async function assertIntact(before: KeyValue[], why: string): Promise<void> {
  await waitHealthy();
  for (const [i, dump] of (await members()).entries()) assert.deepEqual(dump, before, `${why}: member ${i + 1} lost or changed data`);
  for (const m of lab.members) {
    const r = await sh(m.host, 'test -d /var/lib/etcd/member/snap && test -d /var/lib/etcd/member/wal');
    assert.equal(r.code, 0, `${why}: ${m.host} has no /var/lib/etcd/member`);
  }
}

/** What a restore changes on the masters: static-pod manifests, restore state, kept data dirs. */
async function footprint(): Promise<string[]> {
  return Promise.all(
    lab.members.map(
      async (m) =>
        `${m.host}: ${(await sh(m.host, 'ls /etc/kubernetes/manifests; ls -d /var/lib/etcd.* /var/lib/tsplay/restore-state /etc/kubernetes/manifests-parked/* 2>/dev/null; true')).stdout.split('\n').filter(Boolean).join(' ')}`,
    ),
  );
}

/** Nothing of a restore touched the masters since `before` (a footprint()): manifests in place, nothing kept or parked. */
async function assertUntouched(before: string[], why: string): Promise<void> {
  assert.deepEqual(await footprint(), before, `${why}: the masters were touched`);
  for (const m of lab.members) {
    const r = await sh(m.host, 'test -e /etc/kubernetes/manifests/etcd.yaml && test -e /etc/kubernetes/manifests/kube-apiserver.yaml');
    assert.equal(r.code, 0, `${why}: ${m.host} lost a static-pod manifest`);
  }
}

async function assertNoStrays(why: string, r: CliRun): Promise<void> {
  assert.deepEqual(r.leftovers, [], `${why}: processes of the run left on the controller`);
  for (const m of lab.members) assert.deepEqual(await strays(m.host), [], `${why}: processes left on ${m.host}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The object store

function s3(): S3Client {
  return new S3Client({
    endpoint: lab.env['ECS_ENDPOINT'],
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: lab.env['ECS_ACCESS_KEY_ID'] ?? '', secretAccessKey: lab.env['ECS_SECRET_ACCESS_KEY'] ?? '' },
  });
}

async function objects(prefix = ''): Promise<string[]> {
  const client = s3();
  try {
    const list = await client.send(new ListObjectsV2Command({ Bucket: 'etcd-backup', Prefix: prefix }));
    return (list.Contents ?? []).map((o) => o.Key ?? '').sort();
  } finally {
    client.destroy();
  }
}

/** The s3rver of this lab instance (recorded as `s3` in .lab-faults/pids.json). */
async function s3Process() {
  const p = (await readPids()).find((x) => x.name === 's3');
  assert.ok(p && isAlive(p), 'the lab S3 server runs');
  return p;
}

async function killS3(): Promise<void> {
  const p = await s3Process();
  process.kill(-p.pid, 'SIGKILL');
  for (let i = 0; i < 100 && isAlive(p); i++) await sleep(50);
}

/** Starts the lab's S3 server again unless it answers (it keeps its data in .lab-faults/s3). */
async function restartS3(): Promise<void> {
  if (await bucketExists()) return;
  await startS3();
  await waitForBucket();
}

/** A Full backup taken by etcd-backup.yaml; returns its object name. */
async function backup(): Promise<string> {
  const r = await run('etcd-backup.yaml');
  assert.equal(r.code, 0, show(r));
  const full = (await objects('v2/Full-')).pop();
  assert.ok(full, 'a Full backup in the bucket');
  return full.replace(/^v2\//, '');
}

/** Polls (every 100 ms, until `until` settles) for `seen` to hold once, then runs `act` once; resolves whether it acted. */
async function when(until: Promise<unknown>, seen: () => boolean | Promise<boolean>, act: () => unknown): Promise<boolean> {
  let over = false;
  void until.then(
    () => (over = true),
    () => (over = true),
  );
  while (!over) {
    if (await seen()) {
      await act();
      return true;
    }
    await sleep(100);
  }
  return false;
}

/** Runs the CLI and injects the fault (act) once `seen` holds; always waits for the run to end, even when act throws. */
async function runWith(
  running: Promise<CliRun>,
  seen: () => boolean | Promise<boolean>,
  act: () => unknown,
): Promise<{ r: CliRun; acted: boolean }> {
  const acting = when(running, seen, act).then(
    (ok) => ok,
    (e: unknown) => e as Error,
  );
  const r = await running;
  const acted = await acting;
  if (acted instanceof Error) throw acted;
  return { r, acted };
}

// ---------------------------------------------------------------------------------------------------------------

test('faults on the lab: exit code, report, no stray process, no lost data dir', { timeout: 420_000 }, async (t) => {
  const body = async (l: Lab): Promise<void> => {
    lab = l;
    if (keep) await labReset();
    // Every case leaves the lab healthy with the seed data (a restore brings back a backup of it).
    const seed = await dumpAll(lab.members[0]);
    const only = process.env['FAULTS_ONLY'] ? new RegExp(process.env['FAULTS_ONLY']) : undefined;
    const fault = (name: string, fn: () => Promise<void>) =>
      t.test(name, { skip: only && !only.test(name) ? 'not in FAULTS_ONLY' : false }, fn);

    await fault('host unreachable at start: restore.yaml stops in preflight, exit 4, nothing touched', async () => {
      const before = await footprint();
      assert.ok(killSshd('host03', 'all') > 0, 'host03 sshd was running');
      try {
        const r = await run('restore.yaml');
        assert.equal(r.code, 4, show(r));
        assert.match(r.report, /unreachable: \[host03\].*(refused|unreachable|timed out)/, show(r));
        assert.match(r.report, /TASK \[read the etcd static-pod manifest\]/);
        assert.ok(!ran(r, 'stop kube-apiserver') && !ran(r, 'stop etcd, the followers before the leader'), 'nothing was stopped');
        await assertUntouched(before, 'unreachable host');
        await assertNoStrays('unreachable host', r);
      } finally {
        await restartSshd('host03');
      }
      await assertIntact(seed, 'unreachable host');
    });

    await fault(
      'connection dropped mid-task (restore on host02): reconnected, the remote command stopped, automatic rollback everywhere, exit 2',
      async () => {
        await backup();
        // `etcdctl snapshot restore ... --data-dir` hangs on host02 (its `snapshot status` before it does not)
        await wrap(
          'host02',
          'etcdctl',
          'case " $* " in *" snapshot restore "*"--data-dir"*) /root/fault-hang 600 ;; esac\nexec /root/etcdctl.real "$@"',
        );
        try {
          let dropped = 0;
          const { r, acted } = await runWith(
            run('restore.yaml'),
            () => procsMatching('host02', /^\/root\/fault-hang/).length > 0,
            () => (dropped = killSshd('host02', 'sessions')),
          );
          assert.ok(acted && dropped > 0, 'the connection to host02 was dropped while the restore ran');
          assert.equal(r.code, 2, show(r));
          const lost = results(r, 'restore the data dir from the snapshot', 'host02')[0];
          assert.equal(lost?.status, 'failed', show(r));
          assert.match(
            lost?.msg ?? '',
            /connection to host02 .* was lost while a command ran; connected again and stopped what was left of it \(pid \d+\)/,
          );
          assert.match(r.report, /fatal: \[host02\].*was lost while a command ran/);
          for (const h of ['host01', 'host02', 'host03']) {
            assert.equal(results(r, 'put the original data dir back', h)[0]?.status, 'changed', `${h} was rolled back\n${show(r)}`);
          }
          assert.match(r.report, /restore failed on .*the original data dirs are in place again on host01, host02, host03$/m);
          await assertNoStrays('connection dropped', r);
        } finally {
          await unwrap('host02', 'etcdctl');
        }
        await assertIntact(seed, 'connection dropped');
      },
    );

    await fault(
      'a master lost mid-restore (sshd and the command gone): rollback on the others, the report says where its data dir is, rollback.yaml finishes',
      async () => {
        await wrap(
          'host02',
          'etcdctl',
          'case " $* " in *" snapshot restore "*"--data-dir"*) /root/fault-hang 600 ;; esac\nexec /root/etcdctl.real "$@"',
        );
        let r: CliRun;
        try {
          // the host "crashes" for tsplay: every sshd and the task's commands die; the static pods are left alone
          const done = await runWith(
            run('restore.yaml'),
            () => procsMatching('host02', /^\/root\/fault-hang/).length > 0,
            () => {
              killSshd('host02', 'all');
              for (const p of procsMatching('host02', /fault-hang|etcdctl\.fault|tsplay-ready/)) {
                try {
                  process.kill(p, 'SIGKILL');
                } catch {
                  /* gone */
                }
              }
            },
          );
          r = done.r;
          assert.ok(done.acted, 'host02 was lost while the restore ran');
        } finally {
          await unwrap('host02', 'etcdctl');
        }
        assert.equal(r.code, 2, show(r));
        assert.match(r.report, /unreachable: \[host02\].*was lost, and connecting again failed/, show(r));
        for (const h of ['host01', 'host03'])
          assert.equal(results(r, 'put the original data dir back', h)[0]?.status, 'changed', `${h} was rolled back\n${show(r)}`);
        const kept = (await sh('host02', 'ls -d /var/lib/etcd.tsplay-*')).stdout.trim();
        assert.match(kept, /^\/var\/lib\/etcd\.tsplay-\d{8}T\d{6}$/, 'host02 kept its data dir aside');
        assert.ok(
          r.report.includes(
            `NOT on host02 (see its error above): its original data dir is /var/lib/etcd, or ${kept} if the restore had moved it`,
          ),
          show(r),
        );
        assert.match(r.report, /once every master answers, run: tsplay run playbooks\/rollback\.yaml -i <inventory> --yes/);
        await assertNoStrays('master lost', r);
        assert.equal((await sh('host02', `test -d ${kept}/member/snap`)).code, 0, `${kept} still holds the member dir`);

        await restartSshd('host02');
        const back = await run('rollback.yaml');
        assert.equal(back.code, 0, show(back));
        assert.equal(results(back, 'put the original data dir back', 'host02')[0]?.status, 'changed', show(back));
        await assertNoStrays('rollback after a lost master', back);
        await assertIntact(seed, 'master lost, then rollback.yaml');
      },
    );

    await fault(
      'a command that hangs (etcdctl snapshot save): --task-timeout fires, the remote command is killed, no backup, exit 2',
      async () => {
        const before = await objects();
        await wrap('host01', 'etcdctl', 'case " $* " in *" snapshot save "*) /root/fault-hang 600 ;; esac\nexec /root/etcdctl.real "$@"');
        let r: CliRun;
        try {
          r = await run('etcd-backup.yaml', ['--task-timeout', '4']);
        } finally {
          await unwrap('host01', 'etcdctl');
        }
        assert.equal(r.code, 2, show(r));
        assert.match(r.report, /TASK \[take the snapshot from one healthy member\]\nfatal: \[host01\].*timed out after 4 s/, show(r));
        assert.deepEqual(await objects(), before, 'nothing was uploaded');
        assert.equal(
          (await sh('host01', 'ls -A /var/lib/tsplay/work 2>/dev/null')).stdout.trim(),
          '',
          'no snapshot file left in the work dir',
        );
        await assertNoStrays('hang', r);
        await assertIntact(seed, 'hang');
      },
    );

    await fault(
      'disk full while writing the snapshot (8 KiB tmpfs as work_dir): clear ENOSPC report, no partial file, no upload, exit 2',
      async () => {
        const before = await objects();
        const small = '/var/lib/tsplay/small';
        const m = await sh('host01', `mkdir -p ${small} && mount -t tmpfs -o size=8k tsplay-fault ${small}`);
        assert.equal(m.code, 0, m.stderr);
        let r: CliRun;
        try {
          r = await run('etcd-backup.yaml', ['-e', `work_dir=${small}`]);
          assert.equal((await sh('host01', `ls -A ${small}`)).stdout.trim(), '', 'no partial snapshot left on the full disk');
        } finally {
          await sh('host01', `umount ${small}; rmdir ${small}`);
        }
        assert.equal(r.code, 2, show(r));
        assert.match(r.report, /fatal: \[host01\].*snapshot save.*no space left on device/i, show(r));
        assert.deepEqual(await objects(), before, 'nothing was uploaded');
        await assertNoStrays('disk full', r);
        await assertIntact(seed, 'disk full');
      },
    );

    await fault(
      'wrong S3 credentials and a missing bucket: backup and restore stop with a clear message, no secret shown, nothing touched',
      async () => {
        const before = await footprint();
        const objs = await objects();
        const wrong = {
          ECS_ACCESS_KEY_ID: 'AKIAFAULTSWRONGKEY01',
          ECS_SECRET_ACCESS_KEY: 'faults-wrong-secret-5r9k',
          AWS_ACCESS_KEY_ID: 'AKIAFAULTSWRONGKEY01',
          AWS_SECRET_ACCESS_KEY: 'faults-wrong-secret-5r9k',
        };
        const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
          ['etcd-backup.yaml', [], wrong, /fatal: \[host01\].*access denied by the object store.*check ECS_ACCESS_KEY_ID/],
          ['restore.yaml', [], wrong, /fatal: \[host01\].*access denied by the object store.*check ECS_ACCESS_KEY_ID/],
          [
            'etcd-backup.yaml',
            ['-e', 'store_container=no-such-bucket'],
            {},
            /fatal: \[host01\].*bucket.*no-such-bucket.*(does not exist|not found)/i,
          ],
          [
            'restore.yaml',
            ['-e', 'store_container=no-such-bucket'],
            {},
            /fatal: \[host01\].*bucket.*no-such-bucket.*(does not exist|not found)/i,
          ],
        ];
        for (const [playbook, args, env, says] of cases) {
          const r = await run(playbook, args, { env });
          const what = `${playbook} ${args.join(' ')} ${Object.keys(env).length ? '(wrong credentials)' : ''}`;
          assert.equal(r.code, 2, `${what}\n${show(r)}`);
          assert.match(r.report, says, `${what}\n${show(r)}`);
          assert.ok(
            !r.report.includes('faults-wrong-secret') && !r.report.includes('AKIAFAULTSWRONGKEY01'),
            `${what}: a credential in the report`,
          );
          assert.ok(
            !ran(r, 'stop kube-apiserver') && !ran(r, 'stop etcd, the followers before the leader'),
            `${what}: nothing was stopped`,
          );
          assert.equal(
            (await sh('host01', 'ls -A /var/lib/tsplay/work 2>/dev/null')).stdout.trim(),
            '',
            `${what}: the local snapshot was removed`,
          );
          await assertNoStrays(what, r);
        }
        assert.deepEqual(await objects(), objs, 'nothing was uploaded');
        await assertUntouched(before, 'S3 credentials/bucket');
        await assertIntact(seed, 'S3 credentials/bucket');
      },
    );

    await fault(
      'corrupted and truncated backups: refused before anything is stopped (SHA-256 mismatch, snapshot status), exit 2',
      async () => {
        const name = await backup();
        const before = await footprint();
        // one byte flipped in the middle of the object as s3rver stores it: the recorded SHA-256 no longer matches
        const file = join(labDir, 's3', 'etcd-backup', 'v2', `${name}._S3rver_object`);
        const data = readFileSync(file);
        const half = Math.floor(data.length / 2);
        const flipped = Buffer.from(data);
        flipped[half] = (flipped[half] ?? 0) ^ 0xff;
        writeFileSync(file, flipped);
        const corrupt = await run('restore.yaml', ['-e', `snapshot=${name}`]);
        writeFileSync(file, data);
        assert.equal(corrupt.code, 2, show(corrupt));
        assert.match(
          corrupt.report,
          /TASK \[download the Full snapshot from the object store\]\n(.*\n)*fatal: \[host0\d\].*SHA-256/,
          show(corrupt),
        );
        // a truncated copy written by another tool (no recorded SHA-256) under a newer Full name: status refuses it
        const [rev, ts] = /^Full-\d{8}-(\d{8})-(\d+)$/.exec(name)?.slice(1) ?? [];
        const truncatedName = `Full-00000000-${String(Number(rev) + 1).padStart(8, '0')}-${Number(ts) + 1}`;
        const client = s3();
        await client.send(new PutObjectCommand({ Bucket: 'etcd-backup', Key: `v2/${truncatedName}`, Body: data.subarray(0, half) }));
        const truncated = await run('restore.yaml');
        await client.send(new DeleteObjectCommand({ Bucket: 'etcd-backup', Key: `v2/${truncatedName}` }));
        client.destroy();
        assert.equal(truncated.code, 2, show(truncated));
        assert.ok(
          results(truncated, 'download the Full snapshot from the object store').every((e) => e.status === 'changed'),
          show(truncated),
        );
        assert.match(
          truncated.report,
          /TASK \[verify the downloaded snapshot before anything is stopped\]\n(.*\n)*fatal: \[host0\d\]/,
          show(truncated),
        );
        for (const r of [corrupt, truncated]) {
          assert.ok(
            !ran(r, 'stop kube-apiserver') &&
              !ran(r, 'stop etcd, the followers before the leader') &&
              !ran(r, 'record what is about to change (for rollback)') &&
              !ran(r, 'restore the data dir from the snapshot'),
            `nothing was stopped or moved\n${show(r)}`,
          );
          assert.match(r.report, /restore failed on host01, host02, host03; the original data dirs are in place again/);
          await assertNoStrays('bad backup', r);
        }
        for (const m of lab.members)
          assert.equal(
            (await sh(m.host, 'ls -A /var/lib/tsplay/work')).stdout.trim(),
            '',
            `${m.host}: no snapshot or partial download left`,
          );
        await assertUntouched(before, 'bad backup');
        await assertIntact(seed, 'bad backup');
      },
    );

    await fault(
      'S3 down in the middle of a 160 MiB download: the restore stops before anything is stopped, no partial file, exit 2',
      async () => {
        const before = await footprint();
        const big = randomBytes(160 * 1024 * 1024);
        const name = `Full-00000000-00099999-${Math.floor(Date.now() / 1000) + 100}`;
        const client = s3();
        await client.send(
          new PutObjectCommand({
            Bucket: 'etcd-backup',
            Key: `v2/${name}`,
            Body: big,
            Metadata: { sha256: createHash('sha256').update(big).digest('hex'), compression: 'none' },
          }),
        );
        client.destroy();
        let r: CliRun;
        try {
          const growing = async (): Promise<boolean> =>
            (await sh('host01', 'find /var/lib/tsplay/work -name "*.tmp" -size +4M 2>/dev/null')).stdout.trim() !== '';
          const done = await runWith(run('restore.yaml', ['-e', `snapshot=${name}`]), growing, killS3);
          r = done.r;
          assert.ok(done.acted, 'S3 was stopped while the snapshot streamed in');
        } finally {
          await restartS3();
          const c = s3();
          await c.send(new DeleteObjectCommand({ Bucket: 'etcd-backup', Key: `v2/${name}` }));
          c.destroy();
        }
        assert.equal(r.code, 2, show(r));
        assert.match(
          r.report,
          /TASK \[download the Full snapshot from the object store\]\n(.*\n)*fatal: \[host01\].*download of s3:\/\/etcd-backup\/v2\/Full-00000000-00099999-\d+ to host01 failed: /,
          show(r),
        );
        assert.ok(
          !ran(r, 'stop kube-apiserver') && !ran(r, 'stop etcd, the followers before the leader'),
          `nothing was stopped\n${show(r)}`,
        );
        for (const m of lab.members)
          assert.equal((await sh(m.host, 'ls -A /var/lib/tsplay/work')).stdout.trim(), '', `${m.host}: a partial download was left`);
        await assertNoStrays('S3 down', r);
        await assertUntouched(before, 'S3 down');
        await assertIntact(seed, 'S3 down');
      },
    );

    await fault('etcd does not start after the restore (host03): automatic rollback, the old data dirs back, exit 2', async () => {
      await backup();
      // etcd on host03 only starts on its original data dir (marked here); a restored one makes it exit at once
      assert.equal((await sh('host03', 'touch /var/lib/etcd/.fault-original')).code, 0);
      await wrap(
        'host03',
        'etcd',
        '[ -e /var/lib/etcd/.fault-original ] && exec /root/etcd.real "$@"\necho "fault: etcd will not start on this data dir" >&2\nexit 1',
      );
      let r: CliRun;
      try {
        r = await run('restore.yaml', ['-e', 'start_timeout=15']);
      } finally {
        await unwrap('host03', 'etcd');
      }
      assert.equal(r.code, 2, show(r));
      assert.match(
        r.report,
        /TASK \[start etcd\]\n(.*\n)*fatal: \[host03\].*etcd on host03 did not start within 15 s \(port 2379 on 127\.0\.1\.63 not listening(, https:\/\/127\.0\.1\.63:2380\/version not healthy)?\); its manifest is in place \(\/etc\/kubernetes\/manifests\/etcd\.yaml\): see why/,
        show(r),
      );
      for (const h of ['host01', 'host02', 'host03'])
        assert.equal(results(r, 'put the original data dir back', h)[0]?.status, 'changed', `${h} was rolled back\n${show(r)}`);
      assert.match(r.report, /the original data dirs are in place again on host01, host02, host03$/m, show(r));
      assert.equal(
        (await sh('host03', 'test -e /var/lib/etcd/.fault-original && ls -d /var/lib/etcd.failed-*')).code,
        0,
        'host03 has its original data dir back and the restored one kept aside',
      );
      await assertNoStrays('etcd not starting', r);
      await assertIntact(seed, 'etcd not starting');
      await sh('host03', 'rm -f /var/lib/etcd/.fault-original');
    });

    await fault(
      '--max-duration shorter than the restore section: the section does not start, nothing is stopped, exit 99 (issue 18.1)',
      async () => {
        await backup();
        const before = await footprint();
        const r = await run('restore.yaml', ['--max-duration', '4s']);
        assert.equal(r.code, 99, show(r));
        assert.match(
          r.report,
          /critical section "restore" needs about 20m00s \(declared 20m00s\) but the deadline .* away: not started, nothing in it was done/,
          show(r),
        );
        assert.ok(!ran(r, 'stop kube-apiserver') && !ran(r, 'stop etcd'), 'nothing was stopped');
        await assertUntouched(before, '--max-duration');
        await assertIntact(seed, '--max-duration');
      },
    );

    await fault(
      'SIGINT during a restore: the critical section runs to its end (restored, kube-apiserver up), then the run stops, exit 99; the resume completes',
      async () => {
        await backup();
        let sent = false;
        const r = await run('restore.yaml', [], {
          onLine: (line, child) => {
            if (!sent && line === 'TASK [stop etcd, the followers before the leader]') {
              sent = true;
              child.kill('SIGINT');
            }
          },
        });
        assert.ok(sent, 'SIGINT was sent');
        assert.equal(r.code, 99, show(r));
        assert.match(r.stderr, /SIGINT: no new task will start; running tasks finish, and a critical section runs to its end/);
        for (const task of ['restore the data dir from the snapshot', 'start etcd']) {
          assert.deepEqual(
            results(r, task).map((e) => e.status),
            ['changed', 'changed', 'changed'],
            `${task} ran on every master\n${show(r)}`,
          );
        }
        assert.ok(ran(r, 'start kube-apiserver on every master') && ran(r, 'start kube-apiserver'), 'kube-apiserver was started again');
        assert.ok(!ran(r, 'kubeconfig present'), 'the run stopped after the critical section');
        assert.match(r.report, /CRITICAL SECTION \[restore\] finished after/);
        assert.ok(r.stderr.includes(`resume with: tsplay resume ${r.journal}`), show(r));
        await assertNoStrays('SIGINT', r);
        await assertIntact(seed, 'SIGINT inside the critical section');
        const resumed = await run('', [], { argv: ['resume', r.journal, '--yes', '-o', 'plain'], journal: r.journal });
        assert.equal(resumed.code, 0, show(resumed));
        assert.ok(!ran(resumed, 'stop kube-apiserver') && ran(resumed, 'the restore is complete'), 'only the final check ran');
        await assertNoStrays('resume after SIGINT', resumed);
        for (const m of lab.members)
          assert.equal((await sh(m.host, 'ls -d /var/lib/etcd.tsplay-*/member')).code, 0, `${m.host} kept its old data dir`);
      },
    );

    await fault('two SIGINTs inside the restore: it stops and rolls back at once, the original data dirs back, exit 2', async () => {
      await backup();
      let sent = 0;
      const r = await run('restore.yaml', [], {
        onLine: (line, child) => {
          if (sent === 0 && line === 'TASK [stop etcd, the followers before the leader]') {
            sent = 1;
            child.kill('SIGINT');
            setTimeout(() => {
              sent = 2;
              child.kill('SIGINT');
            }, 300);
          }
        },
      });
      assert.equal(sent, 2, 'two SIGINTs were sent');
      assert.equal(r.code, 2, show(r));
      assert.match(r.report, /second interrupt inside critical section "restore": stopping its running tasks and rolling back/, show(r));
      assert.ok(!ran(r, 'restore the data dir from the snapshot'), 'no data dir was restored');
      for (const h of ['host01', 'host02', 'host03'])
        assert.ok(results(r, 'start kube-apiserver again (rollback)', h).length > 0, `${h} was rolled back\n${show(r)}`);
      assert.match(r.report, /CRITICAL SECTION \[restore\] rolled back after/);
      await assertNoStrays('two SIGINTs', r);
      await assertIntact(seed, 'two SIGINTs');
    });

    await fault(
      'replace-member: the new member does not start (host03): the others untouched, the old data dir kept, a rerun after the fix completes',
      async () => {
        const keptBefore = (await sh('host03', 'ls -d /var/lib/etcd.tsplay-* 2>/dev/null')).stdout.split('\n').filter(Boolean);
        // host03's member is down (its manifest moved away); its replacement's etcd will not start until the host is fixed
        assert.equal((await sh('host03', 'mv /etc/kubernetes/manifests/etcd.yaml /root/etcd.yaml.down')).code, 0);
        await wrap('host03', 'etcd', 'echo "fault: etcd cannot start on this host" >&2\nexit 1');
        let r: CliRun;
        try {
          for (let i = 0; i < 60 && (await lab.health())[2]?.etcdHealthy; i++) await sleep(500);
          r = await run('replace-member.yaml', ['-e', 'start_timeout=10']);
        } finally {
          await unwrap('host03', 'etcd');
        }
        assert.equal(r.code, 2, show(r));
        assert.match(
          r.report,
          /TASK \[start the new member\]\n(.*\n)*fatal: \[host03\].*etcd on host03 did not start within 10 s/,
          show(r),
        );
        const kept = (await sh('host03', 'ls -d /var/lib/etcd.tsplay-*')).stdout.split('\n').filter((d) => d && !keptBefore.includes(d));
        assert.equal(kept.length, 1, `the old data dir was kept: ${kept.join(' ')}`);
        assert.equal((await sh('host03', `test -d ${kept[0]}/member/snap`)).code, 0, `${kept[0]} holds the old member dir`);
        assert.ok(r.report.includes(`the old data dir of host03 is kept at ${kept[0]}. Fix host03, then run this playbook again`), show(r));
        await assertNoStrays('replace-member failed', r);
        const health = await lab.health();
        assert.ok(health[0]?.etcdHealthy && health[1]?.etcdHealthy, 'the other members were not touched');

        const again = await run('replace-member.yaml');
        assert.equal(again.code, 0, show(again));
        await assertNoStrays('replace-member again', again);
        await assertIntact(seed, 'replace-member after the fix');
        await sh('host03', 'rm -f /root/etcd.yaml.down');
      },
    );

    // last: it makes etcd's database ~100 MiB (deleting the keys does not shrink it)
    await fault('S3 down in the middle of a ~100 MiB upload: no backup listed, the local snapshot removed, exit 2', async () => {
      const before = await objects();
      for (let i = 0; i < 96; i += 4)
        await Promise.all([0, 1, 2, 3].map((j) => putKey(`/registry/faults/big-${i + j}`, randomBytes(1024 * 1024))));
      // s3rver keeps the parts of a multipart upload in an uploads dir until it completes
      const bucketDir = join(labDir, 's3', 'etcd-backup');
      const parts = (): string[] =>
        readdirSync(bucketDir, { recursive: true })
          .map(String)
          .filter((f) => /uploads.*\/\d+$/.test(f));
      const earlier = new Set(parts()); // parts of uploads an earlier S3 outage left behind (never listed as objects)
      const partStored = (): boolean => parts().some((f) => !earlier.has(f));
      let r: CliRun;
      try {
        const done = await runWith(run('etcd-backup.yaml'), partStored, killS3);
        r = done.r;
        assert.ok(done.acted, 'S3 was stopped while the snapshot was being uploaded');
      } finally {
        await restartS3();
      }
      assert.equal(r.code, 2, show(r));
      assert.match(
        r.report,
        /TASK \[upload the snapshot\]\nfatal: \[host01\].*upload of s3:\/\/etcd-backup\/v2\/Full-\S+ from host01 failed: object store http:\/\/127\.0\.0\.1:9061 is unreachable.*\(no object was written\)/,
        show(r),
      );
      assert.ok(results(r, 'remove the local snapshot', 'host01')[0]?.status === 'changed', show(r));
      assert.deepEqual(await objects(), before, 'no object (complete or partial) is listed');
      assert.equal((await sh('host01', 'ls -A /var/lib/tsplay/work')).stdout.trim(), '', 'the local snapshot was removed');
      await assertNoStrays('S3 down during the upload', r);
      await deleteKeys('/registry/faults/');
      await assertIntact(seed, 'S3 down during the upload');
    });
  };
  if (keep) await body(await labUp());
  else await withLab(body);
});
