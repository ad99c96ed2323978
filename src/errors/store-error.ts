/** What went wrong with the object store, for callers that react differently (exit codes, retries). */
export type StoreErrorCode =
  | 'access-denied'
  | 'no-bucket'
  | 'no-object'
  | 'unreachable'
  | 'integrity'
  | 'not-found'
  | 'invalid'
  | 'aborted'
  | 'failed';

/** An object-store or backup-format problem with a message fit for users; never carries credentials. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}
