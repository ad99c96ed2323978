// The AWS SDK is loaded on first use: it is ~100 ms of start-up that runs without S3 tasks should not pay.
import type { S3Client } from '@aws-sdk/client-s3';

/** The `@aws-sdk/client-s3` namespace (commands, client). */
export type S3Sdk = typeof import('@aws-sdk/client-s3');
/** The `@aws-sdk/lib-storage` namespace (multipart Upload). */
export type StorageSdk = typeof import('@aws-sdk/lib-storage');

let s3Sdk: Promise<S3Sdk> | undefined;
let storageSdk: Promise<StorageSdk> | undefined;

/** Loads @aws-sdk/client-s3 once per process. */
export function loadS3Sdk(): Promise<S3Sdk> {
  return (s3Sdk ??= import('@aws-sdk/client-s3'));
}

/** Loads @aws-sdk/lib-storage once per process. */
export function loadStorageSdk(): Promise<StorageSdk> {
  return (storageSdk ??= import('@aws-sdk/lib-storage'));
}

export type { S3Client };
