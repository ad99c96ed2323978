import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { storeConfig } from '../../../src/store/config.js';
import { toStoreError } from '../../../src/store/errors.js';
import type { StoreError } from '../../../src/errors/store-error.js';

const MARKER = 'SECRET-MARKER-5f1c2a';
const t = { endpoint: 'http://127.0.0.1:9', bucket: 'etcd-backup', key: 'v2/Full-00000000-00000001-1' };
const sdk = (name: string, status: number, message = 'x'): Error =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

const cases: Array<[string, unknown, StoreError['code'], string]> = [
  [
    'InvalidAccessKeyId',
    sdk('InvalidAccessKeyId', 403),
    'access-denied',
    'access denied by the object store at http://127.0.0.1:9 to s3://etcd-backup/v2/Full-00000000-00000001-1: check ECS_ACCESS_KEY_ID/ECS_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
  ],
  ['SignatureDoesNotMatch', sdk('SignatureDoesNotMatch', 403, `sig for ${MARKER}`), 'access-denied', 'access denied by the object store'],
  ['HEAD 403', sdk('Forbidden', 403), 'access-denied', 'access denied'],
  ['NoSuchBucket', sdk('NoSuchBucket', 404), 'no-bucket', 'bucket "etcd-backup" does not exist at http://127.0.0.1:9'],
  [
    'NoSuchKey',
    sdk('NoSuchKey', 404),
    'no-object',
    'object s3://etcd-backup/v2/Full-00000000-00000001-1 does not exist at http://127.0.0.1:9',
  ],
  [
    'ECONNREFUSED',
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    'unreachable',
    'object store http://127.0.0.1:9 is unreachable (ECONNREFUSED)',
  ],
  [
    'AggregateError ECONNREFUSED',
    Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), { code: undefined }),
    'unreachable',
    'object store http://127.0.0.1:9 is unreachable',
  ],
  [
    'other, with the secret in its text',
    sdk('InternalError', 500, `boom ${MARKER}`),
    'failed',
    'object store http://127.0.0.1:9 failed (InternalError 500): boom ********',
  ],
];

for (const [label, err, code, msg] of cases) {
  test(`toStoreError: ${label}`, () => {
    const e = toStoreError(err, t, [MARKER]);
    assert.equal(e.code, code);
    assert.ok(e.message.startsWith(msg), e.message);
    for (const text of [e.message, String(e), e.stack ?? '', JSON.stringify(e), inspect(e)]) assert.ok(!text.includes(MARKER), text);
  });
}

test('a missing bucket on HEAD (404 without a key) is a missing bucket', () => {
  assert.equal(toStoreError(sdk('NotFound', 404), { endpoint: 'e', bucket: 'b' }).code, 'no-bucket');
});

test('storeConfig: ECS_* first (etcdbrctl names), then AWS_*, then the SDK chain; region default us-east-1', () => {
  const ecs = storeConfig({
    ECS_ENDPOINT: 'minio.local:9000',
    ECS_ACCESS_KEY_ID: 'id',
    ECS_SECRET_ACCESS_KEY: 's',
    ECS_DISABLE_SSL: 'true',
    AWS_ACCESS_KEY_ID: 'aws',
    AWS_SECRET_ACCESS_KEY: 'a',
  });
  assert.deepEqual(
    [ecs.endpoint, ecs.credentials?.accessKeyId, ecs.region, ecs.source],
    ['http://minio.local:9000', 'id', 'us-east-1', 'ECS_*'],
  );
  assert.equal(storeConfig({ ECS_ENDPOINT: 'minio.local:9000', ECS_ACCESS_KEY_ID: 'id' }).endpoint, 'https://minio.local:9000');
  const aws = storeConfig({
    AWS_ACCESS_KEY_ID: 'aws',
    AWS_SECRET_ACCESS_KEY: 'a',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9000/',
    AWS_REGION: 'eu-1',
  });
  assert.deepEqual([aws.endpoint, aws.credentials?.accessKeyId, aws.region, aws.source], ['http://127.0.0.1:9000', 'aws', 'eu-1', 'AWS_*']);
  const chain = storeConfig({});
  assert.deepEqual(
    [chain.endpoint, chain.credentials, chain.region, chain.source],
    [undefined, undefined, 'us-east-1', 'AWS default chain'],
  );
  const o = storeConfig({ ECS_ACCESS_KEY_ID: 'id', ECS_ENDPOINT: 'http://a' }, { endpoint: 'http://b', region: 'r' });
  assert.deepEqual([o.endpoint, o.region], ['http://b', 'r']);
});
