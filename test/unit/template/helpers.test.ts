import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HELPERS } from '../../../src/template/helpers.js';
import { renderString, renderValue } from '../../../src/template/index.js';

const vars = { s: ' Mixed Case ', l: ['a', 'b'], m: { k: 'v', n: 2 }, p: '/var/lib/etcd/member', n: 3, z: null, e: [], csv: 'x,y,,z' };

// [template, expected text]; every helper appears in at least one case
const CASES: Record<string, Array<[string, string]>> = {
  q: [
    ['{{q p}}', "'/var/lib/etcd/member'"],
    ['{{q l}}', "'a' 'b'"],
  ],
  default: [
    ['{{default missing "fb"}}', 'fb'],
    ['{{default m.nope.deeper "fb"}}', 'fb'],
    ['{{default z "fb"}}', 'fb'],
    ['{{default n "fb"}}', '3'],
    ['{{default (first e) "none"}}', 'none'],
  ],
  json: [
    ['{{json m}}', '{"k":"v","n":2}'],
    ['{{json l 1}}', '[\n "a",\n "b"\n]'],
    ['{{json s}}', '" Mixed Case "'],
  ],
  yaml: [['{{yaml m}}', 'k: v\nn: 2']],
  eq: [
    ['{{eq n 3}}', 'true'],
    ['{{eq l l}}', 'true'],
    ['{{eq "3" n}}', 'false'],
  ],
  ne: [['{{ne n 4}}', 'true']],
  lt: [
    ['{{lt n 4}}', 'true'],
    ['{{lt "a" "b"}}', 'true'],
  ],
  le: [['{{le n 3}}', 'true']],
  gt: [['{{gt n 3}}', 'false']],
  ge: [['{{ge n 3}}', 'true']],
  and: [
    ['{{and n l}}', 'true'],
    ['{{and n e}}', 'false'],
    ['{{and 1 1 ""}}', 'false'],
  ],
  or: [
    ['{{or e z}}', 'false'],
    ['{{or e n}}', 'true'],
  ],
  not: [
    ['{{#if (not e)}}y{{else}}n{{/if}}', 'y'],
    ['{{json (not l)}}', 'false'],
  ],
  // Ansible's bool: `-e flag=false` gives the string "false", which is truthy unless converted
  bool: [
    ['{{bool "false"}}', 'false'],
    ['{{bool "yes"}}', 'true'],
    ['{{#if (bool "no")}}x{{else}}y{{/if}}', 'y'],
    ['{{bool n}}', 'true'],
    ['{{#if (bool "Off")}}y{{else}}n{{/if}}', 'n'],
    ['{{json (bool z)}}', 'false'],
  ],
  join: [
    ['{{join l ","}}', 'a,b'],
    ['{{join l}}', 'ab'],
  ],
  split: [['{{json (split csv ",")}}', '["x","y","","z"]']],
  basename: [['{{basename p}}', 'member']],
  dirname: [['{{dirname p}}', '/var/lib/etcd']],
  upper: [['{{upper s}}', ' MIXED CASE ']],
  lower: [['{{lower s}}', ' mixed case ']],
  trim: [['[{{trim s}}]', '[Mixed Case]']],
  replace: [
    ['{{replace p "/" "_"}}', '_var_lib_etcd_member'],
    ['{{replace "a.b" "." "$&"}}', 'a$&b'],
  ],
  regex_replace: [
    ['{{regex_replace "a1b22" "(\\d+)" "<\\1>"}}', 'a<1>b<22>'],
    ['{{regex_replace "k=v" "(?<key>\\w)=(\\w)" "\\2=\\g<key>"}}', 'v=k'],
    ['{{regex_replace "x" "x" "$1"}}', '$1'],
  ],
  b64encode: [['{{b64encode "hé"}}', 'aMOp']],
  b64decode: [['{{b64decode "aMOp"}}', 'hé']],
  length: [
    ['{{length l}}', '2'],
    ['{{length m}}', '2'],
    ['{{length p}}', '20'],
  ],
  first: [['{{first l}}', 'a']],
  last: [['{{last l}}', 'b']],
  keys: [['{{join (keys m) "+"}}', 'k+n']],
  difference: [
    ['{{join (difference l (split "b,c" ",")) "+"}}', 'a'],
    ['{{join (difference l e) "+"}}', 'a+b'],
    ['{{#each (difference l l)}}x{{else}}none{{/each}}', 'none'],
  ],
  lookup: [
    ['{{lookup m "k"}}', 'v'],
    ['{{lookup l 1}}', 'b'],
    ['{{default (lookup m "zz") "fb"}}', 'fb'],
  ],
  pad: [
    ['{{pad n 8}}', '00000003'],
    ['{{pad "111147" 8}}', '00111147'],
  ],
  dict: [['{{json (dict "a" n "b" l)}}', '{"a":3,"b":["a","b"]}']],
};

test('every helper has cases', () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(HELPERS).sort());
});

for (const [name, cases] of Object.entries(CASES)) {
  test(`helper ${name}`, () => {
    for (const [tpl, want] of cases) assert.equal(renderString(tpl, vars, {}), want, tpl);
  });
}

test('a single helper mustache renders to text (only a bare path keeps the raw value)', () => {
  assert.equal(renderValue('{{length l}}', vars, {}), '2');
  assert.equal(renderValue('{{l}}', vars, {}), vars.l);
});

test('helper errors name the helper and the template', () => {
  const cases: Array<[string, string]> = [
    ['{{upper l}}', 'upper expects a string, got list in template "{{upper l}}"'],
    ['{{q z}}', 'q: cannot quote null (only strings, numbers, booleans and lists of them) in template "{{q z}}"'],
    ['{{lt n "a"}}', 'cannot compare number with string in template "{{lt n "a"}}"'],
    ['{{keys l}}', 'keys expects a mapping, got list in template "{{keys l}}"'],
    ['{{b64decode "!!"}}', 'b64decode: not valid base64 in template "{{b64decode "!!"}}"'],
    [
      '{{regex_replace "a" "(" "x"}}',
      'regex_replace: invalid regular expression (Invalid regular expression: /(/g: Unterminated group) in template "{{regex_replace "a" "(" "x"}}"',
    ],
    ['{{json m 11}}', 'json: indent must be a whole number from 0 to 10 in template "{{json m 11}}"'],
    ['{{first e}}', 'helper "first" returned no value in template "{{first e}}"'],
    [
      '{{upper (first e)}}',
      'helper "upper" got no value for argument 1 (a helper inside it returned nothing) in template "{{upper (first e)}}"',
    ],
    ['{{lookup m "constructor"}}', 'access to "constructor" is not allowed in template "{{lookup m "constructor"}}"'],
    ['{{default z null}}', 'helper "default" returned null (use {{default x ""}} to print a fallback) in template "{{default z null}}"'],
    ['{{bool "maybe"}}', 'bool: cannot convert "maybe" to a boolean in template "{{bool "maybe"}}"'],
  ];
  for (const [tpl, msg] of cases) assert.throws(() => renderString(tpl, vars, {}), { name: 'TemplateError', message: msg }, tpl);
});
