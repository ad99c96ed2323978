// 5. API downtime of the DR playbooks against the floor: the same steps done with bare commands, no checks, measured in
// the same run on the same lab (issue #16). Run by bench/run.ts as a child process on its own lab instance
// (TSPLAY_LAB=bench); prints one Markdown section on stdout, progress on stderr.
//   TSPLAY_LAB=bench node --import tsx bench/downtime.ts [--runs N] [--sizes small,large] [--cases restore,rollback,replace]
//     [--floors together,in-turn] [--events DIR] [--also CHECKOUT]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchApi } from '../test/lab/api-watch.js';
import { closeGateway, gateway } from '../test/lab/etcd-gateway.js';
import { deleteKeys, putKey } from '../test/lab/etcd-data.js';
import { etcdHealthy } from '../test/lab/health.js';
import { labDown, labReset, labUp, type Lab } from '../test/lab/lab.js';
import { hostPki } from '../test/lab/pki.js';
import { hostPaths, initialCluster, labDir, peerUrl, type Member } from '../test/lab/topology.js';
import { repo, tsplayBin } from './common.js';
import { arg, fmt, median } from './stats.js';

const RUNS = Number(arg('runs', '3'));
const SIZES = arg('sizes', 'small,large').split(',');
const CASES = arg('cases', 'restore,rollback,replace').split(',');
/** --floors in-turn: measure only the floor that starts the members in turn (the lower one on a quiet machine; shorter runs). */
const FLOORS = arg('floors', 'together,in-turn').split(',');
/** --also CHECKOUT: a second tsplay (another checkout's bin/tsplay.js and playbooks/, built) measured in the same runs, e.g. main. */
const ALSO = arg('also', '');
/** --events DIR: every playbook run's JSON events are kept there (one file per run), for task timelines. */
const EVENTS_DIR = arg('events', '');
let runNo = 0;
const MiB = 2 ** 20;
const VALUE_BYTES = 768 * 1024;
const log = (s: string): void => void process.stderr.write(`[downtime ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const M = hostPaths.manifests;
const PARK = '/root/floor-parked';
/** How long the cluster runs before the first replacement (etcd's HealthInterval is 5 s). */
const REPLACE_SETTLE_MS = 6000;

interface JsonEvent {
  type: string;
  ts: string;
  task?: string;
  host?: string;
  status?: string;
  durationMs?: number;
  msg?: string;
}

/** Runs a playbook with -o json; resolves with its events (throws unless it exits 0, or `expect` says otherwise). */
function playbook(lab: Lab, name: string, extra: string[] = [], expect = 0, root = repo): Promise<JsonEvent[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        root === repo ? tsplayBin : join(root, 'bin/tsplay.js'),
        'run',
        join(root, 'playbooks', name),
        '-i',
        lab.inventory,
        '--yes',
        '-o',
        'json',
        '--no-lock',
        ...extra,
      ],
      { cwd: repo, env: { ...process.env, ...lab.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-3000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const events = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as JsonEvent);
      if (EVENTS_DIR) void writeFile(join(EVENTS_DIR, `${String(++runNo).padStart(2, '0')}-${name}.jsonl`), out).catch(() => undefined);
      if (code !== expect) {
        const bad = events
          .filter((e) => e.type === 'host-result' && e.status === 'failed')
          .map((e) => `${e.host ?? ''} ${e.task ?? ''}: ${e.msg ?? ''}`);
        reject(new Error(`${name} exited ${String(code)}: ${bad.join('; ')} ${err}`));
      } else resolve(events);
    });
  });
}

/** Runs a shell script inside a lab host; throws on a non-zero exit. */
async function sh(lab: Lab, host: string, script: string): Promise<string> {
  const r = await lab.execIn(host, ['sh', '-c', script]);
  if (r.code !== 0) throw new Error(`${host}: ${script}: exit ${String(r.code)}: ${r.stderr.slice(-500)}`);
  return r.stdout;
}

/** True while something accepts TCP connections on ip:port. */
function listening(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: ip, port, timeout: 500 }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`floor: ${what} did not happen in ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}

/** The member etcd says leads (from the first member that answers). */
async function leaderOf(lab: Lab): Promise<Member | undefined> {
  for (const m of lab.members) {
    try {
      const r = await gateway(m, '/v3/maintenance/status', {}, 1000);
      const body = r.body as { leader?: string; header?: { member_id?: string } };
      if (r.status !== 200 || !body.leader) continue;
      for (const x of lab.members) {
        const s = (await gateway(x, '/v3/maintenance/status', {}, 1000)).body as { header?: { member_id?: string } };
        if (s.header?.member_id === body.leader) return x;
      }
    } catch {
      /* try the next one */
    }
  }
  return undefined;
}

