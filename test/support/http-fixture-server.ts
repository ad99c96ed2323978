// A small HTTP server on 127.0.0.1 for the get_url/uri fixtures (`$SERVER` in a fixture is its base URL).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const FILES: Record<string, string> = { '/files/hello.txt': 'hello\n', '/files/etcd.conf': 'name=m1\ndata-dir=/var/lib/etcd\n' };
const LAST_MODIFIED = new Date('2020-01-01T00:00:00Z');

/** Starts the server; resolves with its base URL and a close function. */
export async function startHttpFixtureServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const file = FILES[path];
      if (file !== undefined) {
        const since = req.headers['if-modified-since'];
        if (since && new Date(since) >= LAST_MODIFIED) return void res.writeHead(304).end();
        return void res
          .writeHead(200, {
            'Content-Type': 'text/plain',
            'Content-Length': Buffer.byteLength(file),
            'Last-Modified': LAST_MODIFIED.toUTCString(),
          })
          .end(file);
      }
      if (path === '/health') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"health":"true","members":3}');
      if (path === '/echo') {
        const body = Buffer.concat(chunks).toString('utf8');
        return void res
          .writeHead(201, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] ?? '', header: req.headers['x-check'] ?? '' }));
      }
      if (path === '/moved') return void res.writeHead(302, { Location: '/health' }).end();
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
