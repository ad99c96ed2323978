import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIniValue, shlexSplit } from '../../../src/inventory/ini-value.js';
import { IntegralFloat } from '../../../src/inventory/py-float.js';
import { expandHostRange, splitHostPort } from '../../../src/inventory/ranges.js';

const RANGES: [string, string[] | string][] = [
  ['web', ['web']],
  ['web[1:3]', ['web1', 'web2', 'web3']],
  ['master[01:03]', ['master01', 'master02', 'master03']],
  ['n[1:10:2]', ['n1', 'n3', 'n5', 'n7', 'n9']],
  ['n[:2]', ['n0', 'n1', 'n2']],
  ['db-[a:c].example.com', ['db-a.example.com', 'db-b.example.com', 'db-c.example.com']],
  ['[a:b]-[1:2]', ['a-1', 'a-2', 'b-1', 'b-2']],
  ['x[y:B]', ['xy', 'xz', 'xA', 'xB']],
  ['web[3:1]', 'host range must have begin <= end in "web[3:1]"'],
  ['web[01:3]', 'host range must use equal-length begin and end when zero-padded in "web[01:3]"'],
  ['web[1:]', 'host range must specify an end value in "web[1:]"'],
  ['web[1:2:3:4]', 'host range must be begin:end or begin:end:step in "web[1:2:3:4]"'],
  ['web[1:5:0]', 'host range step "0" must be a positive integer in "web[1:5:0]"'],
  ['web[1:zz]', 'host range [1:zz] must be numeric or single letters in "web[1:zz]"'],
];

for (const [input, want] of RANGES) {
  test(`range ${input}`, () => {
    const r = expandHostRange(input);
    assert.deepEqual(typeof want === 'string' ? r.error : r.hosts, want);
  });
}

const PORTS: [string, { host: string; port?: number }][] = [
  ['db1', { host: 'db1' }],
  ['db1:2222', { host: 'db1', port: 2222 }],
  ['127.0.0.1:22', { host: '127.0.0.1', port: 22 }],
  ['web[01:03]:22', { host: 'web[01:03]', port: 22 }],
  ['web[01:03]', { host: 'web[01:03]' }],
  ['[::1]:2200', { host: '::1', port: 2200 }],
  ['fe80::1', { host: 'fe80::1' }],
];

for (const [input, want] of PORTS) test(`host:port ${input}`, () => assert.deepEqual(splitHostPort(input), want));

// INI host-line values follow Python's ast.literal_eval, as in Ansible.
const VALUES: [string, unknown][] = [
  ['8080', 8080],
  ['-1', -1],
  ['1.5', 1.5],
  ['1e3', new IntegralFloat(1000)],
  ['0x1F', 31],
  ['1_000', 1000],
  ['010', '010'],
  ['True', true],
  ['False', false],
  ['None', null],
  ['true', 'true'],
  ['yes', 'yes'],
  ["'quoted'", 'quoted'],
  ['"a\\tb"', 'a\tb'],
  ["[1, 'a', True]", [1, 'a', true]],
  ["{'k': [1, 2], 'n': None}", { k: [1, 2], n: null }],
  ['(1, 2)', [1, 2]],
  ['127.0.0.5', '127.0.0.5'],
  ['/usr/bin/python3', '/usr/bin/python3'],
  ['[1, 2', '[1, 2'],
  ['99999999999999999999', '99999999999999999999'],
];

for (const [input, want] of VALUES) test(`INI value ${input}`, () => assert.deepEqual(parseIniValue(input), want));

const SPLITS: [string, string[] | string][] = [
  ['web1 a=1 b=2', ['web1', 'a=1', 'b=2']],
  ['web1 msg="hello world" x=\'it is\'', ['web1', 'msg=hello world', 'x=it is']],
  ['web1 a=1 # comment b=2', ['web1', 'a=1']],
  ['web1 a=b#c', ['web1', 'a=b']],
  ['web1 a="x#y"', ['web1', 'a=x#y']],
  ['web1 a=\\"q\\"', ['web1', 'a="q"']],
  ['web1 a=""', ['web1', 'a=']],
  ['web1 a="open', 'No closing quotation'],
];

for (const [input, want] of SPLITS) {
  test(`shlex ${input}`, () => {
    const r = shlexSplit(input);
    assert.deepEqual('error' in r ? r.error : r.tokens, want);
  });
}