/** Every member healthy and agreeing on one leader. */
async function clusterReady(lab: Lab): Promise<boolean> {
  const healthy = await Promise.all(lab.members.map(etcdHealthy));
  if (!healthy.every(Boolean)) return false;
  const leaders = await Promise.all(
    lab.members.map(async (m) => {
      try {
        return ((await gateway(m, '/v3/maintenance/status', {}, 1000)).body as { leader?: string }).leader ?? '';
      } catch {
        return '';
      }
    }),
  );
  return leaders.every((l) => l && l !== '0' && l === leaders[0]);
}

/** Each member's peer certificate, key and CA, read once. */
const peerTls = new Map<string, { ca: Buffer; cert: Buffer; key: Buffer }>();

/**
 * True once the member's etcd answers GET /version on its peer port (it serves its peers: past its initial corruption
 * check): asked from this process with the member's peer certificate, no process started per attempt (the playbooks
 * ask the same with curl in a loop on the host).
 */
function servesPeers(m: Member): Promise<boolean> {
  let tls = peerTls.get(m.host);
  if (!tls) {
    const p = hostPki(m);
    tls = { ca: readFileSync(p.ca), cert: readFileSync(p.peerCert), key: readFileSync(p.peerKey) };
    peerTls.set(m.host, tls);
  }
  return new Promise((resolve) => {
    const req = httpsGet(`${peerUrl(m)}/version`, { ...tls, agent: false, timeout: 500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** How the floor starts etcd: every member at once (the issue's floor), or one after another, each once it serves its peers (what the playbooks do). */
type StartOrder = 'together' | 'in turn';

/** Moves each member's etcd manifest from `from` back into the manifests dir, in the given order. */
async function startEtcd(lab: Lab, from: string, order: StartOrder): Promise<void> {
  if (order === 'together') {
    await Promise.all(lab.members.map((m) => sh(lab, m.host, `mv ${from}/etcd.yaml ${M}/`)));
    return;
  }
  for (const m of lab.members) {
    await sh(lab, m.host, `mv ${from}/etcd.yaml ${M}/`);
    await until(`${m.host} serves its peers`, () => servesPeers(m), 120_000, 50);
  }
}

/** The floor of a restore: what an operator types, with no check that is not needed to go on. */
async function floorRestore(lab: Lab, run: number, order: StartOrder): Promise<void> {
  const mark = phases(`floor restore (${order})`);
  await Promise.all(lab.members.map((m) => sh(lab, m.host, `mkdir -p ${PARK} && mv ${M}/kube-apiserver.yaml ${PARK}/`)));
  await until('kube-apiservers stopped', async () => !(await Promise.all(lab.members.map((m) => listening(m.ip, 6443)))).some(Boolean));
  mark('kube-apiservers stopped');
  const leader = await leaderOf(lab);
  const followers = lab.members.filter((m) => m !== leader);
  const stop = async (ms: readonly Member[]): Promise<void> => {
    await Promise.all(ms.map((m) => sh(lab, m.host, `mv ${M}/etcd.yaml ${PARK}/`)));
    await until('etcd stopped', async () => !(await Promise.all(ms.map((m) => listening(m.ip, 2379)))).some(Boolean));
  };
  await stop(followers);
  if (leader) await stop([leader]);
  mark('etcd stopped');
  const stamp = `${run}-${Date.now()}`; // one token for every member: they must form one cluster
  await Promise.all(
    lab.members.map((m) =>
      sh(
        lab,
        m.host,
        `mv ${hostPaths.etcdDataDir} ${hostPaths.etcdDataDir}.floor-${stamp} && ETCDCTL_API=3 etcdctl snapshot restore /root/floor.db ` +
          `--data-dir ${hostPaths.etcdDataDir} --name ${m.etcdName} --initial-cluster ${initialCluster()} ` +
          `--initial-cluster-token floor-${stamp} --initial-advertise-peer-urls ${peerUrl(m)} >/dev/null 2>&1`,
      ),
    ),
  );
  mark('restored');
  await startEtcd(lab, PARK, order);
  mark('etcd started');
  await until('etcd healthy with one leader', () => clusterReady(lab));
  mark('etcd healthy');
  await Promise.all(lab.members.map((m) => sh(lab, m.host, `mv ${PARK}/kube-apiserver.yaml ${M}/`)));
  mark('kube-apiserver manifests back');
}

/** The API's down windows as clock times (to line them up with the events' timestamps). */
function windowsOf(d: { windows: Array<{ start: number; end: number }> }): string {
  const t = (ms: number): string => new Date(ms).toISOString().slice(11, 23);
  return d.windows.map((x) => `[${t(x.start)}-${t(x.end)}]`).join(' ');
}

/** Logs each phase's time since the previous one (stderr), to compare the floor's phases with tsplay's task timeline. */
function phases(what: string): (label: string) => void {
  let last = Date.now();
  return (label) => {
    const now = Date.now();
    log(`${what}: ${label} +${fmt((now - last) / 1000, 2)} s (${new Date(now).toISOString().slice(11, 23)})`);
    last = now;
  };
}

/** The floor of a rollback from where a failed restore left the masters (etcd and kube-apiserver parked, data dir moved aside). */
async function floorRollback(lab: Lab, order: StartOrder): Promise<void> {
  const mark = phases(`floor rollback (${order})`);
  await Promise.all(
    lab.members.map((m) =>
      sh(
        lab,
        m.host,
        `. /var/lib/tsplay/restore-state && rm -rf "$data_dir" && mv "$moved_aside" "$data_dir" && rm /var/lib/tsplay/restore-state`,
      ),
    ),
  );
  mark('data dirs back');
  await startEtcd(lab, '/etc/kubernetes/manifests-parked', order);
  mark('etcd started');
  await until('etcd healthy with one leader', () => clusterReady(lab));
  mark('etcd healthy');
  await Promise.all(lab.members.map((m) => sh(lab, m.host, `mv /etc/kubernetes/manifests-parked/kube-apiserver.yaml ${M}/`)));
  mark('kube-apiserver manifests back');
}

/** The floor of a member replacement: remove, add as learner, start from its manifest made `existing`, promote once caught up. */
async function floorReplace(lab: Lab): Promise<number> {
  const m3 = lab.members[2]!;
  const m1 = lab.members[0]!;
  const ctl = (args: string[]) => lab.etcdctl(m1.host, args);
  const list = JSON.parse((await ctl(['member', 'list', '-w', 'json'])).stdout.replace(/"ID":(\d+)/g, '"ID":"$1"')) as {
    members: Array<{ ID: string; name: string }>;
  };
  const id = BigInt(list.members.find((x) => x.name === m3.etcdName)!.ID).toString(16);
  const t0 = Date.now();
  const watch = await watchMembership(lab, m3);
  try {
    if ((await ctl(['member', 'remove', id])).code !== 0) throw new Error('floor: member remove failed');
    let added = await ctl(['member', 'add', m3.etcdName, `--peer-urls=${peerUrl(m3)}`, '--learner']);
    while (added.code !== 0 && Date.now() - t0 < 60_000) {
      await sleep(100);
      added = await ctl(['member', 'add', m3.etcdName, `--peer-urls=${peerUrl(m3)}`, '--learner']);
    }
    const cluster = /ETCD_INITIAL_CLUSTER="([^"]+)"/.exec(added.stdout)?.[1] ?? '';
    await sh(
      lab,
      m3.host,
      `sed -i -e 's#--initial-cluster=[^" ]*#--initial-cluster=${cluster}#' -e 's#--initial-cluster-state=new#--initial-cluster-state=existing#' /root/floor-etcd.yaml && mv /root/floor-etcd.yaml ${M}/etcd.yaml`,
    );
    for (;;) {
      const p = await ctl([
        'member',
        'promote',
        (
          JSON.parse((await ctl(['member', 'list', '-w', 'json'])).stdout.replace(/"ID":(\d+)/g, '"ID":"$1"')) as {
            members: Array<{ ID: string; name: string; isLearner?: boolean }>;
          }
        ).members
          .filter((x) => x.isLearner)
          .map((x) => BigInt(x.ID).toString(16))[0] ?? 'none',
      ]);
      if (p.code === 0) break;
      if (Date.now() - t0 > 120_000) throw new Error(`floor: promote never succeeded: ${p.stderr.slice(-300)}`);
      await sleep(100);
    }
  } catch (e) {
    await watch.stop().catch(() => 0);
    throw e;
  }
  return watch.stop();
}

/** Destroys host03's member the way the replace drill does: manifest gone, data wiped. */
async function destroyMember3(lab: Lab, keepManifestAt?: string): Promise<void> {
  const m3 = lab.members[2]!;
  await sh(
    lab,
    m3.host,
    `${keepManifestAt ? `cp ${M}/etcd.yaml ${keepManifestAt} && ` : ''}mv ${M}/etcd.yaml /root/etcd.yaml.gone-${Date.now()}`,
  );
  await until('host03 etcd stopped', async () => !(await listening(m3.ip, 2379)));
  await sh(lab, m3.host, `rm -rf ${hostPaths.etcdDataDir}`);
  await until('two healthy members', async () => (await Promise.all(lab.members.slice(0, 2).map(etcdHealthy))).every(Boolean));
}

/** The window a member replacement opens, as seen from outside: from the poll that first finds the member gone to the one that finds it a voter again. */
interface MembershipWatch {
  /** Ends the watch once it has seen the promotion (at most 10 s later); the window in ms (throws unless the member was seen removed and then promoted). */
  stop(): Promise<number>;
}

type MemberRow = { ID?: string; peerURLs?: string[]; isLearner?: boolean };

/** The member list through a healthy member's JSON gateway (IDs as strings), or undefined when it does not answer. */
async function memberRows(asker: Member): Promise<MemberRow[] | undefined> {
  try {
    const r = await gateway(asker, '/v3/cluster/member/list', {}, 1000);
    if (r.status !== 200) return undefined;
    return (JSON.parse(r.text.replace(/"ID":\s*(\d+)/g, '"ID":"$1"')) as { members?: MemberRow[] }).members;
  } catch {
    return undefined;
  }
}

/**
 * Polls the member list every `everyMs` through a healthy member's JSON gateway (from the controller, no process on
 * the hosts), the same way for tsplay and for the floor. Resolves once it has the member's current ID; the window
 * starts at the first poll without that ID (`member remove` took effect; the member added back gets a new ID) and
 * ends at the first poll showing a member with the same peer URL and another ID as a voter (promoted).
 */
async function watchMembership(lab: Lab, m: Member, everyMs = 50): Promise<MembershipWatch> {
  const peer = peerUrl(m);
  const asker = lab.members[0]!;
  const before = (await memberRows(asker))?.find((x) => x.peerURLs?.includes(peer))?.ID;
  if (!before) throw new Error(`membership watch: no member with peer URL ${peer}`);
  let running = true;
  let removedAt: number | undefined;
  let promotedAt: number | undefined;
  const loop = (async () => {
    while (running && promotedAt === undefined) {
      const t = Date.now();
      const rows = await memberRows(asker);
      if (rows && removedAt === undefined && !rows.some((x) => x.ID === before)) removedAt = t;
      if (rows && removedAt !== undefined && rows.some((x) => x.ID !== before && x.peerURLs?.includes(peer) && !x.isLearner))
        promotedAt = t;
      await sleep(Math.max(0, everyMs - (Date.now() - t)));
    }
  })();
  return {
    async stop() {
      // the caller stops once the promotion returned: give the watch the polls it needs to see it (or 10 s)
      const end = Date.now() + 10_000;
      while (promotedAt === undefined && Date.now() < end) await sleep(everyMs);
      running = false;
      await loop;
      if (removedAt === undefined || promotedAt === undefined)
        throw new Error(`membership watch: ${m.etcdName} never seen removed and promoted`);
      return promotedAt - removedAt;
    },
  };
}

/** Slowest tasks of a run (task-end durations), for the profile. */
function slowest(events: JsonEvent[], n = 6): string {
  return events
    .filter((e) => e.type === 'task-end')
    .sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))
    .slice(0, n)
    .map((e) => `${e.task ?? '?'} ${fmt((e.durationMs ?? 0) / 1000, 1)} s`)
    .join(', ');
}

async function fill(size: string): Promise<string> {
  if (size === 'small') return 'the seed data (236 keys, ~100 KiB)';
  const n = Math.ceil((500 * MiB) / VALUE_BYTES);
  log(`writing ${n} values of ${VALUE_BYTES / 1024} KiB`);
  for (let i = 0; i < n; i += 8)
    await Promise.all(
      Array.from({ length: Math.min(8, n - i) }, (_, j) =>
        putKey(`/registry/bench/blob-${String(i + j).padStart(5, '0')}`, randomBytes(VALUE_BYTES)),
      ),
    );
  return `${n} incompressible values of ${VALUE_BYTES / 1024} KiB (~500 MiB db)`;
}

interface Row {
  case: string;
  size: string;
  tsplay: number[];
  floor: number[];
  /** The floor starting etcd members one after another (restore and rollback only). */
  inTurn: number[];
  /** The --also checkout's tsplay (restore and rollback only). */
  also: number[];
  /** Per series and run: an etcd member lost its publish during that run (etcd's own 7 s, see LOST_PUBLISH). */
  lost: Record<Series, boolean[]>;
  /** The slowest tasks of the slowest tsplay run, and that run's time. */
  profile: string;
  profiled: number;
}

type Series = 'tsplay' | 'floor' | 'inTurn' | 'also';

const newRow = (name: string, size: string): Row => ({
  case: name,
  size,
  tsplay: [],
  floor: [],
  inTurn: [],
  also: [],
  lost: { tsplay: [], floor: [], inTurn: [], also: [] },
  profile: '',
  profiled: -1,
});

/**
 * etcd 3.4's line for a member whose first proposal (publishing its name and client URLs) was lost: it serves no client
 * until it tries again, one request timeout later (5 s + 2 × the election timeout, 7 s here; etcd-io/etcd#8977). It
 * befalls whoever started the member, tsplay or the floor.
 */
const LOST_PUBLISH = 'publish error: etcdserver: request timed out';

/** Notes where each member's etcd log ends now; the function it returns says whether a lost publish was logged since. */
function lostPublishSince(lab: Lab): () => Promise<boolean> {
  // the lab's static-pod agent logs to <host>/pods/<namespace>_<pod>/<container>.log, appending every start of a
  // container: every log of each member's etcd pod, whatever the shape's namespace
  const logs = lab.members.flatMap((m) => {
    const pods = join(labDir, 'logs', m.host, 'pods');
    const dirs = readdirOr(pods).filter((d) => d.endsWith('_etcd'));
    return dirs.flatMap((d) =>
      readdirOr(join(pods, d))
        .filter((f) => f.endsWith('.log'))
        .map((f) => join(pods, d, f)),
    );
  });
  const from = logs.map((f) => [f, statSync(f, { throwIfNoEntry: false })?.size ?? 0] as const);
  return async () => {
    for (const [f, at] of from) {
      const text = await readFile(f).catch(() => Buffer.alloc(0));
      if (text.subarray(text.length >= at ? at : 0).includes(LOST_PUBLISH)) return true;
    }
    return false;
  };
}

/** A directory's entries, none when it cannot be read. */
function readdirOr(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Records one run of a series: its time (s) and whether a lost publish was logged since `since` was taken. */
async function record(row: Row, series: Series, seconds: number, since: () => Promise<boolean>): Promise<void> {
  const lost = await since();
  row[series].push(seconds);
  row.lost[series].push(lost);
  if (lost) log(`${row.size} ${row.case} (${series}) run ${row[series].length}: an etcd member lost its publish (etcd's 7 s)`);
}

/** Logs the run's slowest tasks and keeps them when it is the slowest tsplay run so far. */
function profile(row: Row, seconds: number, events: JsonEvent[]): void {
  const tasks = slowest(events);
  log(`${row.size} ${row.case} run ${row.tsplay.length} (${fmt(seconds, 1)} s): ${tasks}`);
  if (seconds <= row.profiled) return;
  row.profile = tasks;
  row.profiled = seconds;
}

async function measureRestore(lab: Lab, size: string): Promise<Row> {
  const row = newRow('restore.yaml', size);
  await playbook(lab, 'etcd-backup.yaml');
  // the floor restores a snapshot already on every master (restore.yaml, too, fetches and checks it before the stop)
  const snap = await lab.etcdctl('host01', ['--command-timeout=600s', 'snapshot', 'save', '/root/floor.db']);
  if (snap.code !== 0) throw new Error(`snapshot save: ${snap.stderr}`);
  await stageSnapshot(lab);
  for (let i = 0; i < RUNS; i++) {
    await deleteKeys('/registry/pods/');
    let since = lostPublishSince(lab);
    let w = watchApi(50);
    const events = await playbook(lab, 'restore.yaml');
    await w.backUp();
    const seen = await w.stop();
    await record(row, 'tsplay', seen.totalMs / 1000, since);
    profile(row, seen.totalMs / 1000, events);
    log(`${size} restore.yaml run ${i + 1}: API down ${fmt(row.tsplay.at(-1) ?? 0, 1)} s ${windowsOf(seen)}`);
    closeGateway();
    if (ALSO) {
      await deleteKeys('/registry/pods/');
      since = lostPublishSince(lab);
      w = watchApi(50);
      await playbook(lab, 'restore.yaml', [], 0, ALSO);
      await w.backUp();
      await record(row, 'also', (await w.stop()).totalMs / 1000, since);
      log(`${size} restore.yaml (${ALSO}) run ${i + 1}: API down ${fmt(row.also.at(-1) ?? 0, 1)} s`);
      closeGateway();
    }
    if (FLOORS.includes('together')) {
      since = lostPublishSince(lab);
      w = watchApi(50);
      await floorRestore(lab, i, 'together');
      await w.backUp();
      await record(row, 'floor', (await w.stop()).totalMs / 1000, since);
      log(`${size} floor run ${i + 1}: API down ${fmt(row.floor.at(-1) ?? 0, 1)} s`);
      closeGateway();
    }
    if (FLOORS.includes('in-turn')) {
      since = lostPublishSince(lab);
      w = watchApi(50);
      await floorRestore(lab, i, 'in turn');
      await w.backUp();
      const floorSeen = await w.stop();
      await record(row, 'inTurn', floorSeen.totalMs / 1000, since);
      log(`${size} floor (in turn) run ${i + 1}: API down ${fmt(row.inTurn.at(-1) ?? 0, 1)} s ${windowsOf(floorSeen)}`);
      closeGateway();
    }
  }
  return row;
}

/** Copies host01's /root/floor.db to the other masters' /root, on the real machine (the hosts' private dirs; outside any timed window). */
async function stageSnapshot(lab: Lab): Promise<void> {
  const from = join(hostDir(lab, 'host01'), 'root/floor.db');
  await Promise.all(lab.members.slice(1).map((m) => copyFile(from, join(hostDir(lab, m.host), 'root/floor.db'))));
}

/** A lab host's private directory on the real machine (its /root is <dir>/root). */
function hostDir(lab: Lab, host: string): string {
  const h = lab.hosts.find((x) => x.name === host);
  if (!h) throw new Error(`no lab host ${host}`);
  return h.dir;
}

async function measureRollback(lab: Lab, size: string): Promise<Row> {
  const row = newRow('rollback.yaml', size);
  const corrupt = await corruptSnapshot(lab);
  // a restore that fails after the data dirs moved, without the automatic rollback: etcd and kube-apiserver stay down
  const broken = (): Promise<JsonEvent[]> =>
    playbook(lab, 'restore.yaml', ['-e', `snapshot_file=${corrupt}`, '-e', 'auto_rollback=false'], 2);
  for (let i = 0; i < RUNS; i++) {
    await broken();
    let since = lostPublishSince(lab);
    let t0 = Date.now();
    let w = watchApi(50);
    const events = await playbook(lab, 'rollback.yaml');
    await w.backUp();
    const took = lastWindowFrom(await w.stop(), t0);
    await record(row, 'tsplay', took, since);
    profile(row, took, events);
    log(`${size} rollback.yaml run ${i + 1}: ${fmt(row.tsplay.at(-1) ?? 0, 1)} s (launched ${new Date(t0).toISOString().slice(11, 23)})`);
    closeGateway();
    if (ALSO) {
      await broken();
      since = lostPublishSince(lab);
      t0 = Date.now();
      w = watchApi(50);
      await playbook(lab, 'rollback.yaml', [], 0, ALSO);
      await w.backUp();
      await record(row, 'also', lastWindowFrom(await w.stop(), t0), since);
      log(`${size} rollback.yaml (${ALSO}) run ${i + 1}: ${fmt(row.also.at(-1) ?? 0, 1)} s`);
      closeGateway();
    }
    if (FLOORS.includes('together')) {
      await broken();
      since = lostPublishSince(lab);
      t0 = Date.now();
      w = watchApi(50);
      await floorRollback(lab, 'together');
      await w.backUp();
      await record(row, 'floor', lastWindowFrom(await w.stop(), t0), since);
      log(`${size} floor rollback run ${i + 1}: ${fmt(row.floor.at(-1) ?? 0, 1)} s`);
      closeGateway();
    }
    if (FLOORS.includes('in-turn')) {
      await broken();
      since = lostPublishSince(lab);
      t0 = Date.now();
      w = watchApi(50);
      await floorRollback(lab, 'in turn');
      await w.backUp();
      await record(row, 'inTurn', lastWindowFrom(await w.stop(), t0), since);
      log(`${size} floor (in turn) rollback run ${i + 1}: ${fmt(row.inTurn.at(-1) ?? 0, 1)} s`);
      closeGateway();
    }
  }
  return row;
}

/** From t0 (the API already down) to the end of the last downtime window, seconds. */
function lastWindowFrom(d: { windows: Array<{ start: number; end: number }> }, t0: number): number {
  const last = d.windows.at(-1);
  return last ? (last.end - Math.max(t0, last.start)) / 1000 : 0;
}

/** A copy of a fresh snapshot with its trailing hash broken, on the controller (etcd refuses to restore it). */
async function corruptSnapshot(lab: Lab): Promise<string> {
  const r = await lab.etcdctl('host01', ['--command-timeout=600s', 'snapshot', 'save', '/root/corrupt.db']);
  if (r.code !== 0) throw new Error(r.stderr);
  const bytes = await readFile(join(hostDir(lab, 'host01'), 'root/corrupt.db'));
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
  const path = join(tmpdir(), `tsplay-bench-corrupt-${process.pid}.db`);
  await writeFile(path, bytes);
  return path;
}

async function measureReplace(lab: Lab, size: string): Promise<Row> {
  const row = newRow('replace-member.yaml (remove → promoted)', size);
  // A member failed in a cluster that has been running: etcd refuses `member add` until every voting member has been
  // connected to the others for 5 s (--strict-reconfig-check), and the case before this one has just restarted them.
  // Later runs keep host01 and host02 running, so only the first run of whichever went first would pay it.
  await sleep(REPLACE_SETTLE_MS);
  for (let i = 0; i < RUNS; i++) {
    await destroyMember3(lab);
    let since = lostPublishSince(lab);
    const watch = await watchMembership(lab, lab.members[2]!);
    const events = await playbook(lab, 'replace-member.yaml').catch(async (e: unknown) => {
      await watch.stop().catch(() => 0);
      throw e;
    });
    const took = (await watch.stop()) / 1000;
    // the playbook ends once every member is healthy: the floor's run is marked after the same wait
    await until('3 healthy', async () => (await Promise.all(lab.members.map(etcdHealthy))).every(Boolean));
    await record(row, 'tsplay', took, since);
    profile(row, took, events);
    log(`${size} replace-member.yaml run ${i + 1}: ${fmt(row.tsplay.at(-1) ?? 0, 1)} s`);
    await destroyMember3(lab, '/root/floor-etcd.yaml');
    since = lostPublishSince(lab);
    const floorTook = (await floorReplace(lab)) / 1000;
    await until('3 healthy', async () => (await Promise.all(lab.members.map(etcdHealthy))).every(Boolean));
    await record(row, 'floor', floorTook, since);
    log(`${size} floor replace run ${i + 1}: ${fmt(row.floor.at(-1) ?? 0, 1)} s`);
    closeGateway();
  }
  return row;
}

const rows: Row[] = [];
const described: string[] = [];
try {
  for (const size of SIZES) {
    log(`lab up (${size})`);
    await labUp({ fresh: true });
    const lab = await labReset();
    described.push(`${size}: ${await fill(size)}`);
    if (CASES.includes('restore')) rows.push(await measureRestore(lab, size));
    if (CASES.includes('rollback')) rows.push(await measureRollback(lab, size));
    if (CASES.includes('replace')) rows.push(await measureReplace(lab, size));
    await deleteKeys('/registry/bench/').catch(() => 0);
  }
} finally {
  closeGateway();
  await labDown();
}

const ratio = (a: number[], b: number[]): string => fmt(median(a) / median(b), 2);
const shown = rows.flatMap((r) =>
  r.also.length ? [r, { ...r, case: `${r.case} (${ALSO})`, tsplay: r.also, lost: { ...r.lost, tsplay: r.lost.also } }] : [r],
);
/** The lower of a row's floor medians (runs marked lost left out when `clean`); NaN when there is none. */
const lowerFloor = (r: Row, clean = false): number => {
  const keep = (xs: number[], lost: boolean[]): number[] => (clean ? xs.filter((_, i) => !lost[i]) : xs);
  const floors = [keep(r.floor, r.lost.floor), keep(r.inTurn, r.lost.inTurn)].filter((xs) => xs.length).map(median);
  return floors.length ? Math.min(...floors) : Number.NaN;
};
const runs = (xs: number[], lost: boolean[]): string =>
  xs.length ? xs.map((x, i) => `${fmt(x, 1)}${lost[i] ? '†' : ''}`).join(', ') : '–';
/** Where a lost publish (†) hit a run: the ratios again with those runs left out on both sides. */
const withoutLost = shown
  .filter((r) => [r.lost.tsplay, r.lost.floor, r.lost.inTurn].some((xs) => xs.some(Boolean)))
  .map((r) => {
    const mine = r.tsplay.filter((_, i) => !r.lost.tsplay[i]);
    const lower = lowerFloor(r, true);
    return mine.length && lower
      ? `${r.case}, ${r.size}: median ${fmt(median(mine) / lower, 2)}×, slowest ${fmt(Math.max(...mine) / lower, 2)}× the lower floor`
      : `${r.case}, ${r.size}: no run left on one side`;
  });
const lines = [
  '## 5. API downtime: the DR playbooks against the floor',
  '',
  `The lab (3 etcd 3.4 TLS static pods with \`--experimental-initial-corrupt-check=true\`, kube-apiserver stand-ins), ${RUNS} alternating runs per case. ` +
    'Restore and rollback: API downtime as its users see it, from outside: no kube-apiserver answering `/healthz` with 200, polled every 50 ms ' +
    '(rollback: from the start of the rollback, the API being down already). Replace: the member list polled every 50 ms through the JSON gateway of a healthy member, from the first poll without the member (`member remove` took effect) to the first that shows it a voter again (promoted), the same watch for tsplay and the floor (the API stays up). ' +
    'The floor does the same steps with bare commands and no checks, on the same lab in the same run: stop the kube-apiservers, stop the etcd followers then the leader, ' +
    '`etcdctl snapshot restore` of a snapshot already on every host in parallel, start etcd on every member at once, wait until every member is healthy with one leader, start the kube-apiservers ' +
    '(rollback: move the kept data dirs back, start etcd, wait, start the kube-apiservers; replace: `member remove`, `member add --learner`, the manifest edited with sed and moved back, `member promote` retried until it succeeds).',
  '',
  ...described.map((d) => `- ${d}`),
  '',
  '| case | size | tsplay median (s) | floor median (s) | ratio | slowest tsplay / floor median | floor in turn median (s) | ratio to the lower floor | slowest / lower floor | runs tsplay | runs floor | runs floor in turn |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
  ...shown.map((r) => {
    const lower = lowerFloor(r);
    return (
      `| ${r.case} | ${r.size} | ${fmt(median(r.tsplay), 1)} | ${r.floor.length ? fmt(median(r.floor), 1) : '–'} | ${r.floor.length ? ratio(r.tsplay, r.floor) : '–'} | ${r.floor.length ? fmt(Math.max(...r.tsplay) / median(r.floor), 2) : '–'} | ` +
      `${r.inTurn.length ? fmt(median(r.inTurn), 1) : '–'} | ${fmt(median(r.tsplay) / lower, 2)} | ${fmt(Math.max(...r.tsplay) / lower, 2)} | ${runs(r.tsplay, r.lost.tsplay)} | ${runs(r.floor, r.lost.floor)} | ${runs(r.inTurn, r.lost.inTurn)} |`
    );
  }),
  '',
  `† An etcd member logged \`${LOST_PUBLISH}\` during that run: its first proposal, publishing its name and client URLs, was lost, and ` +
    'etcd 3.4 tries it again only after its request timeout (5 s + 2 × the election timeout, 7 s here; etcd-io/etcd#8977); the member serves no ' +
    "client until then. It is etcd's own wait and befalls tsplay and the floor alike. " +
    (withoutLost.length
      ? `The ratios with the runs so marked left out on both sides: ${withoutLost.join('; ')}. The goal is still judged on every run, above.`
      : 'No run of this benchmark met it.'),
  '',
  'Restore and rollback can come out below this floor: the floor starts the etcd members together, as the issue defines it, and members that start together ' +
    "wait for each other in etcd's initial corruption check (a member in its own check does not answer a peer's hash request until it times out, 7 s per peer), " +
    'by 0, 7 or 14 s depending on how close together they happened to start. The playbooks start the members one after another, each once it serves its peer port ' +
    '(past its check): no member waits, and the later members really compare hashes. So the same run also measures a second floor, "in turn": the bare ' +
    'commands starting the members the way the playbooks do (each once it answers `GET /version` on its peer port, asked every 50 ms straight from the ' +
    'benchmark with the peer certificate, no process started per attempt); the goal is judged against the lower ' +
    'of the two floors. The replace-member case has one floor: it starts one member.',
  '',
  'What the playbooks wait for and the floor does not: the floor takes an etcd member as stopped once its client port is closed (the seed checks it ' +
    'that way, with `etcdctl endpoint status`), the playbooks also wait until its process is gone (its data dir closed) before they move the data dir, ' +
    'which can take up to about 1 s longer when etcd lingers in the last step of its shutdown; before moving anything they also prove every member down ' +
    'once more and write the rollback record. Rollback is timed from the launch of tsplay, so it includes starting Node, loading and validating, and the ' +
    'SSH handshakes (~0.5 s together), then reading each manifest and the restore record and making sure both static pods are stopped before the data ' +
    'dirs move back; the floor does none of these. The first replacement starts 6 s after the rollback runs last restarted the cluster: etcd refuses ' +
    '`member add` until every voting member has been connected to the others for 5 s (`--strict-reconfig-check`), which earlier measurements paid in ' +
    'their first replace run only (2.4-2.8 s instead of ~0.7 s: the add retried until etcd took it).',
  '',
  'Slowest tasks of the slowest tsplay run of each case:',
  '',
  ...rows.map((r) => `- ${r.case}, ${r.size} (${fmt(r.profiled, 1)} s): ${r.profile}`),
  '',
];
process.stdout.write(lines.join('\n'));
