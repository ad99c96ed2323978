import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batches } from '../../../src/engine/batches.js';
import { tagsAllow } from '../../../src/engine/selection.js';

const hosts = ['a', 'b', 'c', 'd', 'e'];

test('serial: number, percentage, list with the last size repeating', () => {
  assert.deepEqual(batches(hosts, undefined), [hosts]);
  assert.deepEqual(batches(hosts, 2), [['a', 'b'], ['c', 'd'], ['e']]);
  assert.deepEqual(batches(hosts, '40%'), [['a', 'b'], ['c', 'd'], ['e']]);
  assert.deepEqual(batches(hosts, '10%'), [['a'], ['b'], ['c'], ['d'], ['e']]);
  assert.deepEqual(batches(hosts, [1, '50%']), [['a'], ['b', 'c'], ['d', 'e']]);
  assert.deepEqual(batches(hosts, [1, 2, 10]), [['a'], ['b', 'c'], ['d', 'e']]);
  assert.throws(() => batches(hosts, 'many'), /invalid serial value "many"/);
});

test("tags follow Ansible's rules (always, never, tagged, untagged, skip wins)", () => {
  const cases: Array<[string[], string[], string[], boolean]> = [
    [[], [], [], true],
    [['x'], [], [], true],
    [['never'], [], [], false],
    [['never', 'x'], ['x'], [], true],
    [['x'], ['y'], [], false],
    [['always'], ['y'], [], true],
    [['always'], ['y'], ['always'], false],
    [['x'], ['x'], ['x'], false],
    [['x'], ['tagged'], [], true],
    [[], ['untagged'], [], true],
    [[], [], ['untagged'], false],
  ];
  for (const [task, only, skip, want] of cases) assert.equal(tagsAllow(task, only, skip), want, JSON.stringify({ task, only, skip }));
});
