import { StoreError } from '../errors/store-error.js';

/** Fields of an AWS SDK (or Node network) error that we look at; everything else is dropped. */
interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const ACCESS = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'Forbidden',
  'InvalidToken',
  'ExpiredToken',
  'CredentialsProviderError',
]);
const NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'TimeoutError']);

/** Where a failed request went: the endpoint, bucket and (optional) key, for messages. */
export interface StoreTarget {
  endpoint: string;
  bucket: string;
  key?: string | undefined;
}

/** Turns any SDK/network error into a StoreError with a message composed only from known-safe parts. */
export function toStoreError(err: unknown, t: StoreTarget, secrets: readonly string[] = []): StoreError {
  if (err instanceof StoreError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const net = networkCode(e);
  if (net) return new StoreError('unreachable', `object store ${t.endpoint} is unreachable (${net})`);
  if (ACCESS.has(name) || status === 403) {
    return new StoreError(
      'access-denied',
      `access denied by the object store at ${t.endpoint} to s3://${t.bucket}/${t.key ?? ''}: check ECS_ACCESS_KEY_ID/ECS_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)`,
    );
  }
  if (name === 'NoSuchBucket') return new StoreError('no-bucket', `bucket "${t.bucket}" does not exist at ${t.endpoint}`);
  if (name === 'NoSuchKey' || (name === 'NotFound' && t.key !== undefined) || (status === 404 && t.key !== undefined)) {
    return new StoreError('no-object', `object s3://${t.bucket}/${t.key ?? ''} does not exist at ${t.endpoint}`);
  }
  if (name === 'NotFound' || status === 404) return new StoreError('no-bucket', `bucket "${t.bucket}" does not exist at ${t.endpoint}`);
  const detail = scrub(typeof e.message === 'string' ? e.message : String(err), secrets);
  return new StoreError('failed', `object store ${t.endpoint} failed${name ? ` (${name}${status ? ` ${status}` : ''})` : ''}: ${detail}`);
}

/** The Node network error code inside an error (also inside AggregateError/cause chains), if any. */
function networkCode(e: SdkErrorLike, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  for (const v of [e.code, e.name]) if (typeof v === 'string' && NET.has(v)) return v;
  const nested = [...(Array.isArray(e.errors) ? (e.errors as unknown[]) : []), e.cause];
  for (const n of nested) {
    if (typeof n === 'object' && n !== null) {
      const c = networkCode(n as SdkErrorLike, depth + 1);
      if (c) return c;
    }
  }
  return undefined;
}

/** Removes secret values from text (belt and braces: SDK messages should not contain them anyway). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('********');
  return out;
}
