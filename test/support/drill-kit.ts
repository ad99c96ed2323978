// What the lab drills share: running a playbook as an operator does, explaining a failed run, the lab's S3 client,
// every member's data, and small waits on the lab's health.
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { dumpAll, type KeyValue } from '../lab/etcd-data.js';
import type { Lab } from '../lab/lab.js';
import { tsplay, type CliRun } from './cli.js';

/** A shipped playbook's path. */
export const pb = (name: string): string => join(import.meta.dirname, '../../playbooks', name);

const scratch = mkdtempSync(join(tmpdir(), 'tsplay-drill-'));
let journals = 0;

/** A fresh journal path for one run. */
export const journalPath = (): string => join(scratch, `j${journals++}.jsonl`);

/** Scratch directory of this test process (removed with the OS's tmp). */
export const scratchDir = scratch;

/** Runs a playbook on the lab like an operator (JSON events for the assertions, --yes for the confirmation). */
export function play(lab: Lab, name: string, ...extra: string[]): Promise<CliRun> {
  return tsplay(['run', pb(name), '-i', lab.inventory, '-o', 'json', '--yes', '--journal', journalPath(), ...extra]);
}

/** Why a run failed: stderr plus every failed or unreachable host result. */
export function why(r: CliRun): string {
  const bad = r.events.filter((e) => e.type === 'host-result' && (e.status === 'failed' || e.status === 'unreachable'));
  const problems = r.events.flatMap((e) => (e.type === 'validation-failed' ? e.problems.map((p) => p.message) : []));
  return `${r.stderr}\n${bad.map((e) => (e.type === 'host-result' ? `${e.host} ${e.task}: ${e.msg}` : '')).join('\n')}${problems.length ? `\n${problems.join('\n')}` : ''}`;
}

/** The messages of every failed host result of a task. */
export function failures(r: CliRun, task?: string): string[] {
  return r.events.flatMap((e) => (e.type === 'host-result' && e.status === 'failed' && (!task || e.task === task) ? [String(e.msg)] : []));
}

/** An S3 client on the lab's object store (destroy it when done). */
export function s3(lab: Lab): S3Client {
  return new S3Client({
    endpoint: lab.env['ECS_ENDPOINT'],
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: lab.env['ECS_ACCESS_KEY_ID'] ?? '', secretAccessKey: lab.env['ECS_SECRET_ACCESS_KEY'] ?? '' },
  });
}

/** Every key and value of every member (a serializable read of each). */
export function allMembers(lab: Lab): Promise<KeyValue[][]> {
  return Promise.all(lab.members.map((m) => dumpAll(m)));
}

/** How many members answer /health. */
export async function healthy(lab: Lab): Promise<number> {
  return (await lab.health()).filter((h) => h.etcdHealthy).length;
}

/** Waits (up to timeoutS) until every member is healthy and every kube-apiserver stand-in answers 200. */
export async function settled(lab: Lab, timeoutS = 60): Promise<void> {
  for (let i = 0; i < timeoutS; i++) {
    const h = await lab.health();
    if (h.every((x) => x.etcdHealthy && x.apiserver === 200)) return;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** Runs a shell script inside a lab host (as root there). */
export async function sh(lab: Lab, host: string, script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = await lab.execIn(host, ['sh', '-c', script]);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** The newest Full snapshot in the lab's bucket, copied to the controller with its trailing hash broken (etcd refuses to restore it). */
export async function corruptCopyOfLatestBackup(lab: Lab): Promise<string> {
  const client = s3(lab);
  try {
    const list = await client.send(new ListObjectsV2Command({ Bucket: 'etcd-backup', Prefix: 'v2/Full-' }));
    const key = (list.Contents ?? [])
      .map((o) => o.Key ?? '')
      .sort()
      .pop();
    if (!key) throw new Error('no Full backup in the bucket: run etcd-backup.yaml first');
    const obj = await client.send(new GetObjectCommand({ Bucket: 'etcd-backup', Key: key }));
    const data = Buffer.from(await obj.Body!.transformToByteArray());
    data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0xff;
    const path = join(scratch, `corrupt-${journals++}.db`);
    writeFileSync(path, data);
    return path;
  } finally {
    client.destroy();
  }
}
