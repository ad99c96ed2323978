import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectError } from '../../../src/errors/connect-error.js';
import { FakeTransport } from '../../../src/transports/fake.js';

test('answers by regex (first match wins, times limits), records calls, defaults unmatched to exit 0', async () => {
  const t = new FakeTransport('h1')
    .on(/^cat (\S+)/, (_req, m) => ({ stdout: `content of ${m?.[1] ?? '?'}` }))
    .on('etcdctl', { code: 1, stderr: 'unhealthy' }, 1)
    .on('etcdctl', { stdout: 'healthy' });
  await t.connect();
  assert.equal((await t.exec({ command: 'cat /etc/x' })).stdout, 'content of /etc/x');
  assert.deepEqual(
    [(await t.exec({ command: 'etcdctl endpoint health' })).code, (await t.exec({ command: 'etcdctl endpoint health' })).stdout],
    [1, 'healthy'],
  );
  assert.equal((await t.exec({ command: 'whatever' })).code, 0);
  assert.deepEqual(t.commands, ['cat /etc/x', 'etcdctl endpoint health', 'etcdctl endpoint health', 'whatever']);
});

test('simulates connect failures, hangs ending at the timeout or abort, and files', async () => {
  await assert.rejects(
    new FakeTransport('down', { connectFailure: 'refused' }).connect(),
    (e) => e instanceof ConnectError && e.failure === 'refused',
  );
  const t = new FakeTransport('h', { unmatched: 'reject', files: { '/a': 'A' } }).on('sleep', { hang: true });
  assert.equal((await t.exec({ command: 'sleep 9', timeoutMs: 20 })).timedOut, true);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 10);
  assert.equal((await t.exec({ command: 'sleep 9', signal: ac.signal })).aborted, true);
  await assert.rejects(t.exec({ command: 'ls' }), /no rule for command: ls/);
  await t.put({ path: '/b', content: Buffer.from([0, 1, 2]) });
  const chunks: Buffer[] = [];
  for await (const c of await t.get({ path: '/b' })) chunks.push(c as Buffer);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from([0, 1, 2]));
  await assert.rejects(t.get({ path: '/missing' }), /cannot read \/missing on h/);
});
