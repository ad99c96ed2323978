/** Why a host could not be reached. */
export type ConnectFailure =
  | 'refused'
  | 'timeout'
  | 'dns'
  | 'auth'
  | 'hostkey-unknown'
  | 'hostkey-changed'
  | 'hostkey-revoked'
  | 'key-file'
  | 'closed'
  | 'other';

/** A host could not be reached or the connection was lost; the transport boundary turns ssh2 errors into this. */
export class ConnectError extends Error {
  readonly host: string;
  readonly failure: ConnectFailure;
  /** SHA256 fingerprint of the offered host key, for host-key failures. */
  readonly fingerprint: string | undefined;
  constructor(host: string, failure: ConnectFailure, message: string, fingerprint?: string) {
    super(message);
    this.name = 'ConnectError';
    this.host = host;
    this.failure = failure;
    this.fingerprint = fingerprint;
  }
}
