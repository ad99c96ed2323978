import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hexId, normalizeHexId, parseBigJson } from '../../../src/etcd/big-json.js';
import {
  parseHealth,
  parseMemberAdd,
  parseMembers,
  parseSnapshotStatus,
  parseStatus,
  statusErrors,
} from '../../../src/etcd/etcdctl-json.js';

// Fixtures captured from etcdctl 3.4.23 against the lab (test/unit/etcd/fixtures).
const fixture = (f: string): string => readFileSync(join(import.meta.dirname, 'fixtures', f), 'utf8');

test("uint64 IDs stay exact: BigInt hex like etcdctl's table, not a rounded Number", () => {
  assert.equal(hexId('13586913576160949988'), 'bc8e69e9350176e4');
  assert.notEqual(Number('13586913576160949988').toString(16), 'bc8e69e9350176e4', 'Number() loses the low bits');
  assert.equal(hexId('18446744073709551615'), 'ffffffffffffffff');
  assert.equal(hexId(1), '1');
  assert.equal(hexId(BigInt('0x0c7beda88884c43e')), 'c7beda88884c43e', 'etcdctl prints %x: no leading zeros');
  assert.equal(normalizeHexId('0c7beda88884c43e'), 'c7beda88884c43e');
  assert.equal(normalizeHexId('0'), '0');
  assert.equal(normalizeHexId('0xBC8E69E9350176E4'), 'bc8e69e9350176e4');
  assert.equal(normalizeHexId('xyz'), undefined);
  const v = parseBigJson('{"ID":13586913576160949988,"n":-12,"f":1.5e3,"s":"12345678901234567890 in a string","a":[1234567890123456789]}');
  assert.deepEqual(v, { ID: '13586913576160949988', n: -12, f: 1500, s: '12345678901234567890 in a string', a: ['1234567890123456789'] });
});

test('member list: hex IDs, names, URLs; a learner that has not started has no name', () => {
  const members = parseMembers(fixture('members.json'));
  assert.deepEqual(
    members.map((m) => [m.id, m.name]),
    [
      ['bc8e69e9350176e4', 'controller-node-3'],
      ['d7f60874ffe82445', 'controller-node-2'],
      ['e7f030f5f14c8cbf', 'controller-node-1'],
    ],
  );
  assert.deepEqual(members[0]?.client_urls, ['https://127.0.1.3:2379']);
  assert.equal(
    members.some((m) => m.is_learner),
    false,
  );
  const add = parseMemberAdd(fixture('member-add.json'));
  assert.equal(add.member.id, 'ad76b96b152d2069');
  assert.equal(add.member.is_learner, true);
  assert.equal(add.member.name, '');
  assert.equal(add.members.length, 3);
  const started = parseMembers(fixture('members-learner-started.json'));
  assert.deepEqual(
    started.filter((m) => m.is_learner).map((m) => m.name),
    ['controller-node-3'],
  );
});

test('endpoint health: every endpoint, unhealthy ones with their error', () => {
  assert.deepEqual(
    parseHealth(fixture('health.json')).map((h) => h.health),
    [true, true, true],
  );
  const down = parseHealth(fixture('health-one-down.json'));
  assert.deepEqual(down[2], {
    endpoint: 'https://127.0.1.3:2379',
    health: false,
    took: '3.000381739s',
    error: 'context deadline exceeded',
  });
});

test('endpoint status: leader, revision, learner flag; unreachable endpoints come from stderr', () => {
  const s = parseStatus(fixture('status.json'));
  assert.equal(s.length, 3);
  assert.deepEqual(
    s.map((x) => x.is_leader),
    [true, false, false],
  );
  assert.equal(s[1]?.leader, 'e7f030f5f14c8cbf');
  assert.equal(s[2]?.id, 'bc8e69e9350176e4');
  assert.deepEqual([s[0]?.revision, s[0]?.raft_term, s[0]?.raft_index, s[0]?.db_size, s[0]?.version], [237, 2, 288, 77824, '3.4.23']);
  assert.equal(parseStatus(fixture('status-learner.json'))[2]?.is_learner, true);
  assert.equal(parseStatus(fixture('status-one-down.json')).length, 2);
  assert.deepEqual(statusErrors(fixture('status-one-down.err')), [
    { endpoint: 'https://127.0.1.3:2379', error: 'context deadline exceeded' },
  ]);
});

test('snapshot status', () => {
  assert.deepEqual(parseSnapshotStatus(fixture('snapstatus.json')), {
    hash: 1971544911,
    revision: 237,
    total_keys: 242,
    total_size: 77824,
  });
  assert.throws(() => parseSnapshotStatus('[]'), /unexpected/);
});
