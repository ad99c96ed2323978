import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debugShown, type PlaybookRun, readRecord, recordEnv, runAnsiblePlaybook } from '../support/ansible-oracle.js';
import { tsplay } from '../support/cli.js';

// Issue 14 items 1 (keywords) and 5: the Ansible forms of tasks and plays (with_*, k=v, args, action, FQCN names,
// YAML 1.1 booleans, templated keywords, throttle, loop_control, delegate_facts, meta, empty patterns), each in one
// fixture of ours, checked against Debian's ansible-core: the same --syntax-check verdict, the same --list-tasks,
// and, run on two hosts of the controller (connection local), the same status per task and host and the same values
// shown by every debug task (per loop item too). One ansible-playbook invocation per kind over all fixtures.
const dir = join(import.meta.dirname, '../fixtures/ansible/keywords');
const inventory = join(dir, 'hosts.ini');
const callbacks = join(import.meta.dirname, '../support/ansible-oracle/callbacks');
const accepted = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const refused = readdirSync(join(dir, 'refuse')).sort();
const work = mkdtempSync(join(tmpdir(), 'tsplay-kw-'));

/** ansible-playbook over the fixtures, with their inventory and a HOME of its own. */
function ansible(args: string[], env: Record<string, string> = {}): PlaybookRun {
  return runAnsiblePlaybook(['-i', inventory, ...args], {
    cwd: dir,
    work,
    env: { HOME: work, ANSIBLE_PIPELINING: '1', ANSIBLE_FORKS: '5', ...env },
  });
}

/** One task result on one host: its status and what a debug task showed (per loop item for a loop). */
interface Row {
  playbook: string;
  task: string;
  host: string;
  status: string;
  module: string;
  shown?: unknown;
  items?: Array<{ item: unknown; shown?: unknown }>;
}

/** Our rows for one fixture, from the --output json events of a run. */
async function ourRows(file: string, base: string, extra: string[] = []): Promise<Row[]> {
  const run = await tsplay(['run', join(dir, file), '-i', inventory, '-e', `base=${base}`, '-o', 'json', ...extra]);
  const modules = new Map<string, string>();
  const rows: Row[] = [];
  for (const e of run.events) {
    if (e.type === 'task-start') modules.set(e.taskId, e.module);
    if (e.type !== 'host-result') continue;
    const module = modules.get(e.taskId) ?? '';
    if (module === 'include') continue; // as the oracle's callback, which records no result of an include
    const row: Row = { playbook: file, task: e.task, host: e.host, status: e.status, module };
    const results = e.result['results'];
    const itemOf = (x: Record<string, unknown>) => x[typeof x['ansible_loop_var'] === 'string' ? x['ansible_loop_var'] : 'item'];
    if (module === 'debug') {
      if (Array.isArray(results))
        row.items = (results as Array<Record<string, unknown>>).map((x) => ({
          item: itemOf(x),
          shown: debugShown(x, String(x['ansible_loop_var'] ?? 'item')),
        }));
      else row.shown = debugShown(e.result);
    } else if (Array.isArray(results)) row.items = (results as Array<Record<string, unknown>>).map((x) => ({ item: itemOf(x) }));
    rows.push(row);
  }
  return rows;
}

const key = (r: Row) => `${r.playbook} | ${r.task} | ${r.host}`;

test('the fixtures ansible-playbook accepts, tsplay accepts; those it refuses, tsplay refuses', async () => {
  const oracle = ansible(['--syntax-check', ...accepted]);
  assert.equal(oracle.status, 0, oracle.stderr);
  for (const f of accepted) {
    const ours = await tsplay(['validate', join(dir, f), '-i', inventory, '-e', 'base=/tmp']);
    assert.equal(ours.code, 0, `${f}: ${ours.stderr}`);
  }
  for (const f of refused) {
    const r = ansible(['--syntax-check', join('refuse', f)]);
    assert.notEqual(r.status, 0, `ansible-playbook accepted refuse/${f}`);
    const ours = await tsplay(['validate', join(dir, 'refuse', f), '-i', inventory]);
    assert.equal(ours.code, 5, `refuse/${f}: ${ours.stdout}${ours.stderr}`);
  }
});

