import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabHost } from './hosts.js';
import { mountNamespaceOf, run, type RunResult } from './hosts/proc.js';
import { startTimeOf } from './pids.js';
import { labDir } from './topology.js';

/** What a later process (lab:down, lab:status, a test) needs to reach a running lab's hosts. */
export interface RecordedHost {
  name: string;
  address: string;
  nsPid: number;
  /** Kernel start time of nsPid, to tell it from a reused pid. */
  nsStartTime: string;
  /** Mount-namespace id (`mnt:[...]`) every process of the host lives in. */
  ns: string;
  dir: string;
}

/** .lab/state.json: the hosts of the running lab. */
export const stateFile = join(labDir, 'state.json');

/** Records the hosts of a freshly started lab. */
export async function recordHosts(hosts: LabHost[]): Promise<RecordedHost[]> {
  const recorded = hosts.map((h) => {
    const ns = mountNamespaceOf(h.nsPid);
    const nsStartTime = startTimeOf(h.nsPid);
    if (!ns || !nsStartTime) throw new Error(`lab host ${h.name}: namespace holder ${h.nsPid} is gone`);
    return { name: h.name, address: h.address, nsPid: h.nsPid, nsStartTime, ns, dir: h.dir };
  });
  await writeFile(stateFile, `${JSON.stringify(recorded, null, 2)}\n`);
  return recorded;
}

/** The recorded hosts ([] when no lab was recorded). */
export async function readHosts(): Promise<RecordedHost[]> {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8')) as RecordedHost[];
  } catch {
    return [];
  }
}

/** Forgets the recorded hosts. */
export async function forgetHosts(): Promise<void> {
  await rm(stateFile, { force: true });
  await rm(shapeFile, { force: true });
}

/** True while the host's namespace holder (same pid, same start time, same namespace) is alive. */
export function hostAlive(h: RecordedHost): boolean {
  return startTimeOf(h.nsPid) === h.nsStartTime && mountNamespaceOf(h.nsPid) === h.ns;
}

/** Runs argv inside a recorded host's mount+UTS namespaces (what hosts.ts execIn does, for a lab started by another process). */
export function execInRecorded(h: RecordedHost, argv: string[], input?: string | Buffer): Promise<RunResult> {
  if (!hostAlive(h)) throw new Error(`lab host ${h.name} is not running (namespace holder ${h.nsPid} gone)`);
  return run('nsenter', ['-t', String(h.nsPid), '-m', '-u', '--', ...argv], { input, timeoutMs: 30_000 });
}

/** .lab/shape: the shape the running lab was built in (a lab of another shape is rebuilt, not reused). */
export const shapeFile = join(labDir, 'shape');

/** Records the running lab's shape. */
export async function recordShape(name: string): Promise<void> {
  await writeFile(shapeFile, `${name}\n`);
}

/** The shape the running lab was built in ('uniform' for a lab recorded before shapes existed, '' when none is recorded). */
export async function recordedShape(): Promise<string> {
  try {
    return (await readFile(shapeFile, 'utf8')).trim();
  } catch {
    return (await readHosts()).length ? 'uniform' : '';
  }
}
