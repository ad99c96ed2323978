/** A file could not be written to or read from a host; carries the remote stderr. */
export class TransferError extends Error {
  readonly host: string;
  readonly path: string;
  constructor(host: string, op: 'write' | 'read', path: string, detail: string) {
    super(`cannot ${op} ${path} on ${host}: ${detail}`);
    this.name = 'TransferError';
    this.host = host;
    this.path = path;
  }
}
