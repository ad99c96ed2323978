// The lab's S3 server (the seed's MinIO host): s3rver on 127.0.0.1:9000 (another instance: its own port) with data in .lab/s3,
// the bucket `etcd-backup` and the lab's fixed credentials. Usage: s3-server.ts <dataDir>.
import { startS3rver } from '../support/s3rver-start.js';
import { s3 } from './topology.js';

const directory = process.argv[2];
if (!directory) throw new Error('usage: s3-server.ts <dataDir>');
// Only the lab's access key id is known (see startS3rver).
const where = await startS3rver({
  address: s3.ip,
  port: s3.port,
  directory,
  silent: false,
  accessKeyId: s3.accessKeyId,
  secretAccessKey: s3.secretAccessKey,
  buckets: [s3.bucket],
});
console.log(`${new Date().toISOString()} s3rver listening on ${where.address}:${where.port}, data in ${directory}`);
