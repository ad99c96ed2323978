// `npm run demo` is the first thing a new user runs: it runs here end to end, as a child process exactly as the
// npm script does (after the build), on its own lab instance so it never meets another suite's lab.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const repo = join(import.meta.dirname, '../..');

/** Runs a command in the repository with TSPLAY_LAB set; resolves with exit code and the combined output. */
function run(argv: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test('npm run demo: backup, break, restore, every member exact; the summary shows each step and the API downtime', {
  timeout: 600_000,
}, async () => {
  const env = { TSPLAY_LAB: 'demo', CI: process.env['CI'] ?? '' };
  const lab = ['node', '--import', 'tsx', 'test/lab/cli.ts'];
  try {
    const r = await run(['node', '--import', 'tsx', 'test/lab/demo.ts'], env);
    assert.equal(r.code, 0, r.out);
    for (const n of [1, 2, 3]) assert.match(r.out, new RegExp(`controller-node-${n}: \\d+ keys, identical to the backup`), r.out);
    assert.match(r.out, /the restore brought back exactly the backed-up data on all three members\./);
    const summary = r.out.slice(r.out.lastIndexOf('\nsummary\n'));
    for (const s of ['lab up', 'etcd-backup.yaml', 'break the cluster', 'restore.yaml', 'verify every member'])
      assert.match(summary, new RegExp(`  ${s.replace('.', '\\.')} +\\d+\\.\\d s`), summary);
    const down = /API downtime +(\d+\.\d) s/.exec(summary);
    assert.ok(down, summary);
    assert.ok(Number(down[1]) > 0, 'a restore stops every kube-apiserver for a while: the watch must see it');
  } finally {
    const down = await run([...lab, 'down'], env);
    assert.equal(down.code, 0, down.out);
  }
});
