import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputTail } from '../../../src/transports/output-tail.js';

test('keeps everything under the cap', () => {
  const t = new OutputTail(10);
  t.push(Buffer.from('abc'));
  t.push(Buffer.from('def'));
  assert.equal(t.text(), 'abcdef');
  assert.equal(t.truncated, false);
});

test('over the cap keeps the last bytes and flags truncation', () => {
  const t = new OutputTail(5);
  t.push(Buffer.from('abc'));
  t.push(Buffer.from('defg'));
  t.push(Buffer.from('h'));
  assert.equal(t.text(), 'defgh');
  assert.equal(t.truncated, true);
  t.push(Buffer.from('0123456789'));
  assert.equal(t.text(), '56789');
});
