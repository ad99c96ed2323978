import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debugShown, type PlaybookRun, readRecord, recordEnv, runAnsiblePlaybook } from '../support/ansible-oracle.js';
import { tsplay } from '../support/cli.js';

// Issue 14 item 3: add_host and group_by change the run's inventory, and later plays' patterns see the change. Our
// own fixtures, checked against Debian's ansible-core: the same --syntax-check verdict, the same --list-tasks, the
// same hosts for the plays whose pattern the inventory file already answers, and, run on hosts of the controller
// (connection local, the added ones too), the same status per task and host, the same inventory change asked for
// per task (and loop item), and the same values shown by every debug task.
const dir = join(import.meta.dirname, '../fixtures/ansible/inventory-changes');
const inventory = join(dir, 'hosts.ini');
const callbacks = join(import.meta.dirname, '../support/ansible-oracle/callbacks');
const accepted = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const work = mkdtempSync(join(tmpdir(), 'tsplay-invchg-'));

/** ansible-playbook over the fixtures, with their inventory and a HOME of its own. */
function ansible(args: string[], env: Record<string, string> = {}): PlaybookRun {
  return runAnsiblePlaybook(['-i', inventory, ...args], {
    cwd: dir,
    work,
    env: { HOME: work, ANSIBLE_PIPELINING: '1', ANSIBLE_FORKS: '5', ...env },
  });
}

interface Row {
  playbook: string;
  task: string;
  host: string;
  status: string;
  module: string;
  shown?: unknown;
  items?: Array<{ item: unknown; shown?: unknown }>;
  planned?: Array<Record<string, unknown>>;
}

async function ourRows(file: string): Promise<Row[]> {
  const run = await tsplay(['run', join(dir, file), '-i', inventory, '-o', 'json', '--journal', join(work, `${file}.jsonl`)]);
  assert.equal(run.code, 0, `${file}: ${run.stderr}`);
  const modules = new Map<string, string>();
  const rows: Row[] = [];
  for (const e of run.events) {
    if (e.type === 'task-start') modules.set(e.taskId, e.module);
    if (e.type !== 'host-result') continue;
    const module = modules.get(e.taskId) ?? '';
    const row: Row = { playbook: file, task: e.task, host: e.host, status: e.status, module };
    const results = e.result['results'];
    if (module === 'debug') row.shown = debugShown(e.result);
    else if (Array.isArray(results)) row.items = (results as Array<Record<string, unknown>>).map((x) => ({ item: x['item'] }));
    if (module === 'add_host' || module === 'group_by') {
      const parts = Array.isArray(results) ? (results as Array<Record<string, unknown>>) : [e.result];
      row.planned = parts.map((x) =>
        Object.fromEntries(['add_host', 'add_group', 'parent_groups'].filter((k) => k in x).map((k) => [k, x[k]])),
      );
    }
    rows.push(row);
  }
  return rows;
}

test('ansible-playbook --syntax-check accepts every fixture, and so does tsplay validate; a typo of an added group stays refused', async () => {
  const oracle = ansible(['--syntax-check', ...accepted, 'stricter/typo.yaml']);
  assert.equal(oracle.status, 0, oracle.stderr);
  for (const f of accepted) {
    const ours = await tsplay(['validate', join(dir, f), '-i', inventory]);
    assert.equal(ours.code, 0, `${f}: ${ours.stderr}`);
  }
  // stricter than ansible-playbook, which only warns and skips the play: the name is nowhere, a typo
  const typo = await tsplay(['validate', join(dir, 'stricter/typo.yaml'), '-i', inventory]);
  assert.equal(typo.code, 5);
  assert.match(typo.stderr, /typo\.yaml:12:10: pattern "extar" matches no host \(did you mean "extra"\?\)/);
  // a group a templated group_by key may make: a warning, not a problem
  const templated = await tsplay(['validate', join(dir, 'templated.yaml'), '-i', inventory]);
  assert.match(
    templated.stderr,
    /templated\.yaml:10:10: play "a group only the template makes": pattern "tier_replica" names no host or group of the inventory: a templated group_by or add_host may create it at run time/,
  );
  // literal names group_by/add_host create: no warning at all
  const literal = await tsplay(['validate', join(dir, 'add-host.yaml'), '-i', inventory]);
  assert.doesNotMatch(literal.stderr, /WARNING/);
});

test('--list-tasks and --list-hosts as ansible-playbook (hosts only known once the run changed the inventory are listed as none)', async () => {
  const tasks = ansible(['--list-tasks', ...accepted]);
  assert.equal(tasks.status, 0, tasks.stderr);
  const hosts = ansible(['--list-hosts', ...accepted]);
  assert.equal(hosts.status, 0, hosts.stderr);
  const sections = (text: string) =>
    new Map(
      text
        .split(/^playbook: /m)
        .slice(1)
        .map((s) => [s.split('\n')[0]?.trim() ?? '', s.split('\n').slice(1)]),
    );
  const taskSections = sections(tasks.stdout);
  const hostSections = sections(hosts.stdout);
  for (const f of accepted) {
    const theirs = (taskSections.get(f) ?? [])
      .map((l) => l.trim())
      .filter((l) => l && l !== 'tasks:')
      .map((l) => l.replace(/\tTAGS: \[\]$/, ''));
    const ours = await tsplay(['run', join(dir, f), '-i', inventory, '--list-tasks']);
    assert.equal(ours.code, 0, ours.stderr);
    assert.deepEqual(
      ours.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => l.replace(/\tTAGS: \[\]$/, '')),
      theirs,
      f,
    );
    // per play: the sorted host names (ansible-playbook lists them in no fixed order)
    const perPlay = (lines: string[], header: RegExp) => {
      const out: string[][] = [];
      for (const l of lines) {
        if (header.test(l)) out.push([]);
        else if (/^\s{4,}\S+$/.test(l) && !/^\s*(pattern|hosts)/.test(l)) out[out.length - 1]?.push(l.trim());
      }
      return out.map((h) => h.sort());
    };
    const listed = await tsplay(['run', join(dir, f), '-i', inventory, '--list-hosts']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      perPlay(listed.stdout.split('\n'), /^play #/),
      perPlay(
        (hostSections.get(f) ?? []).filter((l) => !/^\s*pattern:|^\s*hosts \(/.test(l)),
        /^\s*play #/,
      ),
      f,
    );
  }
});

test('run on the same hosts: the same status, inventory change and values shown per task and host', async () => {
  const record = join(work, 'record.jsonl');
  // one ansible-playbook run per fixture: in one run, the inventory changes of a playbook last into the next
  for (const f of accepted) {
    const oracle = ansible([f], recordEnv(record, callbacks));
    assert.equal(oracle.status, 0, oracle.stdout + oracle.stderr);
  }
  const theirs = readRecord<Row>(record);
  const mine: Row[] = [];
  for (const f of accepted) mine.push(...(await ourRows(f)));
  assert.ok(theirs.length > 20, `the oracle recorded ${theirs.length} results`);
  const key = (r: Row) => `${r.playbook} | ${r.task} | ${r.host}`;
  const t = new Map(theirs.map((r) => [key(r), r]));
  const m = new Map(mine.map((r) => [key(r), r]));
  assert.deepEqual([...m.keys()].sort(), [...t.keys()].sort(), 'the same tasks ran on the same hosts');
  for (const [k, r] of t) assert.deepEqual(m.get(k), r, k);
  const order = (rows: Row[]) => [...new Set(rows.map((r) => `${r.playbook} | ${r.task}`))];
  assert.deepEqual(order(mine), order(theirs));
  rmSync(work, { recursive: true, force: true });
});
