import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { hostPki } from './pki.js';
import { clientUrl, members, type Member } from './topology.js';

let agent: Agent | undefined;

/** An HTTPS agent presenting the apiserver-etcd-client certificate (read from .lab/pki). */
function clientAgent(): Agent {
  const first = members[0];
  if (!first) throw new Error('lab topology has no members');
  const p = hostPki(first);
  agent ??= new Agent({
    ca: readFileSync(p.ca),
    cert: readFileSync(p.clientCert),
    key: readFileSync(p.clientKey),
    keepAlive: true,
    maxSockets: 16,
  });
  return agent;
}

/** Closes the kept-alive client connections so a test process can exit. */
export function closeGateway(): void {
  agent?.destroy();
  agent = undefined;
}

/** Result of one HTTP call to etcd: status and parsed JSON body (or raw text). */
export interface GatewayReply {
  status: number;
  body: unknown;
  text: string;
}

/**
 * GET or POST to a member's client URL (etcd's v3 gRPC-gateway JSON API, /health, /version). A request that
 * went out on a kept-alive socket which etcd closed meanwhile (etcd restarted, as in every restore) is sent once
 * more on a new connection, as Node's documentation advises; every call here is a read or an idempotent put.
 */
export async function gateway(m: Member, path: string, body?: unknown, timeoutMs = 5000): Promise<GatewayReply> {
  try {
    return await gatewayOnce(m, path, body, timeoutMs);
  } catch (e) {
    if (!(e instanceof StaleSocketError)) throw e;
    return gatewayOnce(m, path, body, timeoutMs);
  }
}

/** The kept-alive socket a request was sent on had been closed by the server. */
class StaleSocketError extends Error {}

function gatewayOnce(m: Member, path: string, body: unknown, timeoutMs: number): Promise<GatewayReply> {
  const url = new URL(path, clientUrl(m));
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: payload ? 'POST' : 'GET',
        agent: clientAgent(),
        timeout: timeoutMs,
        headers: payload ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`etcd ${url.href}: no answer in ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) =>
      reject(req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE') ? new StaleSocketError(e.message) : e),
    );
    req.end(payload);
  });
}

/** Like gateway() but throws unless the answer is HTTP 200; returns the JSON body. */
export async function gatewayOk(m: Member, path: string, body?: unknown): Promise<unknown> {
  const r = await gateway(m, path, body);
  if (r.status !== 200) throw new Error(`etcd ${clientUrl(m)}${path}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
  return r.body;
}

/** Base64 of a key or value, as the JSON gateway wants bytes. */
export const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64');
