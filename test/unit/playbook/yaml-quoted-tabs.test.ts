import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { quotedTabsAsSpaces } from '../../../src/util/yaml-quoted-tabs.js';

test('a tab leading a quoted scalar continuation line becomes spaces, and the value is as PyYAML reads it', () => {
  const text = "a:\n  b: \"one\n\ttwo \\\n\t\tthree\"\n  c: 'it''s\n\t x'\n  d: plain\n";
  const r = quotedTabsAsSpaces(text);
  assert.deepEqual(r.lines, [3, 4, 6]);
  assert.deepEqual(parse(r.text), { a: { b: 'one two three', c: "it's x", d: 'plain' } });
});

test('text without such a tab is returned unchanged, and a tab used as indentation is left for the parser to refuse', () => {
  const plain = 'a: "x\n  y"\n';
  assert.equal(quotedTabsAsSpaces(plain).text, plain);
  const indent = 'a:\n\tb: 1\n';
  assert.equal(quotedTabsAsSpaces(indent).text, indent);
  const unclosed = 'a: "x\n\ty\n';
  assert.equal(quotedTabsAsSpaces(unclosed).text, unclosed);
});
