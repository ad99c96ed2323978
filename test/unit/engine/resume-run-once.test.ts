// A resume gives every host what a run_once task registered (the engine shared it in memory; the journal must too).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readJournal } from '../../../src/journal/reader.js';
import { JournalWriter } from '../../../src/journal/writer.js';
import { runFake } from '../../support/engine.js';

test('a run_once registered result and its facts reach every host of the batch on resume', async () => {
  const run = await runFake(
    `- hosts: g
  tasks:
    - name: find
      command: find-backup
      register: backup
      run_once: true
    - name: fact
      set_fact: { stamp: "s-1" }
      run_once: true
    - name: use
      debug: { msg: "{{backup.stdout}} {{stamp}}" }
`,
    { setup: (f) => f.on(/find-backup/, { stdout: 'Full-1' }) },
  );
  assert.equal(run.code, 0);
  const shared = run.events.find((e) => e.type === 'host-result' && e.task === 'find');
  assert.deepEqual(shared?.type === 'host-result' && shared.sharedWith, ['host2', 'host3']);
  const path = join(mkdtempSync(join(tmpdir(), 'tsplay-journal-')), 'j.jsonl');
  const w = new JournalWriter(path);
  for (const e of run.events) w.handle(e);
  const hosts = readJournal(path).resume.hosts;
  for (const h of ['host1', 'host2', 'host3']) {
    assert.equal((hosts[h]?.registered['backup'] as { stdout?: string } | undefined)?.stdout, 'Full-1', h);
    assert.equal(hosts[h]?.facts['stamp'], 's-1', h);
  }
});
