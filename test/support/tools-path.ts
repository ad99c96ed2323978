import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, rmSync } from 'node:fs';

/** Makes `dir` a PATH directory holding only the given tools (links to where this machine has them; missing ones are left out); returns `dir`. */
export function toolsPath(dir: string, tools: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const t of tools) {
    const at = spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim();
    if (!at.startsWith('/')) continue;
    rmSync(`${dir}/${t}`, { force: true });
    symlinkSync(at, `${dir}/${t}`);
  }
  return dir;
}
