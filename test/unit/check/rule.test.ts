import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckContext, PlayCheckContext } from '../../../src/check/context.js';
import { runRules, type Rule } from '../../../src/check/rule.js';
import { RULES } from '../../../src/check/rules.js';
import type { Play } from '../../../src/playbook/model.js';

const play = (name: string): Play => ({
  name,
  hosts: [],
  keywords: {},
  tasks: [],
  handlers: [],
  varsFiles: [],
  defaultsFiles: [],
  loc: { file: `${name}.yml`, line: 1, col: 1 },
  file: `${name}.yml`,
  dir: '.',
});

function context(plays: Play[], preflight?: () => Promise<[]>): CheckContext {
  return {
    opts: { extraVars: {}, tags: [], skipTags: [], connection: {} },
    inventory: { hosts: new Map(), groups: new Map(), sources: [] },
    plays,
    varsFiles: new Map(),
    unreadableFiles: new Set(),
    read: { input: [], inventory: [], playbook: [] },
    matches: [],
    playHosts: [],
    rematch: [],
    connections: [],
    engine: { variables: [], rescueVariables: [], localhosts: [], runtimeHosts: new Set() },
    playTitle: (p) => p.name,
    preflight,
    warnings: [],
  };
}

test('consecutive play rules run play by play; problems come back sorted by file and position, unplaced ones last', async () => {
  const order: string[] = [];
  const rules: Rule[] = [
    { name: 'first', check: () => [{ message: 'no place' }, { message: 'b.yml 3', loc: { file: 'b.yml', line: 3, col: 1 } }] },
    {
      name: 'p1',
      each: 'play',
      check: ({ play }: PlayCheckContext) => {
        order.push(`p1 ${play.name}`);
        return [];
      },
    },
    {
      name: 'p2',
      each: 'play',
      check: ({ play, index }: PlayCheckContext) => {
        order.push(`p2 ${play.name}`);
        return [{ message: `play ${index}`, loc: play.loc }];
      },
    },
    { name: 'last', check: () => [{ message: 'b.yml 2', loc: { file: 'b.yml', line: 2, col: 1 } }] },
  ];
  const problems = await runRules(rules, context([play('a'), play('b')]));
  assert.deepEqual(order, ['p1 a', 'p2 a', 'p1 b', 'p2 b']);
  assert.deepEqual(
    problems.map((p) => p.message),
    ['play 1', 'b.yml 2', 'b.yml 3', 'play 0', 'no place'],
  );
});

test('a when-valid rule runs last, and only when no other rule found a problem', async () => {
  const calls: string[] = [];
  const late: Rule = {
    name: 'late',
    whenValid: true,
    check: async () => {
      calls.push('late');
      return [{ message: 'from the store' }];
    },
  };
  assert.deepEqual(
    (await runRules([late, { name: 'bad', check: () => [{ message: 'bad' }] }], context([]))).map((p) => p.message),
    ['bad'],
  );
  assert.deepEqual(calls, []);
  assert.deepEqual(
    (await runRules([late, { name: 'fine', check: () => [] }], context([]))).map((p) => p.message),
    ['from the store'],
  );
  assert.deepEqual(calls, ['late']);
});

test('the table: every rule named once; the store preflight is the only when-valid rule and runs only when asked for', async () => {
  const names = RULES.map((r) => r.name);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual(
    RULES.filter((r) => 'whenValid' in r).map((r) => r.name),
    ['module-preflights'],
  );
  let asked = 0;
  assert.deepEqual(
    await runRules(
      RULES,
      context([play('a')], async () => {
        asked++;
        return [];
      }),
    ),
    [],
  );
  assert.equal(asked, 1);
});
