import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RevisionGroup } from '../store/delta.js';

/** Opens a fresh byte stream to the etcd client port (an SSH tunnel to the host's loopback). */
export type Opener = () => Promise<Duplex>;

/** POSTs JSON to etcd's gRPC gateway over a stream from `open` and returns the parsed reply (non-200 is an error with etcd's message). */
export async function gatewayPost(open: Opener, path: string, body: unknown): Promise<Record<string, unknown>> {
  const stream = await open();
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method: 'POST',
        path,
        host: 'etcd',
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
        createConnection: () => stream as never,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            const json = JSON.parse(text) as Record<string, unknown>;
            if (res.statusCode !== 200)
              reject(new Error(`etcd ${path}: HTTP ${res.statusCode}: ${String(json['error'] ?? json['message'] ?? text)}`));
            else resolve(json);
          } catch {
            reject(new Error(`etcd ${path}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The member's current store revision. */
export async function currentRevision(open: Opener): Promise<number> {
  const r = await gatewayPost(open, '/v3/maintenance/status', {});
  return Number((r['header'] as { revision?: string } | undefined)?.revision ?? 0);
}

/** The gateway transaction that re-applies one original revision (puts and deletes, binary-safe as base64). */
export function txnFor(group: RevisionGroup): { success: unknown[] } {
  return {
    success: group.events.map((e) =>
      e.type === 'put'
        ? { request_put: { key: e.key.toString('base64'), value: (e.value ?? Buffer.alloc(0)).toString('base64') } }
        : { request_delete_range: { key: e.key.toString('base64') } },
    ),
  };
}

/** Applies one revision group; returns the revision etcd reports after it. */
export async function applyGroup(open: Opener, group: RevisionGroup): Promise<number> {
  const r = await gatewayPost(open, '/v3/kv/txn', txnFor(group));
  return Number((r['header'] as { revision?: string } | undefined)?.revision ?? 0);
}
