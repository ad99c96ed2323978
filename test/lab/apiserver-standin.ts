// Stand-in for kube-apiserver in the lab: every second it checks its etcd through the client
// certificate (GET /health, then a read of the sentinel key the seed wrote) and serves /healthz,
// /livez and /readyz over HTTP: 200 only when etcd is healthy AND the sentinel is readable, so a
// wrong restore shows up as an unhealthy apiserver. Flags mimic kube-apiserver's.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Agent, request } from 'node:https';

const flags = new Map(
  process.argv.slice(2).map((a) => {
    const [k = '', ...v] = a.replace(/^--/, '').split('=');
    return [k, v.join('=')] as const;
  }),
);
const flag = (name: string): string => {
  const v = flags.get(name);
  if (!v) throw new Error(`apiserver-standin: --${name}= is required`);
  return v;
};
const etcd = new URL(flag('etcd-servers').split(',')[0] ?? '');
const agent = new Agent({
  ca: readFileSync(flag('etcd-cafile')),
  cert: readFileSync(flag('etcd-certfile')),
  key: readFileSync(flag('etcd-keyfile')),
  keepAlive: true,
});
const sentinel = Buffer.from(process.env.LAB_SENTINEL_KEY ?? '/registry/lab/sentinel').toString('base64');
let state = { ok: false, reason: 'not checked yet' };

function call(path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, etcd), { method: body ? 'POST' : 'GET', agent, timeout: 2000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** One probe of etcd: healthy member, then the sentinel key present. */
async function probe(): Promise<{ ok: boolean; reason: string }> {
  try {
    const health = await call('/health');
    if (health.status !== 200 || !health.text.includes('"true"'))
      return { ok: false, reason: `etcd /health: ${health.status} ${health.text.trim()}` };
    const range = await call('/v3/kv/range', { key: sentinel });
    if (range.status !== 200) return { ok: false, reason: `etcd range: HTTP ${range.status}` };
    const body = JSON.parse(range.text) as { kvs?: unknown[] };
    return body.kvs?.length ? { ok: true, reason: 'etcd healthy, sentinel present' } : { ok: false, reason: 'sentinel key missing' };
  } catch (e) {
    return { ok: false, reason: `etcd unreachable: ${(e as Error).message}` };
  }
}

async function loop(): Promise<void> {
  const next = await probe();
  if (next.ok !== state.ok || next.reason !== state.reason)
    console.log(`${new Date().toISOString()} ${next.ok ? 'healthy' : 'unhealthy'}: ${next.reason}`);
  state = next;
  setTimeout(() => void loop(), 1000);
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/healthz' && path !== '/readyz' && path !== '/livez') {
    res.writeHead(404).end('not found\n');
    return;
  }
  res.writeHead(state.ok ? 200 : 500, { 'content-type': 'text/plain' }).end(state.ok ? 'ok\n' : `[-]etcd failed: ${state.reason}\n`);
});
server.listen(Number(flag('secure-port')), flag('advertise-address'), () =>
  console.log(
    `${new Date().toISOString()} apiserver stand-in on http://${flag('advertise-address')}:${flag('secure-port')}, etcd ${etcd.href}`,
  ),
);
process.on('SIGTERM', () => {
  console.log(`${new Date().toISOString()} SIGTERM: stopping`);
  server.close();
  agent.destroy();
  process.exit(0);
});
void loop();
