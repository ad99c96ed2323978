import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The controller file a relative `src` of template or copy names, searched as ansible-core does for a task of a role:
 * the role's templates/ (template) or files/ (copy), the role's directory, then the task's directory; without a role
 * (or when none exists) the task's directory.
 */
export function sourcePath(src: string, dir: string, roleDir: string | undefined, kind: 'templates' | 'files'): string {
  if (isAbsolute(src) || roleDir === undefined) return resolve(dir, src);
  const found = [join(roleDir, kind, src), join(roleDir, src), join(dir, kind, src), join(dir, src)].find((p) => existsSync(p));
  return found ?? resolve(dir, src);
}
