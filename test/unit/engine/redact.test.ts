import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, Redactor, isSecretName } from '../../../src/engine/redact.js';

test('secrets are masked deep inside events, longest first', () => {
  const r = new Redactor();
  r.add('s3cr3t-KEY', 's3cr3t');
  const out = r.value({ msg: 'key=s3cr3t-KEY and s3cr3t', list: ['x s3cr3t y'], n: 1, nested: { a: { b: 's3cr3t-KEY' } } });
  assert.deepEqual(out, { msg: `key=${MASK} and ${MASK}`, list: [`x ${MASK} y`], n: 1, nested: { a: { b: MASK } } });
});

test('very short secrets are masked only as whole values (no mangling of every "ab")', () => {
  const r = new Redactor();
  r.add('ab');
  assert.equal(r.text('ab'), MASK);
  assert.equal(r.text('cabin'), 'cabin');
});

test('secret-looking variable names', () => {
  for (const n of [
    'ansible_password',
    'ansible_become_password',
    'ansible_become_pass',
    'db_secret',
    'api_token',
    'ECS_SECRET_ACCESS_KEY',
    'aws_access_key',
  ])
    assert.ok(isSecretName(n), n);
  for (const n of ['ansible_host', 'etcd_data_dir', 'passes_count', 'tokens_used_total', 'etcd_initial_cluster_token'])
    assert.ok(!isSecretName(n), n);
});

test('values under secret-named keys at any depth; a secret mapping is secret all the way down', () => {
  const r = new Redactor();
  r.addSecretKeys({ creds: { db_password: 'pw-nested-1', users: [{ api_token: 'tok-in-list' }] }, host: 'h1', port: 5432 });
  r.addDeep({ user: 'u-in-secret', n: 12345 });
  assert.equal(r.text('pw-nested-1 tok-in-list u-in-secret 12345 h1 5432'), `${MASK} ${MASK} ${MASK} ${MASK} h1 5432`);
});

test('whole-value secrets are masked only where a whole string equals them', () => {
  const r = new Redactor();
  r.addWhole('active');
  assert.deepEqual(r.value({ a: 'active', b: 'inactive now' }), { a: MASK, b: 'inactive now' });
});

test('pendingPrefix: the longest tail that could start a secret (live output holds it back)', () => {
  const r = new Redactor();
  r.add('SECRET-abcdef', 'xyz1');
  assert.equal(r.pendingPrefix('out: SECRET-ab'), 'SECRET-ab'.length);
  assert.equal(r.pendingPrefix('out: xy'), 2);
  assert.equal(r.pendingPrefix('out: SECRET-abcdef done'), 0);
  assert.equal(r.pendingPrefix('nothing here'), 0);
});
