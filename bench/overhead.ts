// 1. Task overhead: 3 lab hosts (test/lab/hosts.ts, 127.0.2.1-3) × 10 `command: "true"`, tsplay vs ansible-playbook.
import { join } from 'node:path';
import type { HostsLab } from '../test/lab/hosts.js';
import { ansibleCmdText, runAnsible, runTsplay, tsplayCmdText, writeInventory, writeTrivialPlaybook } from './common.js';
import { fmt, log, median, type Timed } from './stats.js';

export async function overhead(lab: HostsLab, dir: string, reps: number): Promise<string> {
  const inv = join(dir, 'overhead.ini');
  const pb = join(dir, 'trivial10.yaml');
  await writeInventory(
    inv,
    lab.hosts.map((h) => ({ name: h.name, address: h.address })),
    lab.clientKeyFile,
    lab.knownHostsFile,
  );
  await writeTrivialPlaybook(pb, 10);
  const ts: number[] = [];
  const an: number[] = [];
  const rss: number[] = [];
  const failures: string[] = [];
  const note = (label: string, t: Timed): void => {
    if (t.code !== 0)
      failures.push(
        `${label}: exit ${t.code}, ${t.failedHosts} of 3 hosts failed${t.firstFailure ? ` (first: \`${t.firstFailure}\`)` : ''}`,
      );
  };
  note('tsplay warm-up', await runTsplay(pb, inv, lab.knownHostsFile, 3));
  note('ansible warm-up', await runAnsible(pb, inv, 3));
  for (let i = 0; i < reps; i++) {
    const t = await runTsplay(pb, inv, lab.knownHostsFile, 3);
    note(`tsplay run ${i + 1}`, t);
    ts.push(t.seconds);
    rss.push(t.maxRssMiB ?? NaN);
    const a = await runAnsible(pb, inv, 3);
    note(`ansible run ${i + 1}`, a);
    an.push(a.seconds);
    log(`overhead rep ${i + 1}: tsplay ${fmt(t.seconds)} s, ansible ${fmt(a.seconds)} s`);
  }
  const ratio = median(an) / median(ts);
  return [
    '## 1. Task overhead: 3 hosts × 10 `command: "true"`',
    '',
    `Hosts: 3 lab hosts from \`test/lab/hosts.ts\` \`startHosts\` (one sshd per host in its own namespace) on 127.0.2.1-3, same INI inventory, key and known_hosts for both tools, forks 3. One warm-up run each (not counted), then ${reps} alternating runs.`,
    '',
    '| tool | median wall (s) | runs (s) | controller peak RSS |',
    '| --- | ---: | --- | ---: |',
    `| tsplay | ${fmt(median(ts))} | ${ts.map((x) => fmt(x)).join(', ')} | ${fmt(median(rss), 0)} MiB |`,
    `| ansible-playbook | ${fmt(median(an))} | ${an.map((x) => fmt(x)).join(', ')} | – |`,
    '',
    `**Ratio ansible / tsplay: ${fmt(ratio, 1)}×** (target ≥ 8×: ${ratio >= 8 ? 'met' : '**missed**'}). Per task-host: tsplay ${fmt((median(ts) / 30) * 1000, 1)} ms, ansible ${fmt((median(an) / 30) * 1000, 1)} ms (wall / 30, includes startup).`,
    '',
    failures.length
      ? `**Runs that did not exit 0** (times still counted):\n\n${failures.map((f) => `- ${f}`).join('\n')}\n`
      : 'Every run exited 0.',
    '',
    'Commands:',
    '```',
    tsplayCmdText(3),
    ansibleCmdText(3),
    '```',
    '',
  ].join('\n');
}
