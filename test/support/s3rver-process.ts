// Child process of test/support/s3rver.ts: one s3rver on 127.0.0.1 (ephemeral port) with the given
// key pair and buckets; prints {"port":N} once listening; exits on SIGTERM/SIGINT or when stdin closes.
// Usage: s3rver-process.ts DIR ACCESS_KEY_ID SECRET BUCKET...
import { startS3rver } from './s3rver-start.js';

const [directory, accessKeyId, secret, ...buckets] = process.argv.slice(2);
if (!directory || !accessKeyId || !secret) throw new Error('usage: s3rver-process.ts DIR ACCESS_KEY_ID SECRET BUCKET...');
// Only our key id is known; s3rver does not check SigV4 secrets, so a wrong *key id* is what gets refused.
const where = await startS3rver({ address: '127.0.0.1', port: 0, directory, silent: true, accessKeyId, secretAccessKey: secret, buckets });
process.stdout.write(`${JSON.stringify({ port: where.port })}\n`);
// The parent holds our stdin open; if it dies, we go too.
process.stdin.on('end', where.stop);
process.stdin.resume();
