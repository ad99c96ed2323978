import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editIni } from '../../../src/inventory-edit/ini-edit.js';
import { diffLines } from '../../../src/util/line-diff.js';
import { spliceEdit } from '../../../src/inventory-edit/splice.js';
import { editYaml } from '../../../src/inventory-edit/yaml-edit.js';

test('diffLines finds the shortest edit script', () => {
  const ops = diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']);
  assert.deepEqual(
    ops.map((o) => o.kind),
    ['equal', 'delete', 'insert', 'equal', 'equal', 'insert'],
  );
});

test('spliceEdit keeps original bytes of lines the serializer reformatted but the edit did not touch', () => {
  const original = 'a:   1    # spaced\n\n# lone\nb: 2\n';
  const before = 'a: 1 # spaced\n# lone\nb: 2\n';
  const after = 'a: 1 # spaced\n# lone\nb: 3\n';
  assert.equal(spliceEdit(original, before, after), 'a:   1    # spaced\n\n# lone\nb: 3\n');
});

test('YAML edits keep CRLF line endings and untouched odd spacing', () => {
  const text = 'all:\r\n  hosts:\r\n    a:    { x:   1 }\r\n    b:\r\n';
  const r = editYaml('f.yaml', text, { kind: 'add-host', host: 'c', group: 'all', vars: [], create: false });
  assert.equal(r.text, 'all:\r\n  hosts:\r\n    a:    { x:   1 }\r\n    b:\r\n    c:\r\n');
});

test('INI edits keep CRLF line endings', () => {
  const text = '[web]\r\nweb1\r\n\r\n[db]\r\ndb1\r\n';
  const r = editIni('h.ini', text, {
    kind: 'add-host',
    host: 'web2',
    group: 'web',
    vars: [{ key: 'p', text: '1', value: 1 }],
    create: false,
  });
  assert.equal(r.text, '[web]\r\nweb1\r\nweb2 p=1\r\n\r\n[db]\r\ndb1\r\n');
});

test('INI host into an empty preamble goes before the first section, separated by a blank line', () => {
  const r = editIni('h.ini', '# header\n\n[web]\nweb1\n', { kind: 'add-host', host: 'jump', group: 'all', vars: [], create: false });
  assert.equal(r.text, '# header\njump\n\n[web]\nweb1\n');
});

test('YAML: a new host goes before the blank line that follows a reformatted line, and the blank line stays', () => {
  const text = 'all:\n  hosts:\n    h1:\n      ip: 127.0.0.2   # second\n\n    # trailing comment\n';
  const added = editYaml('f.yaml', text, { kind: 'add-host', host: 'h2', group: 'all', vars: [], create: false });
  assert.equal(added.text, 'all:\n  hosts:\n    h1:\n      ip: 127.0.0.2   # second\n    h2:\n\n    # trailing comment\n');
  const set = editYaml('f.yaml', text, {
    kind: 'set-var',
    target: { host: 'h1' },
    vars: [{ key: 'ip', text: '127.0.0.9', value: '127.0.0.9' }],
  });
  assert.equal(set.text, 'all:\n  hosts:\n    h1:\n      ip: 127.0.0.9 # second\n\n    # trailing comment\n');
});
