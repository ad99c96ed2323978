import { shellQuote } from '../util/shell-quote.js';
import { becomeCommand } from './become.js';
import type { Markers } from './markers.js';
import type { ExecRequest } from './transport.js';

/**
 * The script that runs as the target user: announces its pid (for timeouts) with the ready marker,
 * exports `env`, changes to `cwd` (a failed cd fails the command), then runs the command.
 */
export function innerScript(req: Pick<ExecRequest, 'command' | 'env' | 'cwd'>, m: Markers): string {
  const parts = [`printf '%s%s]\\n' ${shellQuote(m.ready)} "$$" >&2`];
  for (const [k, v] of Object.entries(req.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name: ${JSON.stringify(k)}`);
    parts.push(`export ${k}=${shellQuote(v)}`);
  }
  if (req.cwd !== undefined) parts.push(`cd ${shellQuote(req.cwd)} || exit`);
  return `${parts.join('; ')}\n${req.command}`;
}

/** What to hand to `sh -c`: the inner script, wrapped in sudo when `become` is set. */
export function shellScript(req: Pick<ExecRequest, 'command' | 'env' | 'cwd' | 'become'>, m: Markers): string {
  const inner = innerScript(req, m);
  return req.become ? becomeCommand(inner, req.become, m) : inner;
}

/** The full remote command line: `sh -c '<script>'`, independent of the remote login shell. */
export function remoteCommandLine(req: Pick<ExecRequest, 'command' | 'env' | 'cwd' | 'become'>, m: Markers): string {
  return `sh -c ${shellQuote(shellScript(req, m))}`;
}

/**
 * A script that SIGKILLs a process and all its descendants: it lists the whole tree first, then kills it
 * (twice, for children forked meanwhile). No SIGSTOP: sudo would stop itself along with a stopped child.
 */
export function killTreeScript(pid: number): string {
  return [
    't() { [ -d /proc/"$1" ] || return 0; echo "$1"',
    'for c in $(pgrep -P "$1" 2>/dev/null || cat /proc/"$1"/task/*/children 2>/dev/null); do t "$c"; done; }',
    `for round in 1 2; do p=$(t ${pid}); [ -n "$p" ] || break; kill -KILL $p 2>/dev/null; done`,
    'exit 0',
  ].join('; ');
}
