import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newMarkers, StderrScanner } from '../../../src/transports/markers.js';

function scan(chunks: string[], watchPrompt = true): { text: string; events: string[] } {
  const m = { prompt: '[P-xyz]', ready: '[R-xyz:' };
  let text = '';
  const events: string[] = [];
  const s = new StderrScanner(
    m,
    { text: (b) => (text += b.toString('latin1')), prompt: () => events.push('prompt'), ready: (pid) => events.push(`ready ${pid}`) },
    watchPrompt,
  );
  for (const c of chunks) s.push(Buffer.from(c, 'latin1'));
  s.end();
  return { text, events };
}

test('strips the prompt and the ready line and reports them in order', () => {
  assert.deepEqual(scan(['warn\n[P-xyz][R-xyz:42]\nafter\n']), { text: 'warn\nafter\n', events: ['prompt', 'ready 42'] });
});

test('markers split across chunks at every position are still found', () => {
  const whole = 'a[P-xyz]b[R-xyz:123]\nc';
  for (let i = 1; i < whole.length; i++) {
    assert.deepEqual(scan([whole.slice(0, i), whole.slice(i)]), { text: 'abc', events: ['prompt', 'ready 123'] }, `split at ${i}`);
  }
  assert.deepEqual(scan(whole.split('')), { text: 'abc', events: ['prompt', 'ready 123'] });
});

test('look-alikes and a second prompt are handled; prompt is ignored unless watched', () => {
  assert.deepEqual(scan(['[P-xy', 'Z] [R-xyz:1x]\n']), { text: '[P-xyZ] [R-xyz:1x]\n', events: [] });
  assert.deepEqual(scan(['[P-xyz]Sorry, try again.\n[P-xyz]']), { text: 'Sorry, try again.\n', events: ['prompt', 'prompt'] });
  assert.deepEqual(scan(['[P-xyz]'], false), { text: '[P-xyz]', events: [] });
  assert.deepEqual(scan(['tail [P-x']), { text: 'tail [P-x', events: [] });
});

test('binary stderr passes through byte for byte', () => {
  const bytes = Buffer.from([0, 255, 91, 10, 200]);
  assert.deepEqual(Buffer.from(scan([bytes.toString('latin1')]).text, 'latin1'), bytes);
});

test('fresh markers are random', () => {
  assert.notEqual(newMarkers().prompt, newMarkers().prompt);
});
