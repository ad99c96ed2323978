import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** `roles_path` of the `[defaults]` section of an ansible.cfg in DIR, as directories (relative to DIR); [] when none. */
export function cfgRolesPath(dir: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(dir, 'ansible.cfg'), 'utf8');
  } catch {
    return [];
  }
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) section = (head[1] ?? '').trim();
    else if (section === 'defaults') {
      const kv = /^roles_path\s*[=:]\s*(.*)$/.exec(line);
      if (kv)
        return (kv[1] ?? '')
          .split(':')
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p) => (p.startsWith('~') ? p : resolve(dir, p)));
    }
  }
  return [];
}

/**
 * Where a role named NAME is looked for, in ansible-core's order: roles/ next to the playbook, the roles_path of an
 * ansible.cfg next to the playbook, the playbook's directory; a name with a slash is a path relative to the playbook.
 */
export function roleCandidates(name: string, playbookDir: string): string[] {
  if (isAbsolute(name)) return [name];
  const dirs = [join(playbookDir, 'roles'), ...cfgRolesPath(playbookDir), playbookDir];
  return dirs.filter((d) => !d.startsWith('~')).map((d) => join(d, name));
}

/** The directory of role NAME, or undefined (with the places looked in). */
export function findRole(name: string, playbookDir: string): { dir?: string; searched: string[] } {
  const searched = roleCandidates(name, playbookDir);
  const dir = searched.find(isDir);
  return dir === undefined ? { searched } : { dir, searched };
}
