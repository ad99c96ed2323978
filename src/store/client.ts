import { Agent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { configSecrets, endpointLabel, storeConfig, type StoreConfig, type StoreOverrides } from './config.js';
import { scrub, toStoreError, type StoreError } from './errors.js';

/** An S3 client plus what is needed to explain its failures without leaking the secret key. */
export class Store {
  readonly s3: S3Client;
  readonly label: string;
  private readonly secrets: string[];

  constructor(readonly config: StoreConfig) {
    this.s3 = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: true,
      credentials: config.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      ...(config.insecureSkipVerify ? { requestHandler: { httpsAgent: new Agent({ rejectUnauthorized: false }) } } : {}),
    });
    this.label = endpointLabel(config);
    this.secrets = configSecrets(config);
  }

  /** Runs one request (e.g. `() => store.s3.send(cmd)`); failures become a StoreError naming the endpoint, bucket and key. */
  async call<T>(request: () => Promise<T>, bucket: string, key?: string): Promise<T> {
    try {
      return await request();
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
    this.s3.destroy();
  }
}

/** A store from the controller's environment (ECS_* or AWS_*), with optional endpoint/region overrides. */
export function openStore(overrides: StoreOverrides = {}, env: NodeJS.ProcessEnv = process.env): Store {
  return new Store(storeConfig(env, overrides));
}
