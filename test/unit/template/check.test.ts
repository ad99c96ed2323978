import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTemplate, templateVariables } from '../../../src/template/index.js';

const where = { loc: { file: 'p.yaml', line: 4, col: 9 }, task: 'snap', host: 'h1' };

test('checkTemplate: a good template has no problems', () => {
  for (const t of [
    'plain',
    '{{x}}',
    '{{q (default dir "/d")}}',
    '{{#each l}}{{this}}{{else}}none{{/each}}',
    '{{#if (and a b)}}{{json c 2}}{{/if}}',
  ]) {
    assert.deepEqual(checkTemplate(t, where), [], t);
  }
});

test('checkTemplate: every problem, with location and hint, without rendering', () => {
  const problems = checkTemplate('{{upperr x}} {{q}} {{default x}} {{json x indent=2}} {{#items}}{{/items}} {{x.constructor}}', where);
  const tpl = '"{{upperr x}} {{q}} {{default x}} {{json x indent=2}} {{#items}}{{/items}} {{x.constructor}}"';
  assert.deepEqual(
    problems.map((p) => [p.message, p.hint]),
    [
      [`unknown helper "upperr" in template ${tpl}`, 'did you mean "upper"?'],
      [`helper "default" takes 2 argument(s), got 1 in template ${tpl}`, undefined],
      [`helper "json" takes no named (key=value) arguments in template ${tpl}`, undefined],
      [`unknown block helper "items" (allowed: if, unless, each, with) in template ${tpl}`, 'use {{#each items}} or {{#if items}}'],
      [`access to "constructor" is not allowed in template ${tpl}`, undefined],
    ],
  );
  for (const p of problems) assert.deepEqual([p.loc, p.task, p.host], [where.loc, 'snap', 'h1']);
});

test('checkTemplate: syntax errors, multi-line templates say the line', () => {
  assert.deepEqual(
    checkTemplate('{{foo}', {}).map((p) => p.message),
    ['template syntax error: a "{{" is not closed with "}}" in template "{{foo}"'],
  );
  assert.deepEqual(
    checkTemplate('line1\n{{nope x}}', { field: 'args.cmd' }).map((p) => p.message),
    ['unknown helper "nope" in template "line1\\n{{nope x}}" (template line 2) in args.cmd'],
  );
  assert.deepEqual(
    checkTemplate('{{> p}}{{* d}}', {}).map((p) => p.message),
    [
      'partials ({{> name}}) are not supported in template "{{> p}}{{* d}}"',
      'decorators ({{* name}}) are not supported in template "{{> p}}{{* d}}"',
    ],
  );
  // {{"x"}} is a Jinja expression (a string), not a Handlebars literal
  assert.deepEqual(
    checkTemplate('{{"x"}} {{q ("y" z)}} {{@index x}}', {}).map((p) => p.message.split(' in template')[0]),
    ['"a literal" cannot be called as a helper', '"@index" cannot be called as a helper'],
  );
  assert.deepEqual(
    checkTemplate('{{(q x)}}', {}).map((p) => p.message),
    ['template syntax error: unexpected "(" in template "{{(q x)}}"'],
  );
});

test('templateVariables: top-level names read on every rendering', () => {
  const cases: Array<[string, string[]]> = [
    ['plain', []],
    ['{{a}} {{b.c}} {{a}}', ['a', 'b']],
    ['{{q x}} {{join (split y ",") z}}', ['x', 'y', 'z']],
    ['{{default opt "d"}} {{default o2 fb}}', ['fb']],
    ['{{#if cond}}{{only_if_true}}{{else}}{{only_if_false}}{{/if}}', ['cond']],
    ['{{#each items}}{{name}}{{@root.r}}{{/each}}', ['items']],
    ['{{@root.r}} {{this.t}} {{@index}}', ['r', 't']],
    ['{{broken', []],
  ];
  for (const [tpl, want] of cases) assert.deepEqual(templateVariables(tpl), want, tpl);
});
