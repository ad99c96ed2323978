// `--check` as a faithful dry run, proved on a lab: each host's state and the object store are read before and after
// a check-mode run of a shipped playbook and must be equal; the run exits 0 and every task that would change something
// says, at default verbosity, what it would do and the exact command it would run; no secret is shown. Called as subtests
// by the per-shape drill files, on their own labs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { dumpAll, revision } from '../../lab/etcd-data.js';
import { gatewayOk } from '../../lab/etcd-gateway.js';
import type { Lab } from '../../lab/lab.js';
import { tsplay, type CliRun } from '../../support/cli.js';
import { journalPath, pb, s3, sh, why } from '../../support/drill-kit.js';

// every file under the manifests dirs, parked and stopped manifests and tsplay's state (the per-host run lock aside),
// the data dirs with the inode of their member dir (a move or a restore changes it), the kept data dirs
const HOST_STATE = [
  'for d in /etc/kubernetes/manifests /etc/kubernetes/manifests-parked /home/core/assets /var/lib/tsplay; do',
  '  [ -d "$d" ] && find "$d" -path /var/lib/tsplay/run.lock -prune -o -type f -print0 | sort -z | xargs -0r sha256sum;',
  '  [ -d "$d" ] && find "$d" -type d | sort;',
  'done',
  'ls -d /var/lib/etcd* 2>/dev/null; ls -d -i /var/lib/etcd*/member 2>/dev/null; true',
].join('\n');

/** What a dry run must leave as it was: every master's files, etcd's members, data and revision, the bucket's objects. */
export async function labState(lab: Lab): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const m of lab.members) out[m.host] = (await sh(lab, m.host, HOST_STATE)).stdout;
  const health = await lab.health();
  const up = lab.members.filter((x) => health.find((h) => h.host === x.host)?.etcdHealthy);
  const m = up[0];
  if (m) {
    const members = (await gatewayOk(m, '/v3/cluster/member/list', {})) as {
      members?: Array<{ ID?: string; name?: string; isLearner?: boolean }>;
    };
    out['etcd members'] = (members.members ?? [])
      .map((x) => `${x.ID} ${x.name} ${x.isLearner ? 'learner' : 'voter'}`)
      .sort()
      .join('\n');
    const data = createHash('sha256');
    for (const [k, v] of await dumpAll(m)) data.update(k).update('\0').update(v).update('\0');
    out['etcd data'] = `revision ${await revision(m)} sha256 ${data.digest('hex')}`;
  }
  out['etcd members up'] = up.map((x) => x.host).join(' ');
  const client = s3(lab);
  try {
    const list = await client.send(new ListObjectsV2Command({ Bucket: 'etcd-backup' }));
    out['s3'] = (list.Contents ?? [])
      .map((o) => `${o.Key} ${o.ETag} ${o.Size}`)
      .sort()
      .join('\n');
  } finally {
    client.destroy();
  }
  return out;
}

/**
 * Runs `tsplay run PLAYBOOK --check` on the lab and asserts: exit 0, the lab unchanged, every changed task's message
 * says what it would do (a command when it runs one: `would run:`), tasks that would run one of `commands` show it,
 * and neither the object store's secret key nor any `secrets` appear in the output.
 */
export async function dryRun(
  lab: Lab,
  playbook: string,
  extra: string[] = [],
  opts: { commands?: RegExp[]; secrets?: string[] } = {},
): Promise<CliRun> {
  const before = await labState(lab);
  const r = await tsplay(['run', pb(playbook), '-i', lab.inventory, '-o', 'json', '--check', '--journal', journalPath(), ...extra]);
  const after = await labState(lab);
  assert.equal(r.code, 0, `${playbook} --check: ${why(r)}`);
  assert.deepEqual(after, before, `${playbook} --check changed the lab`);
  const results = r.events.flatMap((e) => (e.type === 'host-result' ? [e] : []));
  for (const e of results.filter((x) => x.status === 'changed')) {
    assert.match(
      String(e.msg),
      /\bwould\b/,
      `${playbook}: "${e.task}" on ${e.host} is changed but does not say what it would do: ${String(e.msg)}`,
    );
  }
  const shown = results.map((e) => String(e.msg)).join('\n');
  for (const c of opts.commands ?? []) assert.match(shown, c, `${playbook} --check shows ${String(c)}`);
  for (const s of [lab.env['ECS_SECRET_ACCESS_KEY'] ?? '', ...(opts.secrets ?? [])].filter((x) => x.length >= 4)) {
    assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `${playbook} --check shows a secret`);
  }
  return r;
}

