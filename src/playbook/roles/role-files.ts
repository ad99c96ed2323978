import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();

/**
 * The file of a role's part (`tasks`, `handlers`, `defaults`, `vars`, `meta`) as ansible-core finds it: `main.yml`,
 * `main.yaml`, `main.json` or `main` (or FROM, FROM.yml, FROM.yaml, FROM.json for `tasks_from` and the like); undefined when absent.
 */
export function roleFile(roleDir: string, part: string, from?: string): string | undefined {
  const base = join(roleDir, part, from ?? 'main');
  return [`${base}.yml`, `${base}.yaml`, `${base}.json`, base].find(isFile);
}
