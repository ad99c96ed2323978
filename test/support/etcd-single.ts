import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A throwaway single-member etcd on the controller's loopback (plain HTTP), for tests of snapshots and deltas. */
export interface SingleEtcd {
  endpoint: string;
  dataDir: string;
  post(path: string, body: unknown): Promise<Record<string, unknown>>;
  put(key: Buffer | string, value: Buffer | string): Promise<number>;
  del(key: Buffer | string): Promise<number>;
  /** Several puts in one transaction (one revision). */
  putMany(pairs: Array<[Buffer | string, Buffer | string]>): Promise<number>;
  revision(): Promise<number>;
  /** Every key and value (base64), sorted by key. */
  dump(): Promise<Array<[string, string]>>;
  stop(): Promise<void>;
}

const b64 = (v: Buffer | string): string => Buffer.from(v).toString('base64');

/** Starts etcd on 127.0.0.1:port (peer port + 1), from an existing data dir or a fresh one. */
export async function startSingleEtcd(opts: { port: number; dataDir?: string; name?: string }): Promise<SingleEtcd> {
  const dataDir = opts.dataDir ?? join(mkdtempSync(join(tmpdir(), 'tsplay-etcd-')), 'data');
  const name = opts.name ?? 'single';
  const client = `http://127.0.0.1:${opts.port}`;
  const peer = `http://127.0.0.1:${opts.port + 1}`;
  const child: ChildProcess = spawn(
    'etcd',
    [
      `--name=${name}`,
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${name}=${peer}`,
    ],
    { stdio: 'ignore' },
  );
  const post = (path: string, body: unknown) => httpPost(client, path, body);
  const rev = (r: Record<string, unknown>) => Number((r['header'] as { revision: string }).revision);
  const etcd: SingleEtcd = {
    endpoint: client,
    dataDir,
    post,
    put: async (k, v) => rev(await post('/v3/kv/put', { key: b64(k), value: b64(v) })),
    del: async (k) => rev(await post('/v3/kv/deleterange', { key: b64(k) })),
    putMany: async (pairs) =>
      rev(await post('/v3/kv/txn', { success: pairs.map(([k, v]) => ({ request_put: { key: b64(k), value: b64(v) } })) })),
    revision: async () => rev(await post('/v3/maintenance/status', {})),
    dump: async () => {
      const r = await post('/v3/kv/range', { key: b64('\0'), range_end: b64('\0') });
      const kvs = (r['kvs'] as Array<{ key: string; value?: string }> | undefined) ?? [];
      return kvs
        .map((kv) => [kv.key, kv.value ?? ''] as [string, string])
        .sort((a, b) => Buffer.compare(Buffer.from(a[0], 'base64'), Buffer.from(b[0], 'base64')));
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    },
  };
  for (let i = 0; i < 100; i++) {
    try {
      await etcd.revision();
      return etcd;
    } catch {
      await sleep(100);
    }
  }
  await etcd.stop();
  throw new Error(`etcd on ${client} did not start`);
}

/** Saves a snapshot of a member with etcdctl. */
export function snapshotSave(endpoint: string, file: string): void {
  const r = spawnSync('etcdctl', [`--endpoints=${endpoint}`, 'snapshot', 'save', file], {
    env: { ...process.env, ETCDCTL_API: '3' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`snapshot save failed: ${r.stderr}`);
}

/** Restores a snapshot into a new data dir (etcdctl 3.4). */
export function snapshotRestore(file: string, dataDir: string, name: string, peerUrl: string): void {
  rmSync(dataDir, { recursive: true, force: true });
  const r = spawnSync(
    'etcdctl',
    [
      'snapshot',
      'restore',
      file,
      '--data-dir',
      dataDir,
      '--name',
      name,
      '--initial-cluster',
      `${name}=${peerUrl}`,
      '--initial-advertise-peer-urls',
      peerUrl,
    ],
    { env: { ...process.env, ETCDCTL_API: '3' }, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`snapshot restore failed: ${r.stderr}`);
}

function httpPost(base: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
