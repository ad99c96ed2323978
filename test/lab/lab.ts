// The lab's programmatic API for tests: labUp / labReset / labDown and the Lab handle.
import { etcdctlArgv } from './etcdctl.js';
import { health, type MemberHealth } from './health.js';
import { execInRecorded, hostAlive, readHosts, recordedShape, type RecordedHost } from './host-state.js';
import type { HostsLab } from './hosts.js';
import type { RunResult } from './hosts/proc.js';
import { clientKeyFile, knownHostsFile } from './inventory.js';
import { stopLab } from './lab-down.js';
import { resetLab } from './lab-reset.js';
import { bringUp, describeHealth } from './lab-up.js';
import { envFile, s3Env } from './s3.js';
import { inventoryPath, members, shape, type Member } from './topology.js';
import type { LabShape } from './shape.js';
import { waitFor } from './health.js';

/** A running lab as tests use it. */
export interface Lab {
  hosts: RecordedHost[];
  members: readonly Member[];
  /** The shape of its control plane (test/lab/shape.ts). */
  shape: LabShape;
  /** inventory/lab.yaml (absolute path). */
  inventory: string;
  knownHostsFile: string;
  clientKeyFile: string;
  /** S3 variables (ECS_*, AWS_*) also written to .lab/env. */
  env: Readonly<Record<string, string>>;
  envFile: string;
  member(host: string): Member;
  /** Runs argv inside a host's mount+UTS namespaces (as root on that host). */
  execIn(host: string, argv: string[], input?: string | Buffer): Promise<RunResult>;
  /** Runs `etcdctl <args>` inside a host against its own member, with the seed's client-cert flags. */
  etcdctl(host: string, args: string[], endpoints?: string): Promise<RunResult>;
  /** sshd / etcd pod / etcd health / apiserver /healthz per master. */
  health(): Promise<MemberHealth[]>;
}

let started: HostsLab | undefined;

/** Options for labUp. */
export interface LabUpOptions {
  /** Tear down a running lab and build a new one (default false: reuse a healthy running lab). */
  fresh?: boolean;
  /** Keep the lab after this process exits (the CLI). */
  detach?: boolean;
  log?: (line: string) => void;
}

/** Brings the lab up (or reuses the running one, when it has this process's shape, unless fresh) and returns its handle. */
export async function labUp(opts: LabUpOptions = {}): Promise<Lab> {
  const recorded = await readHosts();
  const running = recorded.length === members.length && recorded.every(hostAlive) && (await recordedShape()) === shape.name;
  if (running && !opts.fresh) {
    await waitFor(
      'a healthy running lab',
      async () => (await health()).every((h) => h.etcdHealthy && h.apiserver === 200),
      30_000,
      describeHealth,
    );
    return handle(recorded);
  }
  await labDown();
  try {
    started = await bringUp(opts);
  } catch (e) {
    await labDown();
    throw e;
  }
  return handle(await readHosts());
}

/** Back to the seed state: fresh etcd data dirs, original manifests and PKI, seed data, empty bucket. */
export async function labReset(): Promise<Lab> {
  const lab = handle(await readHosts());
  await resetLab(lab);
  return lab;
}

/** Stops every lab process and removes the run's state; nothing listens afterwards. Safe to call twice. */
export async function labDown(): Promise<void> {
  const hosts = started;
  started = undefined;
  await stopLab();
  await hosts?.stop(); // hosts.ts bookkeeping (its exit hook); the processes are already gone
}

/** The Lab handle over recorded hosts (works for a lab started by this or another process). */
function handle(hosts: RecordedHost[]): Lab {
  const host = (name: string): RecordedHost => {
    const h = hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no lab host ${name} (have ${hosts.map((x) => x.name).join(', ') || 'none: is the lab up?'})`);
    return h;
  };
  const member = (name: string): Member => {
    const m = members.find((x) => x.host === name);
    if (!m) throw new Error(`no lab master ${name}`);
    return m;
  };
  return {
    hosts,
    members,
    shape,
    inventory: inventoryPath,
    knownHostsFile,
    clientKeyFile,
    env: s3Env,
    envFile,
    member,
    execIn: (name, argv, input) => execInRecorded(host(name), argv, input),
    etcdctl: (name, args, endpoints) => execInRecorded(host(name), etcdctlArgv(member(name), args, endpoints)),
    health,
  };
}
