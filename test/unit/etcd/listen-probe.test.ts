// listenCommand run by the local sh against a real listening socket and a closed port; parseListen's fallbacks.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { listenCommand, parseListen } from '../../../src/etcd/listen-probe.js';

const sh = (script: string): Promise<string> =>
  new Promise((resolve, reject) => execFile('sh', ['-c', script], { timeout: 10_000 }, (e, out) => (e ? reject(e) : resolve(out))));

test('a listening port and a closed one are told apart in one run, by index', async () => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const open = (server.address() as AddressInfo).port;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  try {
    const urls = [`https://127.0.0.1:${closedPort}`, `https://127.0.0.1:${open}`];
    const started = Date.now();
    const out = await sh(listenCommand(urls));
    assert.deepEqual(parseListen(out, urls), { listening: [urls[1]], refused: [urls[0]] });
    assert.ok(Date.now() - started < 900, 'a refused port is known at once, not after the timeout');
  } finally {
    server.close();
  }
});

test('without an answer for an endpoint (or without bash) it counts as listening: etcdctl then decides', () => {
  const urls = ['https://127.0.1.1:2379', 'https://127.0.1.2:2379'];
  assert.deepEqual(parseListen('@@listen-unknown\n', urls), { listening: urls, refused: [] });
  assert.deepEqual(parseListen('@@listen 1 0\n', urls), { listening: [urls[0]], refused: [urls[1]] });
  assert.deepEqual(parseListen('', urls), { listening: urls, refused: [] });
});

test("host and port come from the URL, quoted; etcd's client port is the default", () => {
  const cmd = listenCommand(['https://[::1]:2379', 'https://127.0.1.3'], 2);
  assert.match(cmd, /timeout 2 bash -c 'exec 3<>\/dev\/tcp\/::1\/2379'/);
  assert.match(cmd, /\/dev\/tcp\/127\.0\.1\.3\/2379/);
});
