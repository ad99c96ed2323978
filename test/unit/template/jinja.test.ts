import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OMIT } from '../../../src/expr/index.js';
import {
  TemplateError,
  checkTemplate,
  renderString,
  renderValue,
  templateVariables,
  type TemplateWhere,
} from '../../../src/template/index.js';

// Jinja expressions inside {{ }} mixed with Handlebars. What each expression gives is compared with Ansible in
// test/unit/expr/ansible-oracle.test.ts; these are the rules of the mix, which Ansible has no equivalent of.

const where: TemplateWhere = { loc: { file: 'playbooks/x.yaml', line: 7, col: 12 }, host: 'm1', task: 'snap' };
const vars = {
  dir: '/var/lib/etcd data',
  hosts: ['m1', 'm2'],
  groups: { masters: ['m1', 'm2', 'm3'] },
  item: { name: 'etcd', port: 2379 },
  flag: true,
  nothing: null,
  cfg: { k: 'v' },
};

function render(tpl: string, v: Record<string, unknown> = vars): string {
  return renderString(tpl, v, where);
}

function failure(tpl: string, v: Record<string, unknown> = vars): TemplateError {
  try {
    renderValue(tpl, v, where);
  } catch (e) {
    assert.ok(e instanceof TemplateError, String(e));
    return e;
  }
  assert.fail(`expected ${tpl} to fail`);
}

test('the rule: plain paths and helper calls are Handlebars, everything else inside {{ }} is Jinja', () => {
  // Handlebars, as before: a plain path prints true / JSON, helpers take space-separated arguments
  assert.equal(
    render('{{flag}} {{hosts}} {{item.name}} {{q dir}} {{default missing "d"}} {{join hosts ","}}'),
    `true ["m1","m2"] etcd '/var/lib/etcd data' d m1,m2`,
  );
  // Jinja: filters, operators, subscripts, tests, calls; values print as Ansible prints them
  assert.equal(
    render(
      "{{ flag | string }} {{ hosts | list }} {{ item['name'] ~ '-x' }} {{ dir | quote }} {{ missing | default('d') }} {{ hosts | join(',') }}",
    ),
    `True ['m1', 'm2'] etcd-x '/var/lib/etcd data' d m1,m2`,
  );
  assert.equal(render('{{ not flag }} {{ item.port + 1 }} {{ "lit" }} {{ 1 < 2 }}'), 'False 2380 lit True');
  // a helper name followed by a Jinja operator is Jinja (here "first" and "length" are variables)
  assert.equal(render('{{ first | upper }} {{ length ~ "!" }}', { first: 'a', length: 'b' }), 'A b!');
});

test('Jinja expressions as arguments of {{#if}}, {{#unless}}, {{else if}}, {{#each}} and {{#with}}', () => {
  assert.equal(render('{{#if item.port > 2000 and item is defined}}high{{else}}low{{/if}}'), 'high');
  assert.equal(render('{{#unless missing is defined}}no{{/unless}}'), 'no');
  assert.equal(render('{{#if missing is defined}}a{{else if hosts | length == 2}}b{{else}}c{{/if}}'), 'b');
  assert.equal(render("{{#each groups['masters'] | reject('eq', 'm2') as |h i|}}{{i}}:{{ h | upper }} {{/each}}"), '0:M1 1:M3 ');
  assert.equal(render("{{#with item | combine({'port': 1})}}{{port}}{{/with}}"), '1');
  // Jinja truthiness in #if ({} is false, Handlebars would say true)
  assert.equal(render('{{#if {} }}y{{else}}n{{/if}}'), 'n');
  // Handlebars arguments stay Handlebars
  assert.equal(render('{{#if (eq item.name "etcd")}}y{{/if}}{{#each hosts}}[{{this}}]{{/each}}'), 'y[m1][m2]');
});

test('inside blocks, a Jinja expression reads block parameters and the variables (not the block context)', () => {
  assert.equal(render('{{#each hosts as |h|}}{{ h ~ "." ~ item.name }};{{/each}}'), 'm1.etcd;m2.etcd;');
  assert.equal(
    render("{{#each hosts as |h|}}{{#each groups['masters'] as |m|}}{{ h == m }},{{/each}}{{/each}}"),
    'True,False,False,False,True,False,',
  );
  // a Handlebars path argument inside a block is read from the block's context, as in Handlebars
  assert.match(failure('{{#each hosts}}{{#each groups.masters}}x{{/each}}{{/each}}').message, /undefined variable "groups"/);
  assert.equal(render('{{#each hosts}}{{ item.name | upper }}{{/each}}'), 'ETCDETCD');
  // a plain path is Handlebars': read from the block's element
  assert.equal(
    failure('{{#each hosts}}{{ item.name }}{{/each}}').message.split(' in template')[0],
    `undefined variable "item" (inside {{#each}} and {{#with}} a path is read from the block's element: write @root.item, or a Jinja expression ({{ item | string }}))`,
  );
});

