import { Agent } from 'node:https';
import { loadS3Sdk, type S3Client, type S3Sdk } from './sdk.js';
import { configSecrets, endpointLabel, storeConfig, type StoreConfig, type StoreOverrides } from './config.js';
import { scrub, toStoreError } from './errors.js';
import type { StoreError } from '../errors/store-error.js';

/** An S3 client plus what is needed to explain its failures without leaking the secret key. */
export class Store {
  readonly label: string;
  private readonly secrets: string[];
  private s3: S3Client | undefined;

  constructor(readonly config: StoreConfig) {
    this.label = endpointLabel(config);
    this.secrets = configSecrets(config);
  }

  /** The SDK and this store's client, both created on first use (no request is sent). */
  async sdk(): Promise<{ s3: S3Client; sdk: S3Sdk }> {
    const sdk = await loadS3Sdk();
    this.s3 ??= new sdk.S3Client({
      endpoint: this.config.endpoint,
      region: this.config.region,
      forcePathStyle: true,
      credentials: this.config.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      ...(this.config.insecureSkipVerify ? { requestHandler: { httpsAgent: new Agent({ rejectUnauthorized: false }) } } : {}),
    });
    return { s3: this.s3, sdk };
  }

  /** Runs one request (e.g. `(s3, sdk) => s3.send(new sdk.HeadObjectCommand(...))`); failures become a StoreError naming the endpoint, bucket and key. */
  async call<T>(request: (s3: S3Client, sdk: S3Sdk) => Promise<T>, bucket: string, key?: string): Promise<T> {
    try {
      const { s3, sdk } = await this.sdk();
      return await request(s3, sdk);
    } catch (err) {
      throw this.error(err, bucket, key);
    }
  }

  /** Maps any failure to a StoreError for this endpoint. */
  error(err: unknown, bucket: string, key?: string): StoreError {
    return toStoreError(err, { endpoint: this.label, bucket, key }, this.secrets);
  }

  /** Text with this store's secret values masked. */
  scrub(text: string): string {
    return scrub(text, this.secrets);
  }

  /** Closes sockets. */
  destroy(): void {
    this.s3?.destroy();
  }
}

/** A store from the controller's environment (ECS_* or AWS_*), with optional endpoint/region overrides. */
export function openStore(overrides: StoreOverrides = {}, env: NodeJS.ProcessEnv = process.env): Store {
  return new Store(storeConfig(env, overrides));
}
