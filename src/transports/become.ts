import { shellQuote } from '../util/shell-quote.js';
import type { Become } from '../connection/types.js';
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

/** True when stderr of a `sudo -n` that never started the command says a password was needed. */
export function saysPasswordRequired(stderr: string): boolean {
  return /sudo: (a password is required|a terminal is required)/.test(stderr);
}
