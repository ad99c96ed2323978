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
 * A script that SIGKILLs a process and all its descendants: it lists the whole tree first, then kills it (twice, for
 * children forked meanwhile), together with the process group the command runs in when that group is its own (led by
 * the process, its parent or grandparent: the shell sshd started for the channel, the login shell, sudo's or our
 * detached `sh`). The group catches what the command forked while its tree was being listed: once its parent is
 * killed, such a child is handed to init and no longer shows in the tree. No SIGSTOP: sudo would stop itself along
 * with a stopped child.
 */
export function killTreeScript(pid: number): string {
  return [
    't() { [ -d /proc/"$1" ] || return 0; echo "$1"',
    'for c in $(pgrep -P "$1" 2>/dev/null || cat /proc/"$1"/task/*/children 2>/dev/null); do t "$c"; done; }',
    // field N of /proc/PID/stat after the command name: 2 the parent, 3 the process group
    `st() { sed 's/^.*) //' /proc/"$1"/stat 2>/dev/null | cut -d' ' -f"$2"; }`,
    `g=$(st ${pid} 3); pp=$(st ${pid} 2); ppp=; [ -z "$pp" ] || ppp=$(st "$pp" 2)`,
    `case "$g" in ''|0|1|"$$") g= ;; ${pid}|"$pp"|"$ppp") ;; *) g= ;; esac`,
    `for round in 1 2; do p=$(t ${pid}); [ -n "$p" ] || break; kill -KILL $p \${g:+-$g} 2>/dev/null; done`,
    'exit 0',
  ].join('; ');
}
