// Starts s3rver in this process with one key pair and the given buckets: the lab's S3 server and the tests' own share it.
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

/** What to serve: where, from which directory, for which key pair, with which buckets. */
export interface S3rverSpec {
  address: string;
  /** 0: an ephemeral port. */
  port: number;
  directory: string;
  silent: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  buckets: string[];
}

/**
 * Runs s3rver until SIGTERM/SIGINT (then exits 0) and returns where it listens. Only the given key id is known:
 * s3rver's default S3RVER is revoked. s3rver does not verify SigV4 signatures, so a wrong *secret* with the right
 * key id is accepted; a wrong key id is refused.
 */
export async function startS3rver(spec: S3rverSpec): Promise<{ address: string; port: number; stop: () => void }> {
  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver') as S3rverClass;
  const accounts = require('s3rver/lib/models/account.js') as AccountModule;
  accounts.DUMMY_ACCOUNT.createKeyPair(spec.accessKeyId, spec.secretAccessKey);
  accounts.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
  const server = new S3rver({
    address: spec.address,
    port: spec.port,
    directory: spec.directory,
    silent: spec.silent,
    configureBuckets: spec.buckets.map((name) => ({ name, configs: [] })),
  });
  const where = await server.run();
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return { ...where, stop };
}
