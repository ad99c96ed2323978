import { shellQuote } from '../util/shell-quote.js';
import { sha256Snippet } from '../util/sha256-command.js';
import { execOn, type ModuleContext } from './module.js';

/** What is at a path on the host (Ansible's `stat` fields). */
export interface PathInfo {
  exists: boolean;
  isdir?: boolean;
  isreg?: boolean;
  islnk?: boolean;
  size?: number;
  mode?: string;
  uid?: number;
  gid?: number;
  pw_name?: string;
  gr_name?: string;
  mtime?: number;
  checksum?: string;
  path: string;
}

/** Reads a path's type, mode, owner, size, mtime (and sha256 of regular files) in one remote command. */
export async function probePath(ctx: ModuleContext, path: string, checksum: boolean): Promise<PathInfo> {
  const r = await execOn(ctx, pathProbeCommand(path, checksum), { onOutput: undefined });
  const info = parsePathProbe(path, r);
  if ('error' in info) throw new Error(info.error);
  return info;
}

/** The read-only command that prints what is at a path (and, with `checksum`, a regular file's sha256). */
export function pathProbeCommand(path: string, checksum: boolean): string {
  const p = shellQuote(path);
  // `if`, not `&&`: a directory must not make the whole probe exit 1
  const sum = checksum ? `; if [ -f ${p} ]; then ${sha256Snippet(p)}; fi` : '';
  return `if [ -e ${p} ] || [ -L ${p} ]; then stat -c '%F|%a|%U|%G|%s|%Y|%u|%g' -- ${p}${sum}; else echo __absent__; fi`;
}

/** Pure: the PathInfo from what pathProbeCommand printed, or why it could not be read. */
export function parsePathProbe(path: string, r: { stdout: string; stderr: string; code: number | null }): PathInfo | { error: string } {
  if (r.code !== 0) return { error: `cannot inspect ${path}: ${r.stderr.trim() || `exit code ${String(r.code)}`}` };
  const [first = '', second] = r.stdout.trim().split('\n');
  if (first === '__absent__') return { exists: false, path };
  const [type = '', mode = '', owner = '', group = '', size = '0', mtime = '0', uid = '0', gid = '0'] = first.split('|');
  return {
    exists: true,
    path,
    isdir: type === 'directory',
    isreg: type.startsWith('regular'),
    islnk: type === 'symbolic link',
    size: Number(size),
    mode: mode.padStart(4, '0'),
    pw_name: owner,
    gr_name: group,
    uid: Number(uid),
    gid: Number(gid),
    mtime: Number(mtime),
    ...(second ? { checksum: second.trim() } : {}),
  };
}

/** Normalizes a mode given as "0644", "644" or 420 to a 4-digit octal string. */
export function octalMode(mode: string | number | undefined): string | undefined {
  if (mode === undefined) return undefined;
  const s = typeof mode === 'number' ? mode.toString(8) : mode.replace(/^0o/, '');
  if (!/^[0-7]{3,4}$/.test(s)) throw new Error(`invalid mode "${String(mode)}" (use octal like "0644")`);
  return s.padStart(4, '0');
}
