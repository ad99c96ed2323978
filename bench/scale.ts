// 2. Scale: 200 loopback hosts (sshd farm) × 10 trivial tasks; tsplay -f 300 vs ansible-playbook forks 50 and 200.
import { join } from 'node:path';
import { ansibleCmdText, runAnsible, runTsplay, tsplayCmdText, writeInventory, writeTrivialPlaybook } from './common.js';
import { startFarm } from './sshd-farm.js';
import { fmt, log, median } from './stats.js';

export async function scale(dir: string, reps: number, ansibleReps: number): Promise<string> {
  const farm = await startFarm(join(dir, 'farm'), 200);
  try {
    const inv = join(dir, 'scale.ini');
    const pb = join(dir, 'trivial10-scale.yaml');
    await writeInventory(
      inv,
      farm.addresses.map((a, i) => ({ name: `n${String(i + 1).padStart(3, '0')}`, address: a })),
      farm.clientKey,
      farm.knownHosts,
    );
    await writeTrivialPlaybook(pb, 10);
    const failures: string[] = [];
    const note = (label: string, t: { code: number | null; failedHosts: number; firstFailure?: string }): void => {
      if (t.code !== 0)
        failures.push(
          `${label}: exit ${t.code}, ${t.failedHosts} of 200 hosts failed${t.firstFailure ? ` (first: \`${t.firstFailure}\`)` : ''}`,
        );
    };
    note('tsplay warm-up', await runTsplay(pb, inv, farm.knownHosts, 300));
    const ts: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = await runTsplay(pb, inv, farm.knownHosts, 300);
      note(`tsplay run ${i + 1}`, t);
      ts.push(t.seconds);
      rss.push(t.maxRssMiB ?? NaN);
      log(`scale tsplay rep ${i + 1}: ${fmt(t.seconds)} s, ${fmt(t.maxRssMiB ?? NaN, 0)} MiB`);
    }
    const an: Record<number, number[]> = { 50: [], 200: [] };
    for (const forks of [50, 200]) {
      for (let i = 0; i < ansibleReps; i++) {
        const a = await runAnsible(pb, inv, forks);
        note(`ansible forks ${forks} run ${i + 1}`, a);
        an[forks]!.push(a.seconds);
        log(`scale ansible forks ${forks} rep ${i + 1}: ${fmt(a.seconds)} s`);
      }
    }
    const tm = median(ts);
    const best = Math.min(median(an[50]!), median(an[200]!));
    const ratio = best / tm;
    const tsFailed = failures.some((f) => f.startsWith('tsplay'));
    const peak = Math.max(...rss);
    return [
      '## 2. Scale: 200 hosts × 10 `command: "true"`',
      '',
      `Hosts: 200 addresses 127.0.3.1-200 port 22 served by ${Math.ceil(200 / 16)} plain \`sshd -D\` processes (16 ListenAddress each, \`MaxStartups 400:30:600\`, \`MaxSessions 10\`, \`UsePAM no\`), one host key, known_hosts line per address, host key checking on for both tools. tsplay: 1 warm-up + ${reps} runs; ansible-playbook: ${ansibleReps} run(s) per forks setting${ansibleReps < reps ? ' (fewer because each run is long)' : ''}.`,
      '',
      '| tool | median wall (s) | runs (s) | controller peak RSS |',
      '| --- | ---: | --- | ---: |',
      `| tsplay -f 300 | ${fmt(tm)} | ${ts.map((x) => fmt(x)).join(', ')} | median ${fmt(median(rss), 0)} MiB, max ${fmt(peak, 0)} MiB |`,
      `| ansible-playbook forks 50 | ${fmt(median(an[50]!))} | ${an[50]!.map((x) => fmt(x)).join(', ')} | – |`,
      `| ansible-playbook forks 200 | ${fmt(median(an[200]!))} | ${an[200]!.map((x) => fmt(x)).join(', ')} | – |`,
      '',
      ...(tsFailed
        ? ['**INVALID: tsplay runs failed on most hosts (see below); the ratio and the under-10 s / RSS checks compare unequal work.**', '']
        : []),
      `**Ratio (faster ansible setting / tsplay): ${fmt(ratio, 1)}×** (target ≥ 20×: ${tsFailed ? 'not established' : ratio >= 20 ? 'met' : '**missed**'}); forks 50: ${fmt(median(an[50]!) / tm, 1)}×, forks 200: ${fmt(median(an[200]!) / tm, 1)}×.`,
      `tsplay under 10 s: ${tsFailed ? 'not established' : tm < 10 ? 'met' : '**missed**'} (${fmt(tm)} s). Peak RSS under 300 MiB: ${tsFailed ? 'not established' : peak < 300 ? 'met' : '**missed**'} (${fmt(peak, 0)} MiB, \`/usr/bin/time -v\` "Maximum resident set size").`,
      '',
      failures.length
        ? `**Runs that did not exit 0** — a failed host stops running its play, so such a tsplay time covers fewer than 2000 task-hosts and its ratio and the targets above are NOT valid:\n\n${failures.map((f) => `- ${f}`).join('\n')}\n`
        : 'Every run exited 0.',
      '',
      'Commands:',
      '```',
      `/usr/bin/time -v ${tsplayCmdText(300)}`,
      ansibleCmdText(50),
      ansibleCmdText(200),
      '```',
      '',
    ].join('\n');
  } finally {
    await farm.stop();
  }
}
