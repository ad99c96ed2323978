/** Why sudo did not run the command. */
export type BecomeFailure = 'rejected' | 'required';

/** sudo refused to run a command: wrong become password, or a password is required but none was given. */
export class BecomeError extends Error {
  readonly host: string;
  readonly failure: BecomeFailure;
  constructor(host: string, failure: BecomeFailure, user: string) {
    super(
      failure === 'rejected'
        ? `become password was rejected by sudo on ${host} (become user ${user})`
        : `sudo on ${host} requires a password to become ${user}; set ansible_become_password (or --ask-become-pass)`,
    );
    this.name = 'BecomeError';
    this.host = host;
    this.failure = failure;
  }
}
