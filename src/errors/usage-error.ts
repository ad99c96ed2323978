/** A usage problem (bad arguments, unreadable journal): the CLI prints `tsplay SUB: message` and exits 5. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
