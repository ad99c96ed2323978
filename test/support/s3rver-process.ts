// Child process of test/support/s3rver.ts: one s3rver on 127.0.0.1 (ephemeral port) with the given
// key pair and buckets; prints {"port":N} once listening; exits on SIGTERM/SIGINT or when stdin closes.
// Usage: s3rver-process.ts DIR ACCESS_KEY_ID SECRET BUCKET...
import { createRequire } from 'node:module';

interface S3rverOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string; configs: Buffer[] }[];
}
interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (opts: S3rverOptions) => S3rverServer;
interface AccountModule {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void; revokeAccessKey(id: string): void };
}

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverClass;
const accounts = require('s3rver/lib/models/account.js') as AccountModule;

const [directory, accessKeyId, secret, ...buckets] = process.argv.slice(2);
if (!directory || !accessKeyId || !secret) throw new Error('usage: s3rver-process.ts DIR ACCESS_KEY_ID SECRET BUCKET...');
// Only our key id is known; s3rver does not check SigV4 secrets, so a wrong *key id* is what gets refused.
accounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secret);
accounts.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});
const where = await server.run();
process.stdout.write(`${JSON.stringify({ port: where.port })}\n`);
const stop = (): void => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin open; if it dies, we go too.
process.stdin.on('end', stop);
process.stdin.resume();
