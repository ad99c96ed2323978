import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { loadPlays } from '../../../src/playbook/normalize.js';
import { allConditions, conditionsToJudge, type EffectiveKeywords } from '../../../src/playbook/effective-keywords.js';
import type { BlockTask, Play, TaskNode } from '../../../src/playbook/model.js';
import type { Problem } from '../../../src/errors/problem.js';

// Keyword inheritance is resolved once, while the playbook is normalised: every task and block carries the `when`
// chain, vars layers, environment and inherited keywords of the play and the blocks, includes and roles around it.
const file = join(import.meta.dirname, '../../fixtures/playbooks/effective/main.yaml');

function load(): Play {
  const problems: Problem[] = [];
  const [play] = loadPlays(file, problems);
  assert.deepEqual(problems, []);
  assert.ok(play);
  return play;
}

/** The first node with this title, depth first. */
function find(nodes: TaskNode[], title: string): TaskNode {
  const all = (list: TaskNode[]): TaskNode[] =>
    list.flatMap((n) => [n, ...(n.kind === 'block' ? all([...n.block, ...n.rescue, ...n.always]) : [])]);
  const hit = all(nodes).find((n) => n.title === title);
  assert.ok(hit, `no task "${title}"`);
  return hit;
}

/** The `when` chain as `test@line` (and `!` for a condition judged where its include is reached). */
function chain(k: EffectiveKeywords): string[] {
  return k.when.map((c) => `${String(c.test)}@${basename(c.loc.file)}:${c.loc.line}${c.atInclude ? '!' : ''}`);
}

test("a task in a block: the blocks' conditions then its own, vars layers, merged environment, innermost keywords, the play's become", () => {
  const play = load();
  const inner = find(play.tasks, 'inner').effective;
  assert.deepEqual(chain(inner), ['outer_ok@main.yaml:9', 'inner_a@main.yaml:16', 'inner_b@main.yaml:16']);
  assert.deepEqual(
    inner.vars.map((l) => l.vars),
    [{ x: 'block' }, { y: 'task' }],
  );
  assert.deepEqual(inner.environment, { A: 'play', B: 'block' });
  assert.equal(inner.become, true);
  assert.equal(inner.become_user, '{{ who }}'); // a template stays one: rendered per host when the task runs
  assert.equal(inner.no_log, true);
  assert.equal(inner.timeout, 5);
  assert.equal(inner.ignore_unreachable, true);
  const rescued = find(play.tasks, 'rescued').effective;
  assert.deepEqual(chain(rescued), ['outer_ok@main.yaml:9']);
  assert.equal(rescued.no_log, false);
  assert.equal(rescued.become_user, 'admin');
});

test("include_tasks: its `when` is judged at the include, not again by its tasks; an import's is judged by each task", () => {
  const play = load();
  const include = find(play.tasks, 'include it') as BlockTask;
  assert.equal(include.include, 'include it');
  assert.deepEqual(chain(include.effective), ['inc_ok@main.yaml:28']);
  const [included] = include.block;
  assert.ok(included);
  assert.deepEqual(chain(included.effective), ['inc_ok@main.yaml:28!', 'own@included.yaml:3']);
  assert.deepEqual(conditionsToJudge(included.effective), ['own']);
  assert.deepEqual(allConditions(included.effective), ['inc_ok', 'own']);
  assert.equal(included.effective.check_mode, true); // from its apply:
  assert.deepEqual(
    included.effective.vars.map((l) => l.vars),
    [{ z: 'inc' }],
  );
  const imports = find(play.tasks, 'import it') as BlockTask;
  assert.equal(imports.include, undefined);
  const [imported] = imports.block;
  assert.ok(imported);
  assert.deepEqual(chain(imported.effective), ['imp_ok@main.yaml:32', 'own@included.yaml:3']);
  assert.deepEqual(conditionsToJudge(imported.effective), ['imp_ok', 'own']);
});

test("an include looping at run time: its vars layer is shared with its tasks, which get each pass's item there", () => {
  const play = load();
  const looped = find(play.tasks, 'looped include') as BlockTask;
  const layer = looped.effective.vars.at(-1);
  assert.deepEqual(layer?.loop, { item: 'item' });
  const [task] = looped.block;
  assert.ok(task);
  assert.equal(task.effective.vars.at(-1), layer);
  assert.deepEqual(conditionsToJudge(task.effective), ['own']);
});

test("include_role: the role's tasks inherit its apply: keywords and its when; handlers only the play's", () => {
  const play = load();
  const task = find(play.tasks, 'r1 : role task').effective;
  assert.equal(task.delegate_to, 'localhost');
  assert.deepEqual(conditionsToJudge(task), []);
  assert.deepEqual(allConditions(task), ['role_ok']);
  const handlers = Object.fromEntries(play.handlers.map((h) => [h.title, h.effective]));
  assert.deepEqual(Object.keys(handlers).sort(), ['h', 'r1 : role handler']);
  for (const h of Object.values(handlers)) {
    assert.deepEqual(h, {
      when: [],
      vars: [],
      environment: { A: 'play', B: 'play' },
      become: true,
      become_user: 'admin',
      ignore_unreachable: true,
    });
  }
});

test("the play's no_log and check_mode reach every task, and a task may turn them off", () => {
  const problems: Problem[] = [];
  const plays = loadPlays(join(import.meta.dirname, '../../fixtures/ansible/keywords/inheritance.yaml'), problems);
  assert.deepEqual(problems, []);
  const tasks = Object.fromEntries((plays[1]?.tasks ?? []).map((t) => [t.title, t.effective]));
  assert.equal(tasks['hidden by the play']?.no_log, true);
  assert.equal(tasks['would write by the play']?.check_mode, true);
  assert.equal(tasks['written by the task']?.check_mode, false);
  assert.equal(tasks['written by the task']?.no_log, false);
  assert.equal(plays[0]?.tasks[0]?.effective.no_log, undefined);
});