/** The host-result events of one task in a run. */
export function resultsOf(r: CliRun, task: string): Array<{ host: string; status: string; msg: string }> {
  return r.events.flatMap((e) =>
    e.type === 'host-result' && e.task === task ? [{ host: e.host, status: e.status, msg: String(e.msg) }] : [],
  );
}

/**
 * The dry runs every shape with the etcd playbooks shares (a backup exists, the cluster is healthy, the first restore
 * left kept data dirs): each of the defects is asserted on the way.
 */
export async function etcdDryRuns(lab: Lab, replaceMember: string): Promise<void> {
  // keep_last=1: the Full this run would upload counts, so retention would remove the one already there
  const backup = await dryRun(lab, 'etcd-backup.yaml', ['-e', 'keep_last=1'], {
    commands: [
      /retention would keep \d+, remove [1-9]\d*: Full-00000000-/,
      /would run: .*etcdctl .*snapshot save /,
      /would upload .* to s3:\/\/etcd-backup\/v2\/Full-00000000-REVISION-\d+/,
    ],
  });
  assert.ok(resultsOf(backup, 'take the snapshot from one healthy member').some((x) => x.status === 'changed'));

  const restore = await dryRun(lab, 'restore.yaml', [], {
    commands: [
      /would download s3:\/\/etcd-backup\/v2\/Full-/,
      /would run: mkdir -p -m 0700 -- \S+ && mv -- \S+\/kube-apiserver\.yaml /,
      /would restore \S+ into \S+; \S+ would be moved aside to \S+\.tsplay-\d{8}T\d{6} first/,
      // the data dir moved to the kept name first, the snapshot proved to be the one verified before the stop (no
      // second status), then restored: one command
      /would run: \{ if \[ ! -e \S+ \]; .*mv -- \S+ \S+\.tsplay-\d{8}T\d{6} && .*stat -c .* if \[ "\$fp" = '<the fingerprint etcd_snapshot status takes>' \]; then echo verified=1; .*&& umask 077 && \{ .*(etcdctl|etcdutl) snapshot restore /,
      /would run: mv -- \S+\/etcd\.yaml \S+\/manifests\/etcd\.yaml/,
    ],
  });
  for (const x of resultsOf(restore, 'verify the downloaded snapshot before anything is stopped')) assert.equal(x.status, 'ok', x.msg);
  assert.ok(
    !restore.events.some((e) => e.type === 'host-result' && e.task === 'the restore failed' && e.status !== 'skipped'),
    'no rollback in a dry run',
  );
  for (const x of resultsOf(restore, 'restore the data dir from the snapshot')) {
    assert.equal(x.status, 'changed');
    assert.match(x.msg, /would be moved aside to \S+\.tsplay-\d{8}T\d{6} first/, 'the data dir is kept where the rollback record says');
  }
  for (const x of resultsOf(restore, 'start etcd')) assert.equal(x.status, 'changed', 'etcd would be started again after the stop');

  const replace = await dryRun(lab, 'replace-member.yaml', ['-e', `member=${replaceMember}`], {
    commands: [
      /would run: .*member remove [0-9a-f]+/,
      /would run: .*member add \S+ --peer-urls=\S+ --learner/,
      /would run: .*member promote /,
    ],
  });
  assert.deepEqual(
    resultsOf(replace, 'add it back as a learner').map((x) => x.status),
    ['changed'],
  );

  await dryRun(lab, 'prune-kept.yaml', ['-e', 'older_than_days=0'], { commands: [/would run: .*rm -rf/s] });
  await dryRun(lab, 'rollback.yaml');
}
