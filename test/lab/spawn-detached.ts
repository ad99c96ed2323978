import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { recordPid, type LabProcess } from './pids.js';

/** Starts argv as a daemon (own session and process group, output appended to logFile) and records its pid. */
export async function spawnDetached(name: string, argv: string[], logFile: string, cwd?: string): Promise<LabProcess> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error(`${name}: empty command`);
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out], cwd });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => (child.pid === undefined ? reject(new Error(`${name}: no pid`)) : resolve(child.pid)));
      child.once('error', (e) => reject(new Error(`${name}: cannot start ${cmd}: ${e.message}`)));
    });
    child.unref();
    return await recordPid(name, pid, argv);
  } finally {
    closeSync(out);
  }
}
