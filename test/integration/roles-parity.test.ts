// Roles and includes compared with Debian's ansible-core. Every playbook in test/fixtures/ansible/roles/ (play
// `roles:`, import_role, include_role, include_tasks/import_tasks/include_vars) must be accepted by both, list the
// same tasks as `ansible-playbook --list-tasks` (`role : task` names), and run the same on localhost (connection
// local): per task the same status and the same debug message, in the same order, and the same files written. The
// fixtures in refused/ must get the verdict their header records from `--syntax-check` and, from tsplay, the message
// the header names, located in the fixture. One ansible-playbook invocation per kind (a few for the refusals).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../src/engine/events.js';
import { runPlaybook } from '../../src/engine/run.js';
import type { TaskNode } from '../../src/playbook/model.js';
import { loadPlays } from '../../src/playbook/normalize.js';
import { formatProblem, type Problem } from '../../src/errors/problem.js';
import { ansibleAvailable, type PlaybookRun, runAnsiblePlaybook } from '../support/ansible-oracle.js';

const DIR = join(import.meta.dirname, '../fixtures/ansible/roles');
const REFUSED = join(DIR, 'refused');
const CALLBACKS = join(import.meta.dirname, '../support/ansible-oracle/callback');
const INCLUDES = /^(ansible\.(builtin|legacy)\.)?(include_tasks|include_role)$/;
const skip = ansibleAvailable() ? false : 'ansible-core is not installed (scripts/ensure-system.sh installs it)';

const playbooks = readdirSync(DIR)
  .filter((f) => f.endsWith('.yml') && f !== 'inventory.yml')
  .sort();
const refused = readdirSync(REFUSED)
  .filter((f) => f.endsWith('.yml'))
  .sort();
