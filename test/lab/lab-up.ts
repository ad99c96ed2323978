import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { seedData } from './etcd-data.js';
import { health, waitFor } from './health.js';
import { recordHosts, recordShape } from './host-state.js';
import { bootstrapEtcd } from './bootstrap.js';
import { installClusterBackup, installHostsEntries, installPki, startAgent, wipeEtcdData } from './host-setup.js';
import { startHosts, type HostsLab } from './hosts.js';
import { writeInventory } from './inventory.js';
import { etcdctlArgv } from './etcdctl.js';
import { ensurePki } from './pki.js';
import { preflight } from './preflight.js';
import { describeFailure, runOk } from './run.js';
import { startS3, waitForBucket, writeEnvFile } from './s3.js';
import { labDir, members, openshift, repoRoot, shape } from './topology.js';
import { bringUpOpenShift } from './openshift/bring-up.js';

/** Options for bringUp. */
export interface BringUpOptions {
  /** Keep the lab running after this process exits (the CLI); tests leave it false so an exit kills the hosts. */
  detach?: boolean;
  log?: (line: string) => void;
}

/** Installs missing system packages (etcd, sshd, openssl, util-linux...) through scripts/ensure-system.sh. */
export async function ensureSystem(): Promise<void> {
  await runOk(['bash', join(repoRoot, 'scripts/ensure-system.sh')], { timeoutMs: 600_000 });
}

/** Starts the hosts through hosts.ts; with detach, drops the exit hook hosts.ts installs so they outlive us. */
async function startMasters(detach: boolean): Promise<HostsLab> {
  const before = new Set(process.listeners('exit'));
  const hosts = await startHosts({ count: members.length, baseDir: labDir, firstAddress: members[0]?.ip });
  // hosts.ts has no detach API yet: remove the listener it just added (the only new one).
  if (detach) for (const l of process.listeners('exit')) if (!before.has(l)) process.off('exit', l);
  return hosts;
}

/**
 * Builds the lab from nothing: checks, PKI, hosts, S3, per-host PKI/manifests/agent, waits for a
 * healthy 3-member etcd, seeds data, writes .lab/env and the inventory, waits for the apiservers.
 * The caller stops the lab (stopLab) if this throws.
 */
export async function bringUp(opts: BringUpOptions = {}): Promise<HostsLab> {
  if (openshift) return bringUpOpenShift(opts);
  const log = opts.log ?? (() => undefined);
  const t0 = Date.now();
  const step = (what: string): void => log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);
  await ensureSystem();
  await preflight();
  await Promise.all(members.map((m) => rm(join(labDir, m.host), { recursive: true, force: true })));
  await rm(join(labDir, 's3'), { recursive: true, force: true });
  await rm(join(labDir, 'logs'), { recursive: true, force: true });
  await mkdir(join(labDir, 'logs'), { recursive: true });
  await ensurePki();
  step('PKI ready; starting hosts and S3');
  const [hosts] = await Promise.all([startMasters(opts.detach ?? false), startS3()]);
  await recordHosts(hosts.hosts);
  await recordShape(shape.name);
  step('hosts up (sshd listening); installing PKI, manifests and static-pod agents');
  await Promise.all(
    members.map(async (m) => {
      const h = hosts.host(m.host);
      await installHostsEntries(h);
      await installPki(h, m);
      await wipeEtcdData(hosts, h);
      await installClusterBackup(h);
      await startAgent(hosts, h, m);
    }),
  );
  step(`static-pod agents running; starting etcd (${shape.name} shape: ${shape.description})`);
  await bootstrapEtcd({
    dir: (name) => hosts.host(name),
    exec: (name, argv) => hosts.execIn(hosts.host(name), argv, { timeoutMs: 30_000 }),
  });
  step('etcd healthy; seeding data');
  const keys = await seedData();
  await waitForBucket();
  await writeEnvFile();
  await writeInventory();
  await confirmWithEtcdctl(hosts);
  step(`seeded ${keys} keys, S3 bucket ready; waiting for the apiserver stand-ins`);
  await waitFor(
    'apiserver /healthz 200 on every master',
    async () => (await health()).every((x) => x.apiserver === 200),
    30_000,
    describeHealth,
  );
  step('lab is up');
  return hosts;
}

/** `etcdctl endpoint health --cluster` with the client certificate, from host01, must report 3 healthy. */
async function confirmWithEtcdctl(hosts: HostsLab): Promise<void> {
  const first = members[0];
  if (!first) return;
  const argv = etcdctlArgv(first, ['endpoint', 'health', '--cluster']);
  const r = await hosts.execIn(hosts.host(first.host), argv, { timeoutMs: 30_000 });
  const healthy = (r.stdout + r.stderr).split('\n').filter((l) => l.includes('is healthy')).length;
  if (r.code !== 0 || healthy !== members.length) throw new Error(`etcdctl endpoint health --cluster: ${describeFailure({ argv, ...r })}`);
}

/** One line per master for timeout messages. */
export async function describeHealth(): Promise<string> {
  const rows = (await health()).map(
    (h) =>
      `  ${h.host}: sshd ${h.sshd ? 'up' : 'DOWN'}, etcd pod ${h.etcdPod ? 'running' : 'NOT running'}, ` +
      `etcd ${h.etcdHealthy ? 'healthy' : 'UNHEALTHY'}, apiserver /healthz ${h.apiserver || 'no answer'}`,
  );
  return `${rows.join('\n')}\n  logs: ${join(labDir, 'logs')}/<host>/{agent.log,pods/}`;
}
