import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadlineFrom } from '../../src/cli/deadline.js';
import { tsplay } from '../support/cli.js';

// Issue 18 items 2 and 8: a stopped run stays resumable, and what the operator reads at the end of a run is right.
// Local connections only (no lab): ~10 s.
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-windows-'));
});

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const lines = (journal: string) => readFileSync(journal, 'utf8').trim().split('\n');

describe('stopped runs stay resumable', () => {
  test('a resume refused for want of --yes writes nothing to the journal, the hint says --yes, and the resume with --yes completes', async () => {
    const out = mkdtempSync(join(dir, 'out-'));
    const pb = write(
      'window.yaml',
      `# Rolling back: tsplay run rollback.yaml -i INV --yes
- name: prepare {{ site }}
  hosts: all
  vars: { site: east }
  tasks:
    - name: slow step
      shell: sleep 1.2 && echo prepared > {{q out}}/{{inventory_hostname}}
- name: change {{ site }}
  hosts: all
  destructive: true
  vars: { site: east }
  tasks:
    - name: change it
      shell: echo changed >> {{q out}}/{{inventory_hostname}}
`,
    );
    const journal = join(dir, 'window.jsonl');
    const first = await tsplay([
      'run',
      pb,
      '-i',
      'a,',
      '-e',
      `ansible_connection=local out=${out}`,
      '--yes',
      '--max-duration',
      '1s',
      '--journal',
      journal,
    ]);
    assert.equal(first.code, 99, first.stderr);
    assert.ok(first.stderr.includes(`resume with: tsplay resume ${journal} --yes`), first.stderr);
    assert.match(
      first.stderr,
      /or roll back \(the playbook's header says\): tsplay run rollback\.yaml -i a, --yes/,
      'the inventory given, not "-i INV"',
    );
    const before = readFileSync(journal, 'utf8');

    const refused = await tsplay(['resume', journal]);
    assert.equal(refused.code, 5);
    assert.match(refused.stderr, /play "change east" is destructive: run with --yes/, 'the play name is rendered');
    assert.equal(readFileSync(journal, 'utf8'), before, 'a refused resume leaves the journal as it was');

    const resumed = await tsplay(['resume', journal, '--yes']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(readFileSync(join(out, 'a'), 'utf8'), 'prepared\nchanged\n');
    assert.ok(resumed.stderr.includes(`journal: ${journal}`), 'the journal path is printed at the end of every run');
    const end = JSON.parse(lines(journal).pop() ?? '{}') as { type: string; complete?: boolean };
    assert.deepEqual([end.type, end.complete], ['run-end', true]);
    const again = await tsplay(['resume', journal, '--yes']);
    assert.equal(again.code, 5);
    assert.match(again.stderr, /that run completed \(every play ran to its end\); nothing to resume/);
  });

  test('a declined destructive play stops with nothing changed: no rollback is suggested', async () => {
    const pb = write(
      'declined.yaml',
      `# Rolling back: tsplay run rollback.yaml -i INV --yes\n- name: risky\n  hosts: all\n  destructive: true\n  tasks:\n    - command: "true"\n`,
    );
    const journal = join(dir, 'declined.jsonl');
    // a terminal that answers "no"
    const { main } = await import('../../src/cli/main.js');
    let stderr = '';
    const asked: string[] = [];
    const code = await main(['run', pb, '-i', 'a,', '-e', 'ansible_connection=local', '--journal', journal, '-o', 'plain'], {
      io: { out: () => undefined, err: (s) => (stderr += s) },
      isTTY: true,
      ask: async (q) => {
        asked.push(q);
        return false;
      },
    });
    assert.deepEqual(asked, ['Play "risky" is destructive. Continue?']);
    assert.equal(code, 99, stderr);
    assert.match(stderr, /play "risky" was not confirmed/);
    assert.match(stderr, /nothing was changed on any host/);
    assert.doesNotMatch(stderr, /roll back/);
  });

  test('run-start names the journal; a run refused at validation writes no journal', async () => {
    const pb = write('ok.yaml', `- hosts: all\n  tasks:\n    - command: "true"\n`);
    const journal = join(dir, 'ok.jsonl');
    const r = await tsplay(['run', pb, '-i', 'a,', '-e', 'ansible_connection=local', '--journal', journal, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const start = r.events.find((e) => e.type === 'run-start');
    assert.equal(start?.type === 'run-start' ? start.journal : undefined, journal);
    assert.ok(r.stderr.includes(`tsplay: journal: ${journal}`));
    const bad = join(dir, 'bad.jsonl');
    const invalid = await tsplay(['run', write('bad.yaml', `- hosts: nowhere\n  tasks: []\n`), '-i', 'a,', '--journal', bad]);
    assert.equal(invalid.code, 5);
    assert.throws(() => readFileSync(bad), /ENOENT/);
  });
});

describe('deadlines', () => {
  test('--max-duration needs a unit; --deadline HH:MM already past today is tomorrow (a window across midnight)', async () => {
    const bare = await tsplay(['run', 'x.yaml', '-i', 'a,', '--max-duration', '5']);
    assert.equal(bare.code, 5);
    assert.match(bare.stderr, /--max-duration: "5" has no unit: write 5s, 5m or 5h/);
    const now = new Date(2025, 0, 10, 23, 30);
    const d = deadlineFrom('00:30', undefined, now);
    assert.ok(d instanceof Date);
    assert.equal((d as Date).getTime() - now.getTime(), 60 * 60_000);
    assert.equal((deadlineFrom('23:45', undefined, now) as Date).getDate(), 10);
    assert.match(String(deadlineFrom('25:00', undefined, now)), /not a time of day/);
  });
});
