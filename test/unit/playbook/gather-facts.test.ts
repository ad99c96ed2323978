import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlays } from '../../../src/playbook/normalize.js';
import { gatherFacts, isGatheringFacts } from '../../../src/playbook/gather-facts.js';
import type { Problem } from '../../../src/errors/problem.js';

test('gather_facts is read as Ansible reads a boolean', () => {
  for (const v of [true, 'yes', 'on', 'True', 'TRUE', 'y', '1', 1]) assert.equal(gatherFacts(v), true, String(v));
  for (const v of [false, 'no', 'off', 'False', undefined, '{{ gather }}', 0]) assert.equal(gatherFacts(v), false, String(v));
});

test('a play with gather_facts: yes starts with the implicit "Gathering Facts" setup task', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-gf-'));
  try {
    const file = join(dir, 'play.yml');
    writeFileSync(
      file,
      '- hosts: all\n  gather_facts: yes\n  tasks:\n    - debug: { msg: "{{ ansible_hostname }}" }\n- hosts: all\n  tasks:\n    - debug: { msg: x }\n',
    );
    const problems: Problem[] = [];
    const [first, second] = loadPlays(file, problems);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      first?.tasks.map((t) => t.title),
      ['Gathering Facts', 'debug'],
    );
    const gather = first?.tasks[0];
    assert.ok(gather && gather.kind === 'module' && gather.module === 'setup' && isGatheringFacts(gather));
    assert.deepEqual(gather.tags, ['always']);
    assert.deepEqual(
      second?.tasks.map((t) => t.title),
      ['debug'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
