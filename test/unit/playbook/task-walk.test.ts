import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockTask, ModuleTask, TaskKeywords, TaskNode } from '../../../src/playbook/model.js';
import { allTasks, inRescue, walkTasks } from '../../../src/playbook/task-walk.js';

const loc = { file: 'p.yml', line: 1, col: 1 };
const effective = { when: [], vars: [], environment: {} };
const task = (title: string): ModuleTask => ({
  kind: 'module',
  id: title,
  loc,
  dir: '.',
  keywords: { name: title },
  effective,
  tags: [],
  title,
  module: 'ping',
  args: {},
});
const block = (
  title: string,
  parts: { block?: TaskNode[]; rescue?: TaskNode[]; always?: TaskNode[] },
  keywords: TaskKeywords = {},
): BlockTask => ({
  kind: 'block',
  id: title,
  loc,
  dir: '.',
  keywords: { name: title, ...keywords },
  effective,
  tags: [],
  title,
  block: parts.block ?? [],
  rescue: parts.rescue ?? [],
  always: parts.always ?? [],
});

const tree: TaskNode[] = [
  task('a'),
  block(
    'outer',
    {
      block: [task('b'), block('inner', { block: [task('c')], rescue: [task('d')] }, { become: true })],
      rescue: [task('e')],
      always: [task('f')],
    },
    { when: 'x' },
  ),
  task('g'),
];

test('every node once, each block before its body, rescue and always', () => {
  assert.deepEqual(
    allTasks(tree).map((t) => t.title),
    ['a', 'outer', 'b', 'inner', 'c', 'd', 'e', 'f', 'g'],
  );
});

test('a task knows the blocks around it, outermost first, and whether it is in a rescue', () => {
  const seen: Record<string, { path: string; rescue: boolean; index: number }> = {};
  walkTasks(tree, (t, at) => {
    seen[t.title] = {
      path: at.path.map((p) => `${p.block.title}.${p.section}`).join('/'),
      rescue: inRescue(at),
      index: at.index,
    };
  });
  assert.deepEqual(seen['c'], {
    path: 'outer.block/inner.block',
    rescue: false,
    index: 0,
  });
  assert.deepEqual(seen['d'], {
    path: 'outer.block/inner.rescue',
    rescue: true,
    index: 0,
  });
  assert.deepEqual(seen['f'], { path: 'outer.always', rescue: false, index: 0 });
  assert.deepEqual(seen['g']?.index, 2);
});

test("'skip' keeps the walk out of a block's sections", () => {
  const titles: string[] = [];
  walkTasks(tree, (t) => {
    titles.push(t.title);
    return t.title === 'inner' ? 'skip' : undefined;
  });
  assert.deepEqual(titles, ['a', 'outer', 'b', 'inner', 'e', 'f', 'g']);
});