test('a template that is one expression keeps its type; with text around it is text', () => {
  assert.deepEqual(renderValue("{{ groups['masters'] | difference(['m2']) }}", vars, where), ['m1', 'm3']);
  assert.equal(renderValue('{{ item.port + 1 }}', vars, where), 2380);
  assert.equal(renderValue('{{ flag and hosts | length > 1 }}', vars, where), true);
  assert.deepEqual(renderValue('{{ cfg | combine({"n": 1}) }}', vars, where), { k: 'v', n: 1 });
  assert.equal(renderValue('{{ nothing }}', vars, where), null);
  assert.equal(renderValue(' {{ item.port + 1 }}', vars, where), ' 2380');
  assert.equal(renderValue("{{ 'a' if missing is defined }}", vars, where), '');
});

test("omit: a mapping entry rendered to Ansible's omit is left out", () => {
  const args = { path: '{{ dir }}', mode: '{{ mode | default(omit) }}', owner: '{{ owner | default(omit) }}' };
  assert.deepEqual(renderValue(args, { ...vars, mode: '0700' }, where), { path: vars.dir, mode: '0700' });
  assert.equal(renderValue('{{ omit }}', vars, where), OMIT);
});

test('Jinja whitespace control, braces inside expressions, strings as Ansible reads them', () => {
  assert.equal(render('a  {{- " b " -}}  c'), 'a b c');
  assert.equal(render("{{ {'a': {'b': 1}}.a.b }} {{ '}}' ~ '{{' }}"), '1 }}{{');
  // inside {{ }} Ansible doubles backslashes: a string is taken as written
  assert.equal(render("{{ 'a\\nb' }}|{{ 'v3.5' | regex_replace('\\.', '-') }}"), 'a\\nb|v3-5');
  assert.equal(render('\\{{ not an expression }} {{ 1 }}'), '{{ not an expression }} 1');
});

test('printing: null is an error for Jinja expressions too; undefined variables name themselves and where', () => {
  assert.equal(
    failure('x={{ nothing | default(none) }}').message,
    `expression "nothing | default(none)" is null (write nothing | default(none) | default('', true) to print an empty string) in template "x={{ nothing | default(none) }}" (playbooks/x.yaml:7:12, host m1, task "snap")`,
  );
  const e = failure('rm -rf {{ data_dr | quote }}/member', { data_dir: '/x' });
  assert.equal(
    e.message,
    'undefined variable "data_dr" (did you mean "data_dir"?) in expression "data_dr | quote" in template "rm -rf {{ data_dr | quote }}/member" (playbooks/x.yaml:7:12, host m1, task "snap")',
  );
  assert.equal(e.variable, 'data_dr');
  assert.equal(failure('{{ item.nope | upper }}').variable, 'item.nope');
  assert.equal(
    failure("{{ 1 + 'a' }}").message,
    'cannot add number and string (use "~" to join as text) in expression "1 + \'a\'" in template "{{ 1 + \'a\' }}" (playbooks/x.yaml:7:12, host m1, task "snap")',
  );
});

test('checkTemplate reports Jinja problems with the Handlebars ones, before anything runs', () => {
  const tpl = "{{ x | defualt('a') }} {{upperr x}} {% if x %}y{% endif %} {# note #} {{q x | upper}}";
  const shown = JSON.stringify(tpl);
  assert.deepEqual(
    checkTemplate(tpl, where).map((p) => [p.message, p.hint]),
    [
      [`invalid expression "x | defualt('a')" at column 5: unknown filter "defualt" in template ${shown}`, 'did you mean "default"?'],
      [
        `{{q ...}} is a Handlebars helper call: its arguments are values or (helper ...) calls, not Jinja filters or operators in template ${shown}`,
        'quote a Jinja expression with the quote filter: {{ x | upper | quote }}, or nest helpers: {{q (upper x)}}',
      ],
      [`unknown helper "upperr" in template ${shown}`, 'did you mean "upper"?'],
    ],
  );
  // statements tsplay does not run, and blocks that do not match, are named with their template line
  const bad =
    '{% if a %}\n{% endfor %}\n{% macro m() %}{% endmacro %}\n{% set x %}y{% endset %}\n{% for h in hs if h %}{% endfor %}\n{% raw %}';
  assert.deepEqual(
    checkTemplate(bad, {}).map((p) => p.message.replace(/ in template .*?(\(template line \d+\))?$/, ' $1')),
    [
      '{% endfor %} without an open {% for %} (the {% if %} of line 1 is still open) (template line 2)',
      'Jinja statement {% macro %} is not supported (tsplay runs {% if %}/{% elif %}/{% else %}/{% endif %}, {% for %}/{% endfor %} and {% set %}) (template line 3)',
      'Jinja statement {% endmacro %} is not supported (tsplay runs {% if %}/{% elif %}/{% else %}/{% endif %}, {% for %}/{% endfor %} and {% set %}) (template line 3)',
      'Jinja {% set x %} is not supported: tsplay takes {% set NAME = EXPRESSION %} only (template line 4)',
      'Jinja {% set NAME %}...{% endset %} blocks are not supported (template line 4)',
      'a loop filter ({% for x in xs if CONDITION %}) is not supported (template line 5)',
      'Jinja {% raw %} is not supported (template line 6)',
    ],
  );
  assert.deepEqual(
    checkTemplate('{% for h in hs %}\n{% if h %}', {}).map((p) => p.message.replace(/ in template .*$/, '')),
    ['{% for %} is not closed with {% endfor %}', '{% if %} is not closed with {% endif %}'],
  );
  assert.deepEqual(checkTemplate('{% for h in groups.etcd %}{{ h }}{% endfor %}{% set x = 1 %}{{ x }}', {}), []);
  // what is no Jinja statement stays text: shell's ${#a}, a lone {%
  assert.deepEqual(checkTemplate('n=${#arr[@]} {{ x }} printf "{%s}" #}', {}), []);
  assert.equal(render('n=${#arr[@]} {%'), 'n=${#arr[@]} {%');
});

