// The lab's S3 server (the seed's MinIO host): s3rver on 127.0.0.1:9000 (another instance: its own port) with data in .lab/s3,
// the bucket `etcd-backup` and the lab's fixed credentials. Usage: s3-server.ts <dataDir>.
import { createRequire } from 'node:module';
import { s3 } from './topology.js';

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

const directory = process.argv[2];
if (!directory) throw new Error('usage: s3-server.ts <dataDir>');
// Only the lab's access key id is known (s3rver's default S3RVER is revoked). Note: s3rver does not
// verify SigV4 signatures, so a wrong *secret* with the right key id is accepted.
accounts.DUMMY_ACCOUNT.createKeyPair(s3.accessKeyId, s3.secretAccessKey);
accounts.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
const server = new S3rver({
  address: s3.ip,
  port: s3.port,
  directory,
  silent: false,
  configureBuckets: [{ name: s3.bucket, configs: [] }],
});
const where = await server.run();
console.log(`${new Date().toISOString()} s3rver listening on ${where.address}:${where.port}, data in ${directory}`);
const stop = (): void => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
