import { shellQuote } from '../util/shell-quote.js';
import type { Become } from './transport.js';
import type { Markers } from './markers.js';

/**
 * Wraps a script so it runs as `become.user` through sudo: with a password, `sudo -S` prompts with
 * the random marker on stderr and the password is written to stdin (never on the command line);
 * without one, `sudo -n` fails instead of waiting for a password nobody will type.
 */
export function becomeCommand(script: string, become: Become, m: Markers): string {
  const auth = become.password !== undefined ? `-S -p ${shellQuote(m.prompt)}` : '-n';
  return `sudo -H ${auth} -u ${shellQuote(become.user)} -- sh -c ${shellQuote(script)}`;
}

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

/** True when stderr of a `sudo -n` that never started the command says a password was needed. */
export function saysPasswordRequired(stderr: string): boolean {
  return /sudo: (a password is required|a terminal is required)/.test(stderr);
}
