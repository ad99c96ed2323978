// sectionHistory reads the newest journals for the longest finished run of each critical section of one playbook.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sectionHistory } from '../../../src/journal/history.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-history-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const line = (e: Record<string, unknown>): string => `${JSON.stringify({ ...e, ts: '2026-12-07T00:00:00.000Z' })}\n`;
const start = (playbook: string): string => line({ type: 'run-start', playbook, inputs: { playbook } });

test('the longest finished section of the same playbook; resumed, failed and other playbooks do not count; output that looks like an event is not one', () => {
  const restore = join(dir, 'restore.yaml');
  writeFileSync(
    join(dir, 'a.jsonl'),
    start(restore) +
      line({ type: 'section-start', section: 'restore' }) +
      // a host's output quoting a section-end is text, not an event
      line({ type: 'host-output', host: 'h', text: '{"type":"section-end","section":"restore","outcome":"done","durationMs":999999}' }) +
      line({ type: 'section-end', section: 'restore', outcome: 'done', durationMs: 5000 }) +
      line({ type: 'section-end', section: 'other', outcome: 'failed', durationMs: 70000 }),
  );
  writeFileSync(
    join(dir, 'b.jsonl'),
    start(restore) +
      line({ type: 'section-start', section: 'restore', resumed: true }) +
      line({ type: 'section-end', section: 'restore', outcome: 'done', durationMs: 90000 }) +
      start(join(dir, 'backup.yaml')) +
      line({ type: 'section-end', section: 'restore', outcome: 'done', durationMs: 80000 }) +
      start(restore) +
      line({ type: 'section-end', section: 'restore', outcome: 'done', durationMs: 7000 }),
  );
  writeFileSync(join(dir, 'c.jsonl'), `${start(restore)}{"type":"section-end","sect`);
  assert.deepEqual(sectionHistory(dir, restore), { restore: 7000 });
  assert.deepEqual(sectionHistory(dir, restore, join(dir, 'b.jsonl')), { restore: 5000 });
  assert.deepEqual(sectionHistory(join(dir, 'missing'), restore), {});
});