test('refusals say what the construct is and what to write instead', async () => {
  const validate = async (f: string) => (await tsplay(['validate', join(dir, f), '-i', inventory])).stderr;
  assert.match(
    await validate('refuse/extra-params.yaml'),
    /extra-params\.yaml:6:14: this task's "debug" has extra params \(hello there\), which is only allowed for command and shell/,
  );
  assert.match(
    await validate('refuse/unknown-fqcn.yaml'),
    /unknown-fqcn\.yaml:4:7: unknown module or keyword "ansible\.builtin\.no_such_module"/,
  );
  assert.match(
    await validate('refuse/with-flattened.yaml'),
    /"with_flattened" is an Ansible task keyword tsplay does not support \(with_flattened is an Ansible lookup loop .*use loop:\)/,
  );
  // stricter than ansible-playbook --syntax-check, which accepts these (and fails, or silently drops with_items, at run time)
  assert.match(await validate('stricter/loop-twice.yaml'), /loop-twice\.yaml:6:7: "with_items" cannot be combined with "loop"/);
  assert.match(
    await validate('stricter/unknown-action.yaml'),
    /unknown-action\.yaml:5:7: unknown module or keyword "no_such_module" in task/,
  );
  assert.match(
    await validate('stricter/alias-twice.yaml'),
    /alias-twice\.yaml:8:9: "file" is given "path" twice: as "path" and as "dest" \(an alias of it\)/,
  );
  const async = await validate('stricter/async.yaml');
  assert.match(
    async,
    /async\.yaml:6:7: "async" is an Ansible task keyword tsplay does not support \(tsplay has no async tasks: use "timeout: SECONDS"/,
  );
  assert.match(async, /async\.yaml:7:7: "poll" is an Ansible task keyword/);
  assert.match(
    async,
    /async\.yaml:9:7: "with_first_found" is an Ansible task keyword tsplay does not support \(with_first_found is an Ansible lookup loop/,
  );
});

test('--list-tasks lists the same plays and tasks as ansible-playbook --list-tasks', async () => {
  const oracle = ansible(['--list-tasks', ...accepted]);
  assert.equal(oracle.status, 0, oracle.stderr);
  // "playbook: F" sections; in each, play headers and task lines without the indentation
  const sections = oracle.stdout.split(/^playbook: /m).slice(1);
  assert.equal(sections.length, accepted.length);
  for (const section of sections) {
    const [file = '', ...lines] = section.split('\n');
    const theirs = lines
      .map((l) => l.trim())
      .filter((l) => l && l !== 'tasks:')
      .map((l) => l.replace(/\tTAGS: \[\]$/, ''));
    const ours = await tsplay(['run', join(dir, file.trim()), '-i', inventory, '--list-tasks', '-e', 'base=/tmp']);
    assert.equal(ours.code, 0, ours.stderr);
    // tsplay also lists a named block as "block: NAME" (ansible-playbook lists only the tasks in it), and its rescue
    // and always tasks under "rescue:" and "always:" (ansible-playbook lists neither)
    const mine: string[] = [];
    let hiddenBelow = Infinity;
    for (const l of ours.stdout.split('\n')) {
      const indent = l.length - l.trimStart().length;
      if (indent <= hiddenBelow) hiddenBelow = Infinity;
      if (hiddenBelow !== Infinity || !l.trim() || l.trim().startsWith('block: ')) continue;
      if (/^(rescue|always):$/.test(l.trim())) {
        hiddenBelow = indent;
        continue;
      }
      mine.push(l.trim().replace(/\tTAGS: \[\]$/, ''));
    }
    assert.deepEqual(
      mine,
      theirs.map((l) => l.replace(/\tTAGS: \[\]$/, '')),
      file,
    );
  }
});

test('run on the same hosts: the same status per task and host, and the same values shown', async () => {
  const record = join(work, 'record.jsonl');
  const oracle = ansible(['-e', `base=${join(work, 'ansible')}`, ...accepted], recordEnv(record, callbacks));
  assert.equal(oracle.status, 0, oracle.stdout + oracle.stderr);
  const theirs = readRecord<Row>(record);
  const mine: Row[] = [];
  for (const f of accepted) mine.push(...(await ourRows(f, join(work, 'tsplay'))));
  assert.ok(theirs.length > 100, `the oracle recorded ${theirs.length} results`);
  // a task that runs more than once on a host (in an include per item) is told apart by its occurrence
  const byKey = (rows: Row[]) => {
    const seen = new Map<string, number>();
    return new Map(
      rows.map((r) => {
        const n = (seen.get(key(r)) ?? 0) + 1;
        seen.set(key(r), n);
        return [`${key(r)} #${n}`, r];
      }),
    );
  };
  const t = byKey(theirs);
  const m = byKey(mine);
  assert.deepEqual([...m.keys()].sort(), [...t.keys()].sort(), 'the same tasks ran on the same hosts');
  for (const [k, r] of t) assert.deepEqual(m.get(k), r, k);
  // and in the same order of tasks, per playbook
  const order = (rows: Row[]) => [...new Set(rows.map((r) => `${r.playbook} | ${r.task}`))];
  assert.deepEqual(order(mine), order(theirs));
  // the empty play was skipped with a warning
  const run = await tsplay(['run', join(dir, 'empty-pattern.yaml'), '-i', inventory]);
  assert.match(run.stderr, /empty-pattern\.yaml:2:10: play "empty" skipped: pattern "empty" matches no host \(group "empty" is empty\)/);
  // a condition written with {{ }} runs, with ansible-core's warning
  const delimiters = await tsplay(['run', join(dir, 'condition-delimiters.yaml'), '-i', inventory]);
  assert.match(
    delimiters.stderr,
    /condition-delimiters\.yaml:16:13: conditional statements should not include jinja2 templating delimiters such as \{\{ \}\} or \{% %\}\. Found: not \{\{ flag \}\}/,
  );
});

test('--tags: an include_tasks runs when its own tags are selected, its tasks by theirs (apply:), as in ansible-playbook', async () => {
  const file = 'include-keywords.yaml';
  const record = join(work, 'record-tags.jsonl');
  const oracle = ansible(['--tags', 'inc', file], recordEnv(record, callbacks));
  assert.equal(oracle.status, 0, oracle.stdout + oracle.stderr);
  const theirs = readRecord<Row>(record);
  const mine = await ourRows(file, join(work, 'tsplay'), ['--tags', 'inc']);
  const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();
  assert.deepEqual(sorted(mine), sorted(theirs));
  // the imported tasks and the applied include's, not the tasks of the include tagged only itself
  assert.deepEqual(
    [...new Set(mine.map((r) => `${r.task}: ${String(r.shown)}`))],
    ['level shown: level import', 'level with task vars: level task', 'fail here: undefined', 'after the failure: went on'],
  );
});

test('any_errors_fatal on a block stops every host of the batch, as in ansible-playbook', async () => {
  const file = 'fatal/block.yaml';
  const record = join(work, 'record-fatal.jsonl');
  const oracle = ansible([file], recordEnv(record, callbacks));
  assert.notEqual(oracle.status, 0);
  const row = (r: Row) => `${r.task} | ${r.host} | ${r.status}`;
  const theirs = readFileSync(record, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => row(JSON.parse(l) as Row));
  const mine = (await ourRows(file, join(work, 'tsplay'))).map(row);
  assert.deepEqual(mine.sort(), theirs.sort());
  assert.deepEqual(mine, ['boom on h1 | h1 | failed', 'boom on h1 | h2 | skipped']);
});

test('meta: clear_host_errors brings an unreachable host back, as in ansible-playbook', async () => {
  const file = 'unreachable/clear-host-errors.yaml';
  const record = join(work, 'record-unreachable.jsonl');
  const oracle = ansible([file], recordEnv(record, callbacks));
  // (ansible-core also counts the lagging host's meta task as ok: only the unreachable and ignored counts are compared)
  assert.match(oracle.stdout, /gone\s+: ok=\d+\s+changed=0\s+unreachable=1\s+failed=0\s+skipped=0\s+rescued=0\s+ignored=1/, oracle.stdout);
  const row = (r: Row) => `${r.task} | ${r.host} | ${r.status}`;
  const theirs = readFileSync(record, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => row(JSON.parse(l) as Row));
  const mine = (await ourRows(file, join(work, 'tsplay'))).map(row);
  assert.deepEqual(mine.sort(), theirs.sort());
  assert.ok(mine.includes('after clear | gone | ok') && mine.includes('ping again | gone | unreachable'), mine.join('\n'));
  const run = await tsplay(['run', join(dir, file), '-i', inventory]);
  assert.match(
    run.stdout,
    /gone\s+: ok=2\s+changed=0\s+unreachable=1\s+failed=0\s+skipped=0\s+rescued=0\s+ignored=1/,
    run.stdout + run.stderr,
  );
  rmSync(work, { recursive: true, force: true });
});
