// What get_url and uri share: a curl configuration fed on stdin (credentials and headers never reach a command
// line, so they are not in `ps`, in `cmd` or in a check-mode report) and the status line texts.
import { STATUS_CODES } from 'node:http';
import { bool } from './plan.js';

/** Connection arguments of Ansible's url_argument_spec that tsplay honours. */
export interface HttpArgs {
  url: string;
  headers?: Record<string, string | number | boolean> | undefined;
  timeout?: number | string | undefined;
  validate_certs?: boolean | string | undefined;
  url_username?: string | undefined;
  url_password?: string | undefined;
}

/** A curl config quoted string. */
export function quoted(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** A curl config file (for `curl -K -`): url, headers, credentials, timeout, TLS verification. */
export function curlConfig(
  a: HttpArgs,
  user: string | undefined,
  password: string | undefined,
  timeoutS: number,
  extra: string[] = [],
): string {
  const lines = [`url = ${quoted(a.url)}`, `max-time = ${timeoutS}`, 'silent', 'show-error', ...extra];
  for (const [k, v] of Object.entries(a.headers ?? {})) lines.push(`header = ${quoted(`${k}: ${String(v)}`)}`);
  if (user !== undefined) lines.push(`user = ${quoted(`${user}:${password ?? ''}`)}`);
  if (!bool(a.validate_certs, true)) lines.push('insecure');
  return `${lines.join('\n')}\n`;
}

/** urllib's message for a status: "HTTP Error 404: Not Found". */
export function httpError(status: number): string {
  return `HTTP Error ${status}: ${STATUS_CODES[status] ?? 'Unknown'}`;
}

/** curl's exit codes as a short message (the ones a window meets). */
export function curlError(code: number, stderr: string): string {
  const known: Record<number, string> = {
    6: 'Could not resolve host',
    7: 'Connection refused',
    28: 'Timed out',
    35: 'TLS handshake failed',
    60: 'certificate verify failed',
  };
  return `Request failed: <urlopen error ${known[code] ?? stderr.trim() ?? `curl exit ${code}`}>`;
}
