import { S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A private s3rver for one test file: its own process, temp directory and ephemeral loopback port. */
export interface TestS3 {
  endpoint: string;
  port: number;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  buckets: string[];
  dir: string;
  /** ECS_* and AWS_* variables pointing at this server (for code that reads the environment). */
  env: Record<string, string>;
  /** A path-style SDK client with the server's credentials (caller destroys it). */
  client(): S3Client;
  stop(): Promise<void>;
}

/** Options: buckets to create (default `etcd-backup`) and the key pair (default random). */
export interface TestS3Options {
  buckets?: string[];
  accessKeyId?: string;
  secretAccessKey?: string;
  startTimeoutMs?: number;
}

const script = fileURLToPath(new URL('./s3rver-process.ts', import.meta.url));

/** Starts s3rver on 127.0.0.1:0 in a child process; resolves once it listens. */
export async function startS3rver(opts: TestS3Options = {}): Promise<TestS3> {
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-s3rver-'));
  const accessKeyId = opts.accessKeyId ?? `TEST${randomBytes(6).toString('hex').toUpperCase()}`;
  const secretAccessKey = opts.secretAccessKey ?? randomBytes(18).toString('base64url');
  const buckets = opts.buckets ?? ['etcd-backup'];
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir, accessKeyId, secretAccessKey, ...buckets], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const port = await firstPort(child, opts.startTimeoutMs ?? 20_000, () => stderr).catch(async (e: unknown) => {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const region = 'us-east-1';
  return {
    endpoint,
    port,
    region,
    accessKeyId,
    secretAccessKey,
    buckets,
    dir,
    env: {
      ECS_ENDPOINT: endpoint,
      ECS_ACCESS_KEY_ID: accessKeyId,
      ECS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
    },
    client: () =>
      new S3Client({
        endpoint,
        region,
        forcePathStyle: true,
        credentials: { accessKeyId, secretAccessKey },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    stop: () => stopChild(child, dir),
  };
}

function firstPort(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start within ${timeoutMs} ms: ${stderr()}`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${String(code)} before listening: ${stderr()}`));
    });
    if (!child.stdout) return reject(new Error('s3rver: no stdout'));
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      const port = (JSON.parse(line) as { port?: unknown }).port;
      if (typeof port === 'number') resolve(port);
      else reject(new Error(`s3rver: unexpected first line ${line}`));
    });
  });
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  await rm(dir, { recursive: true, force: true });
}
