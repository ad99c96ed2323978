// 6. Soak: the restore drill ten times in a row on the kubeadm shape (grown one master at a time, kubeadm's pki/
// layout): backup, damage, restore, every member exact; zero failures wanted (issue #12). Run by bench/run.ts as a
// child process on the kubeadm lab instance; prints one Markdown section on stdout, progress on stderr.
//   TSPLAY_LAB=kubeadm node --import tsx bench/soak.ts [--runs 10]
import { spawn } from 'node:child_process';
import { closeGateway } from '../test/lab/etcd-gateway.js';
import { deleteKeys, dumpAll, putKey } from '../test/lab/etcd-data.js';
import { labDown, labUp, type Lab } from '../test/lab/lab.js';
import { shape } from '../test/lab/topology.js';
import { repo, tsplayBin } from './common.js';
import { fmt, median } from './stats.js';

const i = process.argv.indexOf('--runs');
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 10;
const log = (s: string): void => void process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

/** Runs a playbook; resolves with its exit code, wall seconds and the last lines of its output. */
function playbook(lab: Lab, name: string): Promise<{ code: number | null; seconds: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [tsplayBin, 'run', `playbooks/${name}`, '-i', lab.inventory, '--yes', '-o', 'plain'], {
      cwd: repo,
      env: { ...process.env, ...lab.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
    child.stderr.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, seconds: (Date.now() - t0) / 1000, tail: out.split('\n').slice(-12).join('\n') }));
  });
}

const key = (d: Array<[Buffer, Buffer]>): string => JSON.stringify(d.map(([k, v]) => [k.toString('base64'), v.toString('base64')]));
const outcomes: Array<{ ok: boolean; restoreS: number; why: string }> = [];
const lab = await labUp({ fresh: true });
try {
  for (let run = 1; run <= RUNS; run++) {
    const before = await dumpAll(lab.members[0]);
    const backup = await playbook(lab, 'etcd-backup.yaml');
    if (backup.code !== 0) {
      outcomes.push({ ok: false, restoreS: 0, why: `backup exit ${String(backup.code)}: ${backup.tail}` });
      continue;
    }
    await deleteKeys('/registry/pods/');
    await putKey(`/registry/configmaps/default/soak-${run}`, Buffer.from([0, 0xff, run]));
    const restore = await playbook(lab, 'restore.yaml');
    closeGateway();
    const dumps = restore.code === 0 ? await Promise.all(lab.members.map((m) => dumpAll(m))) : [];
    const exact = dumps.length === 3 && dumps.every((d) => key(d) === key(before));
    const why =
      restore.code !== 0 ? `restore exit ${String(restore.code)}: ${restore.tail}` : exact ? '' : 'a member differs from the backup';
    outcomes.push({ ok: restore.code === 0 && exact, restoreS: restore.seconds, why });
    log(
      `run ${run}/${RUNS}: ${restore.code === 0 && exact ? 'exact on all three members' : `FAILED (${why.split('\n')[0] ?? ''})`} in ${fmt(restore.seconds, 1)} s`,
    );
    // the kept data dirs of earlier runs stay, as after real restores; remove them so ten runs do not fill the disk
    await Promise.all(lab.members.map((m) => lab.execIn(m.host, ['sh', '-c', 'rm -rf /var/lib/etcd.tsplay-*'])));
  }
} finally {
  closeGateway();
  await labDown();
}
const failed = outcomes.filter((o) => !o.ok);
process.stdout.write(
  [
    `## 6. Soak: the restore drill ${RUNS} times on the ${shape.name} shape`,
    '',
    `${shape.description}. Each run: \`etcd-backup.yaml\`, pods deleted and a key written, \`restore.yaml --yes\`, then every member's keys and values compared byte for byte with the backup.`,
    '',
    `| runs | failures | restore median (s) | slowest (s) |`,
    '| ---: | ---: | ---: | ---: |',
    `| ${outcomes.length} | ${failed.length} | ${fmt(median(outcomes.map((o) => o.restoreS)), 1)} | ${fmt(Math.max(...outcomes.map((o) => o.restoreS)), 1)} |`,
    '',
    ...(failed.length
      ? ['Failures:', '', ...failed.map((f) => `- ${f.why.split('\n')[0] ?? ''}`), '']
      : ['Every run restored exactly the backed-up data on all three members.', '']),
  ].join('\n'),
);
process.exitCode = failed.length ? 1 : 0;
