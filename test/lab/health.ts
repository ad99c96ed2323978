import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { gateway } from './etcd-gateway.js';
import { portOpen } from './hosts/proc.js';
import { sleep } from './pids.js';
import { agentStateDir } from './host-setup.js';
import { members, openshift, type Member } from './topology.js';

/** The health of one master as tests and `lab:status` see it. */
export interface MemberHealth {
  host: string;
  etcdName: string;
  sshd: boolean;
  /** The static-pod agent runs an etcd process for etcd.yaml. */
  etcdPod: boolean;
  /** etcd's /health over the client certificate says true. */
  etcdHealthy: boolean;
  /** HTTP status of the apiserver stand-in's /healthz (0 when unreachable). */
  apiserver: number;
}

/** True when the member answers /health with {"health":"true"} (client certificate auth). */
export async function etcdHealthy(m: Member): Promise<boolean> {
  try {
    const r = await gateway(m, '/health', undefined, 2000);
    return r.status === 200 && r.text.includes('"true"');
  } catch {
    return false;
  }
}

/** HTTP status of GET http://<ip>:6443/<path> on the apiserver stand-in, 0 when nothing answers. */
export function apiserverStatus(m: Member, path = '/healthz'): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: m.ip, port: 6443, path, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** The pid the host's static-pod agent runs for a manifest file (e.g. etcd.yaml; its first running container), if it runs one. */
export function podPid(m: Member, file: string, container?: string): number | undefined {
  try {
    const pods = JSON.parse(readFileSync(join(agentStateDir(m), 'pods.json'), 'utf8')) as {
      file: string;
      container?: string;
      pid?: number;
    }[];
    const pid = pods.find((p) => p.file === file && p.pid !== undefined && (container === undefined || p.container === container))?.pid;
    return pid !== undefined && processExists(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** sshd, etcd pod, etcd health and apiserver /healthz of every master. */
export function health(): Promise<MemberHealth[]> {
  return Promise.all(
    members.map(async (m) => ({
      host: m.host,
      etcdName: m.etcdName,
      sshd: await portOpen(m.ip, 22),
      etcdPod: (openshift ? podPid(m, 'etcd-pod.yaml', 'etcd') : podPid(m, 'etcd.yaml')) !== undefined,
      etcdHealthy: await etcdHealthy(m),
      apiserver: await apiserverStatus(m),
    })),
  );
}

/** Polls check() until it returns true; throws `what` (plus the last detail) after timeoutMs. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  detail?: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${detail ? `\n${await detail()}` : ''}`);
    await sleep(150);
  }
}
