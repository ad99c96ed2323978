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
  for (const n of ['ansible_password', 'ansible_become_password', 'ansible_become_pass', 'db_secret', 'api_token', 'ECS_SECRET_ACCESS_KEY', 'aws_access_key']) assert.ok(isSecretName(n), n);
  for (const n of ['ansible_host', 'etcd_data_dir', 'passes_count', 'tokens_used_total', 'etcd_initial_cluster_token']) assert.ok(!isSecretName(n), n);
});
