import { lstatSync, readlinkSync, statSync } from 'node:fs';

/**
 * Why a path is not a readable regular file ("does not exist", "is a directory", a dangling symlink, ...), or
 * undefined when it is one. Read permission is not tested here (root reads everything); callers read the file.
 */
export function notAFile(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return 'is a directory';
    if (!st.isFile()) return 'is not a regular file';
    return undefined;
  } catch (e) {
    return unreadableReason(path, e);
  }
}

/** Why opening or reading `path` failed, from its error: "does not exist", "is a directory", "cannot be read (permission denied)", ... */
export function unreadableReason(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    const link = danglingLink(path);
    return link === undefined ? 'does not exist' : `is a symbolic link to ${link}, which does not exist`;
  }
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'does not exist (a parent is not a directory)';
  if (code === 'EACCES') return 'cannot be read (permission denied)';
  if (code === 'ELOOP') return 'is a symbolic link that loops';
  return `cannot be read (${code ?? String(e)})`;
}

/** The target of a symlink at `path` whose target is missing, else undefined. */
export function danglingLink(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}
