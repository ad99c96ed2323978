// 1. Task overhead: 3 lab hosts (test/lab/hosts.ts, 127.0.2.1-3) × 10 `command: "true"`, tsplay vs ansible-playbook.
import { join } from 'node:path';
import type { HostsLab } from '../test/lab/hosts.js';
import { channelRoundTrips } from './channel-rt.js';
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
  // the same run with one task: start-up, validation, the handshakes and one task, i.e. what no per-task change removes
  const pb1 = join(dir, 'trivial1.yaml');
  await writeTrivialPlaybook(pb1, 1);
  const one: number[] = [];
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
    const t1 = await runTsplay(pb1, inv, lab.knownHostsFile, 3);
    note(`tsplay one-task run ${i + 1}`, t1);
    one.push(t1.seconds);
    log(`overhead rep ${i + 1}: tsplay ${fmt(t.seconds)} s, ansible ${fmt(a.seconds)} s, tsplay with one task ${fmt(t1.seconds)} s`);
  }
  const ratio = median(an) / median(ts);
  const first = lab.hosts[0];
  if (!first) throw new Error('no lab host');
  const rt = await channelRoundTrips(first.address, lab.clientKeyFile, lab.knownHostsFile);
  log(`one command on an open connection: ${fmt(rt.execMs, 1)} ms (exec channel), ${fmt(rt.shellMs, 1)} ms (persistent sh)`);
  // per task (3 hosts at once) beyond the first; a persistent shell could save at most one exec round trip of it
  const perTask = (median(ts) - median(one)) / 9;
  const saved = Math.max(0, rt.execMs - rt.shellMs) / 1000;
  // what no change to how tasks run removes: the one-task run with its one command through a kept-open shell
  const fixed = median(one) - saved;
  const withShell = fixed + 9 * Math.max(0, perTask - saved);
  const target = median(an) / 20;
  return [
    '## 1. Task overhead: 3 hosts × 10 `command: "true"`',
    '',
    `Hosts: 3 lab hosts from \`test/lab/hosts.ts\` \`startHosts\` (one sshd per host in its own namespace) on 127.0.2.1-3, same INI inventory, key and known_hosts for both tools, forks 3. One warm-up run each (not counted), then ${reps} alternating runs.`,
    '',
    '| tool | median wall (s) | runs (s) | controller peak RSS |',
    '| --- | ---: | --- | ---: |',
    `| tsplay | ${fmt(median(ts))} | ${ts.map((x) => fmt(x)).join(', ')} | ${fmt(median(rss), 0)} MiB |`,
    `| ansible-playbook | ${fmt(median(an))} | ${an.map((x) => fmt(x)).join(', ')} | – |`,
    `| tsplay, the first task only (same play, 1 task) | ${fmt(median(one))} | ${one.map((x) => fmt(x)).join(', ')} | – |`,
    '',
    `**Ratio ansible / tsplay: ${fmt(ratio, 1)}×** (target ≥ 8×: ${ratio >= 8 ? 'met' : '**missed**'}). Per task-host: tsplay ${fmt((median(ts) / 30) * 1000, 1)} ms, ansible ${fmt((median(an) / 30) * 1000, 1)} ms (wall / 30, includes startup).`,
    '',
    `**What a persistent shell per host could reach.** The one-task run (Node start-up, loading, validation, the three handshakes, one task) takes ${fmt(median(one))} s; less its one command's channel cost (below), ${fmt(fixed)} s is what no change to how tasks run removes, so none can bring the ratio above ${fmt(median(an) / fixed, 1)}×; the issue's 20× needs ${fmt(target)} s for the whole run${fixed > target ? ', less than that' : ''}. Each task after the first costs ${fmt(perTask * 1000, 1)} ms (3 hosts at once). One command on an open connection, measured on ${first.name} (median of ${rt.n}, one at a time): ${fmt(rt.execMs, 1)} ms as tsplay runs it (an exec channel, sshd starting a shell), ${fmt(rt.shellMs, 1)} ms through one \`sh\` kept open on one channel (a marker line back; no pid, stderr, exit status, timeout or kill, so a lower bound). Taking that whole difference off every task: ${fmt(withShell)} s, **${fmt(median(an) / withShell, 1)}×**.`,
    '',
    failures.length
      ? `**Runs that did not exit 0** (times still counted):\n\n${failures.map((f) => `- ${f}`).join('\n')}\n`
      : 'Every run exited 0.',
    '',
    `_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC._`,
    '',
    'Commands:',
    '```',
    tsplayCmdText(3),
    ansibleCmdText(3),
    '```',
    '',
  ].join('\n');
}
