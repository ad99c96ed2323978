import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { closeGateway } from './etcd-gateway.js';
import { forgetHosts, hostAlive, readHosts } from './host-state.js';
import { killNamespace, pidsInNamespace, waitPort } from './hosts/proc.js';
import { removeInventory } from './inventory.js';
import { readPids, stopGroups, writePids } from './pids.js';
import { busyPorts, labPorts } from './preflight.js';
import { envFile } from './s3.js';
import { labDir, members } from './topology.js';

/** Files of a lab run that `down` removes; .lab/pki (reused) and .lab/logs (for post-mortems) stay. */
const runFiles = () => [
  ...members.map((m) => join(labDir, m.host)),
  join(labDir, 's3'),
  envFile,
  join(labDir, 'known_hosts'),
  join(labDir, 'client_ed25519'),
  join(labDir, 'client_ed25519.pub'),
];

/**
 * Stops everything the lab started and only that: the static-pod agents (which stop their pods
 * gracefully), then every process left in each host's mount namespace, then S3; waits until no
 * lab port listens, then removes the run's files. Safe to call when nothing runs.
 */
export async function stopLab(): Promise<void> {
  const procs = await readPids();
  const hosts = await readHosts();
  // One host at a time: an etcd leader stopped together with its followers waits ~7 s for a
  // leadership transfer that cannot succeed; stopped while a follower lives, it hands over at once.
  for (const agent of procs.filter((p) => p.name.startsWith('agent-'))) await stopGroups([agent], 15_000);
  for (const h of hosts) {
    // Only while the recorded holder still owns it: a namespace whose processes are all gone can have its inode
    // number reused by another lab's host (seen: a stale state file made one lab kill a test's hosts).
    if (hostAlive(h) && pidsInNamespace(h.ns).length > 0) await killNamespace(h.ns);
  }
  await stopGroups(
    procs.filter((p) => !p.name.startsWith('agent-')),
    5000,
  );
  closeGateway();
  if (procs.length > 0 || hosts.length > 0) await waitPortsClosed();
  await writePids([]);
  await forgetHosts();
  await removeInventory();
  await Promise.all(runFiles().map((f) => rm(f, { recursive: true, force: true })));
  await rm(join(labDir, 'pids.json'), { force: true });
}

/** Waits until no lab port listens; names who still holds one after 10 s. */
async function waitPortsClosed(): Promise<void> {
  try {
    await Promise.all(labPorts().map((p) => waitPort(p.address, p.port, false, 10_000)));
  } catch (e) {
    throw new Error(`lab down: ${(e as Error).message}\n  ${(await busyPorts()).join('\n  ')}`);
  }
}