test('a template with Jinja statements: set and loop variables are no undefined variables; Handlebars blocks still work', () => {
  assert.deepEqual(
    templateVariables('{% set all = hosts | union(extra) %}{% for h in all %}{{ h }}{{ loop.index }}{% endfor %}{{ all }}'),
    ['hosts', 'extra'],
  );
  assert.equal(render('{% for h in hosts %}{{#if (eq h "m2")}}[{{q h}}]{{/if}}{% endfor %}'), "['m2']");
  assert.equal(render('{{#each hosts as |h|}}{% if h == "m1" %}{{ h | upper }}{% endif %}{{/each}}'), 'M1');
});

test('templateVariables: names a Jinja expression reads on every rendering', () => {
  const cases: Array<[string, string[]]> = [
    ["{{ a | default('x') }} {{ b is defined }} {{ c.d | upper }}", ['c']],
    ["{{ 'y' if cond else other }}", ['cond']],
    ['{{ x ~ y }} {{ omit }} {{ l[i] }}', ['x', 'y', 'l', 'i']],
    ['{{#if z is defined}}{{ z }}{{/if}} {{#each list | sort as |e|}}{{ e ~ inner }}{{/each}}', ['list']],
    ['{{ x is defined and x > 1 }}', []],
  ];
  for (const [tpl, want] of cases) assert.deepEqual(templateVariables(tpl), want, tpl);
});

test('security: no prototype or constructor is reachable from an expression, even through data', () => {
  for (const tpl of ['{{ x.constructor }}', "{{ x['__proto__'] }}", '{{ cfg.prototype }}'])
    assert.ok(
      checkTemplate(tpl, {}).some((p) => /is not allowed/.test(p.message)),
      tpl,
    );
  assert.match(failure('{{ cfg[k] }}', { cfg: {}, k: '__proto__' }).message, /access to "__proto__" is not allowed/);
  assert.match(failure("{{ cfg.toString ~ '' }}", { cfg: {} }).message, /undefined variable "cfg.toString"/);
  assert.equal(render("{{ 'process.exit(1)' | length }}"), '15');
});

test('Jinja statements: prototype names are never bound; a set mapping is a copy; a loop body scope ends with it', () => {
  assert.match(checkTemplate('{% set __proto__ = 1 %}', {})[0]?.message ?? '', /"__proto__" cannot be assigned with \{% set %\}/);
  assert.match(
    checkTemplate('{% for constructor in hosts %}{% endfor %}', {})[0]?.message ?? '',
    /"constructor" cannot be a loop variable/,
  );
  const data = { cfg: { k: 'v' } };
  assert.equal(render("{% set c = cfg %}{% set _ = c.update({'k': 'w'}) %}{{ c.k }}", data), 'w');
  assert.equal(data.cfg.k, 'v');
  assert.throws(() => render("{% set _ = cfg.update({'k': 'w'}) %}", data), /\.update\(\) changes only a mapping made by \{% set/);
  assert.equal(render('{% set x = 1 %}{% for x in [5] %}{{ x }}{% set x = 7 %}{{ x }}{% endfor %}{{ x }}'), '571');
  assert.equal(render('{% for h in hosts %}{% for h2 in hosts %}{{ loop.index }}{% endfor %}{{ loop.index }}|{% endfor %}'), '121|122|');
  assert.deepEqual(renderValue('{% for x in [1] %}[1, {{ x }}]{% endfor %}', {}, where), [1, 1]);
});
