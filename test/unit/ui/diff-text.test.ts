import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffText } from '../../../src/ui/diff-text.js';

test('--diff results are shown as unified diffs with headers and context', () => {
  const lines = diffText([
    {
      before: 'a\nb\nc\nd\ne\nf\ng\nh\n',
      after: 'a\nb\nc\nd\nE\nf\ng\nh\nadded\n',
      before_header: 'f (content)',
      after_header: 'f (content)',
    },
    { before_header: 'f (file attributes)', after_header: 'f (file attributes)' },
  ]);
  assert.deepEqual(lines, [
    '--- before: f (content)',
    '+++ after: f (content)',
    '@@ -2,7 +2,8 @@',
    ' b',
    ' c',
    ' d',
    '-e',
    '+E',
    ' f',
    ' g',
    ' h',
    '+added',
  ]);
});

test('attribute diffs (mappings) are shown as JSON, and an unchanged entry shows nothing', () => {
  const lines = diffText({ before: { mode: '0644' }, after: { mode: '0600' } });
  assert.deepEqual(lines, ['--- before', '+++ after', '@@ -1,3 +1,3 @@', ' {', '-    "mode": "0644"', '+    "mode": "0600"', ' }']);
  assert.deepEqual(diffText({ before: 'x\n', after: 'x\n' }), []);
  assert.deepEqual(diffText(undefined), []);
});
