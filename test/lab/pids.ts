import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labDir } from './topology.js';

/** A process the lab started, with its kernel start time so a reused pid is never mistaken for it. */
export interface LabProcess {
  name: string;
  pid: number;
  startTime: string;
  argv: string[];
}

/** .lab/pids.json: every process (group leader) the lab started. */
export const pidsFile = join(labDir, 'pids.json');

/** The kernel start time of a pid (field 22 of /proc/pid/stat), or undefined when it is gone. */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** True while the recorded process (same pid AND same start time) is alive and not a zombie. */
export function isAlive(p: LabProcess): boolean {
  if (startTimeOf(p.pid) !== p.startTime) return false;
  try {
    const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Reads .lab/pids.json (empty when absent). */
export async function readPids(): Promise<LabProcess[]> {
  try {
    return JSON.parse(await readFile(pidsFile, 'utf8')) as LabProcess[];
  } catch {
    return [];
  }
}

/** Serializes read-modify-write of pids.json within this process. */
let queue: Promise<void> = Promise.resolve();

/** Adds a started process to .lab/pids.json (replacing an entry with the same name). */
export async function recordPid(name: string, pid: number, argv: string[]): Promise<LabProcess> {
  const startTime = startTimeOf(pid);
  if (startTime === undefined) throw new Error(`${name} (pid ${pid}) exited right after it was started`);
  const entry = { name, pid, startTime, argv };
  const update = queue.then(async () => writePids([...(await readPids()).filter((p) => p.name !== name), entry]));
  queue = update.catch(() => undefined);
  await update;
  return entry;
}

/** Rewrites .lab/pids.json atomically. */
export async function writePids(list: LabProcess[]): Promise<void> {
  await mkdir(labDir, { recursive: true });
  const tmp = `${pidsFile}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(list, null, 2)}\n`);
  await rename(tmp, pidsFile);
}

/** SIGTERM to the process group of each, then SIGKILL to whatever is left after graceMs; resolves when all are gone. */
export async function stopGroups(list: LabProcess[], graceMs = 5000): Promise<void> {
  const signal = (p: LabProcess, sig: NodeJS.Signals): void => {
    if (!isAlive(p)) return;
    try {
      process.kill(-p.pid, sig);
    } catch {
      try {
        process.kill(p.pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  list.forEach((p) => signal(p, 'SIGTERM'));
  const deadline = Date.now() + graceMs;
  while (list.some(isAlive) && Date.now() < deadline) await sleep(100);
  list.forEach((p) => signal(p, 'SIGKILL'));
  while (list.some(isAlive)) await sleep(50);
}

/** SIGKILLs every recorded process group at once, synchronously (for a process 'exit' hook). */
export function killRecordedSync(): void {
  let list: LabProcess[] = [];
  try {
    list = JSON.parse(readFileSync(pidsFile, 'utf8')) as LabProcess[];
  } catch {
    return;
  }
  for (const p of list) {
    if (!isAlive(p)) continue;
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Resolves after ms milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
