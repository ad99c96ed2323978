import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsplay } from '../support/cli.js';

// Issue 18 item 7: playbooks/prune-kept.yaml lists the kept data dirs older than an age, and removes exactly those
// after confirmation; the live data dir, younger ones and the one a restore still needs stay. Local host only: ~5 s.
const playbook = join(import.meta.dirname, '../../playbooks/prune-kept.yaml');

function stamp(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
}

test('prune-kept.yaml lists, then removes only kept data dirs older than the age asked for', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tsplay-prune-'));
  const data = join(root, 'data');
  const old = [`etcd.tsplay-${stamp(30)}`, `etcd.failed-${stamp(9)}`];
  const stay = ['etcd', `etcd.tsplay-${stamp(2)}`, 'etcd.other', 'etcd.tsplay-notatime'];
  for (const d of [...old, ...stay]) mkdirSync(join(data, d), { recursive: true });
  mkdirSync(join(root, 'manifests'));
  const manifest = readFileSync(join(import.meta.dirname, '../unit/etcd/fixtures/etcd.yaml'), 'utf8').replaceAll(
    '/var/lib/etcd',
    join(data, 'etcd'),
  );
  writeFileSync(join(root, 'manifests/etcd.yaml'), manifest);
  for (const f of ['ca', 'cert', 'key']) writeFileSync(join(root, f), '');
  writeFileSync(join(root, 'inv.ini'), '[masters]\nm1 ansible_connection=local\n');
  const vars = [
    '-e',
    `manifests_dir=${join(root, 'manifests')} parked_dir=${join(root, 'parked')} etcd_ca=${join(root, 'ca')} etcd_cert=${join(root, 'cert')} etcd_key=${join(root, 'key')}`,
  ];
  const base = ['run', playbook, '-i', join(root, 'inv.ini'), ...vars, '--no-lock', '-o', 'json', '--journal', join(root, 'j.jsonl')];

  const listed = await tsplay([...base, '-e', 'list_only=true', '--yes']);
  assert.equal(listed.code, 0, listed.stderr);
  const shown = listed.events.find((e) => e.type === 'host-result' && e.task === 'what would be removed');
  const msg = shown?.type === 'host-result' ? shown.msg : '';
  for (const d of old) assert.ok(msg.includes(join(data, d)), `${d} is listed: ${msg}`);
  for (const d of stay) assert.ok(!msg.includes(`${join(data, d)}\t`), `${d} is not listed: ${msg}`);
  assert.deepEqual(readdirSync(data).sort(), [...old, ...stay].sort(), 'list_only removes nothing');

  const unconfirmed = await tsplay(base);
  assert.equal(unconfirmed.code, 5, 'removing needs --yes (or a terminal)');
  const refused = unconfirmed.events.flatMap((e) => (e.type === 'validation-failed' ? e.problems.map((p) => p.message) : []));
  assert.match(refused.join('\n'), /play "Remove kept etcd data dirs older than 7 days" is destructive/);

  const removed = await tsplay([...base, '--yes']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual(readdirSync(data).sort(), [...stay].sort());
});