let work: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-roles-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** ansible-playbook in `cwd` (the fixtures' dir), its temp dirs under the test's work dir. */
/** Runs PLAYBOOK with tsplay's engine on the fixtures' inventory (local connection, 5 forks), collecting its events. */
function runOurs(playbook: string, extraVars: Record<string, unknown>, events: EngineEvent[]): Promise<number> {
  return runPlaybook(
    {
      playbook,
      inventory: [join(DIR, 'inventory.ini')],
      extraVars,
      check: false,
      forks: 5,
      tags: [],
      skipTags: [],
      verbosity: 0,
      yes: true,
      interactive: false,
      connection: { knownHostsFiles: [] },
    },
    (e) => events.push(e),
  );
}

function ansible(args: string[], cwd: string, env: Record<string, string> = {}): PlaybookRun {
  const quiet = { ANSIBLE_LOCAL_TEMP: join(work, 'ansible-tmp'), ANSIBLE_REMOTE_TEMP: join(work, 'ansible-remote-tmp') };
  return runAnsiblePlaybook(args, {
    cwd,
    work,
    env: { ...quiet, ANSIBLE_DEPRECATION_WARNINGS: 'false', ANSIBLE_RETRY_FILES_ENABLED: 'false', ...env },
  });
}

/** The tasks of a play as --list-tasks shows them (with their tags): module tasks by title, an include as one task. */
function listed(nodes: TaskNode[]): string[] {
  const line = (title: string, tags: string[]) => `${title}  TAGS: [${[...new Set(tags)].sort().join(', ')}]`;
  return nodes.flatMap(
    (n) => (n.kind === 'module' ? [line(n.title, n.tags)] : n.include !== undefined ? [line(n.include, n.tags)] : listed(n.block)), // ansible-playbook --list-tasks lists neither rescue nor always tasks
  );
}

function load(file: string): { titles: string[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const plays = loadPlays(file, problems);
  return { titles: plays.flatMap((p) => listed(p.tasks)), problems };
}

test('each playbook: accepted, and the same task list as ansible-playbook --list-tasks', { skip }, () => {
  const syntax = ansible(['-i', 'inventory.ini', '--syntax-check', ...playbooks], DIR);
  assert.equal(syntax.status, 0, `ansible-playbook --syntax-check refused a fixture:\n${syntax.stderr}`);
  const out = ansible(['-i', 'inventory.ini', '--list-tasks', ...playbooks], DIR);
  assert.equal(out.status, 0, out.stderr);
  const theirs = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of out.stdout.split('\n')) {
    const pb = /^playbook: (.+)$/.exec(line);
    if (pb?.[1]) theirs.set(pb[1], (current = []));
    const task = /^ {6}(.+?)\tTAGS: (\[.*\])$/.exec(line);
    if (task?.[1]) current.push(`${task[1]}  TAGS: ${task[2] ?? ''}`);
  }
  for (const f of playbooks) {
    const { titles, problems } = load(join(DIR, f));
    assert.deepEqual(problems.map(formatProblem), [], f);
    assert.ok(theirs.get(f)?.length, `ansible listed no tasks for ${f}`);
    assert.deepEqual(titles, theirs.get(f), f);
  }
});

interface Step {
  task: string;
  status: string;
  msg?: unknown;
}

test('each playbook runs on localhost with the same results as ansible-playbook', { skip }, async () => {
  const ansibleOut = join(work, 'ansible-out');
  const ours = join(work, 'tsplay-out');
  const r = ansible(['-i', 'inventory.ini', '-e', `out_dir=${ansibleOut}`, ...playbooks], DIR, {
    ANSIBLE_STDOUT_CALLBACK: 'tsplay_results',
    ANSIBLE_CALLBACK_PLUGINS: CALLBACKS,
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const theirs = new Map<string, Step[]>();
  let current: Step[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('TSPLAY ')) continue;
    const e = JSON.parse(line.slice(7)) as { playbook?: string; task: string; action: string; status: string; msg?: unknown };
    if (e.playbook !== undefined) theirs.set(e.playbook, (current = []));
    // an include that ran is Ansible's "included: file" notice; a skipped one is a result
    else if (!(INCLUDES.test(e.action) && e.status === 'ok'))
      current.push({ task: e.task, status: e.status, ...(e.msg !== undefined ? { msg: e.msg } : {}) });
  }
  for (const f of playbooks) {
    const events: EngineEvent[] = [];
    const code = await runOurs(join(DIR, f), { out_dir: ours }, events);
    const problems = events.flatMap((e) => (e.type === 'validation-failed' ? e.problems.map(formatProblem) : []));
    assert.equal(code, 0, `${f}: ${problems.join('\n')}`);
    const steps: Step[] = events.flatMap((e) => {
      if (e.type !== 'host-result') return [];
      const msg = e.result['msg'];
      return [
        { task: e.task, status: e.status, ...(msg !== undefined && /\bdebug\b|^debug$/.test(moduleOf(events, e.taskId)) ? { msg } : {}) },
      ];
    });
    assert.deepEqual(steps, theirs.get(f), f);
  }
  for (const file of ['page.txt', 'note.txt'])
    assert.equal(readFileSync(join(ours, file), 'utf8'), readFileSync(join(ansibleOut, file), 'utf8'), file);
});

function moduleOf(events: EngineEvent[], taskId: string): string {
  const start = events.find((e): e is Extract<EngineEvent, { type: 'task-start' }> => e.type === 'task-start' && e.taskId === taskId);
  return start?.module ?? '';
}

/** A refused fixture's header: what ansible-playbook --syntax-check says and the words of tsplay's message. */
function header(file: string): { ansible: 'accepts' | 'refuses'; tsplay: string } {
  const text = readFileSync(join(REFUSED, file), 'utf8');
  const verdict = /^# ansible: (accepts|refuses)$/m.exec(text)?.[1];
  const words = /^# tsplay: (.+)$/m.exec(text)?.[1];
  assert.ok(verdict && words, `${file} needs "# ansible:" and "# tsplay:" header lines`);
  return { ansible: verdict as 'accepts' | 'refuses', tsplay: words };
}

test('refused forms: ansible-core gives the recorded verdict, tsplay a located message saying what to write', { skip }, () => {
  const headers = new Map(refused.map((f) => [f, header(f)]));
  const accepted = refused.filter((f) => headers.get(f)?.ansible === 'accepts');
  const all = ansible(['-i', '../inventory.ini', '--syntax-check', ...accepted], REFUSED);
  assert.equal(all.status, 0, `ansible-core refused one of ${accepted.join(', ')}:\n${all.stderr}`);
  for (const f of refused.filter((x) => headers.get(x)?.ansible === 'refuses')) {
    const one = ansible(['-i', '../inventory.ini', '--syntax-check', f], REFUSED);
    assert.notEqual(one.status, 0, `ansible-core accepted ${f}`);
  }
  for (const f of refused) {
    const { problems } = load(join(REFUSED, f));
    const words = headers.get(f)?.tsplay ?? '';
    const hit = problems.find((p) => p.message.includes(words));
    assert.ok(hit, `${f}: no problem says "${words}"; got ${problems.map(formatProblem).join(' | ')}`);
    assert.equal(hit.loc?.file, join(REFUSED, f), `${f}: located in the fixture`);
    assert.ok((hit.loc?.line ?? 0) > 2 && (hit.loc?.col ?? 0) > 0, `${f}: has a line and column`);
  }
});

test('a templated include whose name picks no file at run time fails the host there, as in ansible-playbook', { skip }, async () => {
  const dir = join(DIR, 'run-time');
  const theirs = ansible(['-i', '../inventory.ini', 'missing.yml'], dir);
  assert.notEqual(theirs.status, 0);
  assert.match(theirs.stdout, /TASK \[include the picked file\][\s\S]*FAILED! => .*Could not find or access '[^']*\/tasks\/nosuch\.yml'/);
  assert.doesNotMatch(theirs.stdout, /TASK \[after\]/);
  const events: EngineEvent[] = [];
  const code = await runOurs(join(dir, 'missing.yml'), {}, events);
  assert.notEqual(code, 0);
  const results = events.flatMap((e) => (e.type === 'host-result' ? [`${e.task}: ${e.status}: ${e.msg ?? ''}`] : []));
  assert.equal(results.length, 2, results.join('\n'));
  assert.match(results[1] ?? '', /^include the picked file: failed: Could not find or access '[^']*\/tasks\/nosuch\.yml'/);
  // before the run, tsplay said the choice is made at run time and which files it checked
  const warned = events.some(
    (e) =>
      e.type === 'warning' &&
      /include_tasks "\.\.\/tasks\/\{\{ part \}\}\.yml" is resolved per host at run time: checked now are the 2 task files/.test(e.message),
  );
  assert.ok(warned, 'a warning names the files checked before the run');
});
