// An in-memory object store for module fixtures: a real Store (so its error mapping, scrubbing and the transfer code
// are the ones under test) whose S3 client answers from memory. A middleware at the client's first step serves the
// commands the s3 modules send (HeadObject, GetObject, PutObject, ListObjectsV2, DeleteObject(s)) and fails the others;
// no request leaves the process. Missing objects and buckets fail with the names and 404 status S3 gives them, so the
// Store turns them into the same StoreError codes (no-object, no-bucket) as against a real store.
import { Readable } from 'node:stream';
import { Store } from '../../src/store/client.js';
import type { S3Client, S3Sdk } from '../../src/store/sdk.js';

/** One stored object: its bytes and its user metadata (x-amz-meta-*). */
export interface FakeObject {
  body: Buffer;
  metadata: Record<string, string>;
  lastModified: Date;
}

/** An S3 error as the SDK throws it (name and HTTP status are what Store maps). */
function s3Error(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status },
  });
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
    return Buffer.concat(chunks);
  }
  throw new Error(`fake store: unsupported body ${typeof body}`);
}

/** The object store in memory: buckets of objects; `requests` records each command name with its bucket and key. */
export class FakeStore extends Store {
  readonly buckets = new Map<string, Map<string, FakeObject>>();
  readonly requests: string[] = [];
  private served = false;

  constructor() {
    super({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'fake-key-id',
        secretAccessKey: 'fake-secret-key',
      },
      insecureSkipVerify: false,
      source: 'ECS_*',
    });
  }

  /** Adds an (empty) bucket. */
  bucket(name: string): Map<string, FakeObject> {
    let b = this.buckets.get(name);
    if (!b) this.buckets.set(name, (b = new Map()));
    return b;
  }

  override async sdk(): Promise<{ s3: S3Client; sdk: S3Sdk }> {
    const r = await super.sdk();
    if (!this.served) {
      this.served = true;
      r.s3.middlewareStack.add(
        (_next, context) => async (args) =>
          ({
            output: await this.serve(String(context.commandName), args.input as object),
            response: {},
          }) as never,
        { step: 'initialize', name: 'fakeStore', priority: 'high' },
      );
    }
    return r;
  }

  private async serve(command: string, input: object): Promise<Record<string, unknown>> {
    const i = input as {
      Bucket?: string;
      Key?: string;
      Prefix?: string;
      Body?: unknown;
      Metadata?: Record<string, string>;
    };
    const bucketName = i.Bucket ?? '';
    this.requests.push(`${command} ${bucketName}${i.Key === undefined ? '' : `/${i.Key}`}`);
    const bucket = this.buckets.get(bucketName);
    const $metadata = { httpStatusCode: 200 };
    if (!bucket) {
      // HEAD has no body: S3 says only 404 NotFound, for a missing bucket as for a missing key
      if (command === 'HeadObjectCommand') throw s3Error('NotFound', 404, 'Not Found');
      throw s3Error('NoSuchBucket', 404, 'The specified bucket does not exist');
    }
    switch (command) {
      case 'HeadObjectCommand':
      case 'GetObjectCommand': {
        const o = bucket.get(i.Key ?? '');
        if (!o)
          throw command === 'HeadObjectCommand'
            ? s3Error('NotFound', 404, 'Not Found')
            : s3Error('NoSuchKey', 404, 'The specified key does not exist.');
        const head = {
          $metadata,
          ContentLength: o.body.length,
          Metadata: { ...o.metadata },
          LastModified: o.lastModified,
        };
        return command === 'GetObjectCommand' ? { ...head, Body: Readable.from([o.body]) } : head;
      }
      case 'PutObjectCommand':
        bucket.set(i.Key ?? '', {
          body: await bodyBytes(i.Body),
          metadata: { ...(i.Metadata ?? {}) },
          lastModified: new Date(),
        });
        return { $metadata, ETag: '"fake"' };
      case 'ListObjectsV2Command': {
        const prefix = i.Prefix ?? '';
        const Contents = [...bucket.entries()]
          .filter(([k]) => k.startsWith(prefix))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([Key, o]) => ({
            Key,
            Size: o.body.length,
            LastModified: o.lastModified,
          }));
        return {
          $metadata,
          Contents,
          KeyCount: Contents.length,
          IsTruncated: false,
        };
      }
      case 'DeleteObjectCommand':
        bucket.delete(i.Key ?? '');
        return { $metadata };
      case 'DeleteObjectsCommand': {
        const keys = (input as { Delete?: { Objects?: { Key?: string }[] } }).Delete?.Objects ?? [];
        for (const k of keys) bucket.delete(k.Key ?? '');
        return { $metadata, Deleted: keys.map((k) => ({ Key: k.Key })) };
      }
      default:
        throw new Error(`fake store: ${command} is not served`);
    }
  }
}
