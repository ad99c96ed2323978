import { DeleteObjectCommand, HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sleep } from './pids.js';
import { spawnDetached } from './spawn-detached.js';
import { labDir, repoRoot, s3, s3Endpoint } from './topology.js';

/** Environment variables for tools that talk to the lab's S3 (etcdbrctl ECS_* and AWS SDK/CLI names). */
export const s3Env: Readonly<Record<string, string>> = {
  ECS_ENDPOINT: s3Endpoint,
  ECS_ACCESS_KEY_ID: s3.accessKeyId,
  ECS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  AWS_ACCESS_KEY_ID: s3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  AWS_ENDPOINT_URL: s3Endpoint,
  AWS_REGION: s3.region,
};

/** .lab/env: `export NAME='value'` lines to `source` in a shell. */
export const envFile = join(labDir, 'env');

/** Writes .lab/env. */
export async function writeEnvFile(): Promise<void> {
  const lines = Object.entries(s3Env).map(([k, v]) => `export ${k}='${v}'`);
  await writeFile(envFile, `# tsplay lab S3 (s3rver on ${s3Endpoint}, bucket ${s3.bucket})\n${lines.join('\n')}\n`, { mode: 0o600 });
}

/** An S3 client for the lab's server (path-style, checksums only when required). */
export function s3Client(): S3Client {
  return new S3Client({
    endpoint: s3Endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Starts s3rver as a detached process with its data in .lab/s3 (pid recorded as `s3`). */
export async function startS3(): Promise<void> {
  const script = join(repoRoot, 'test/lab/s3-server.ts');
  await spawnDetached('s3', [process.execPath, '--import', 'tsx', script, join(labDir, 's3')], join(labDir, 'logs', 's3.log'), repoRoot);
}

/** True when the bucket answers HeadBucket with the lab credentials. */
export async function bucketExists(): Promise<boolean> {
  const client = s3Client();
  try {
    await client.send(new HeadBucketCommand({ Bucket: s3.bucket }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** Waits until the bucket exists, or throws after timeoutMs. */
export async function waitForBucket(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await bucketExists())) {
    if (Date.now() > deadline)
      throw new Error(`S3 bucket ${s3.bucket} not reachable at ${s3Endpoint} after ${timeoutMs} ms (see .lab/logs/s3.log)`);
    await sleep(200);
  }
}

/** Deletes every object in the lab bucket (labReset). */
export async function emptyBucket(): Promise<void> {
  const client = s3Client();
  try {
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
      if (keys.length === 0) return;
      // One by one: DeleteObjects needs a checksum header s3rver may not accept.
      for (const Key of keys) await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key }));
    }
  } finally {
    client.destroy();
  }
}
