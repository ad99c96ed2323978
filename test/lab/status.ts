import { health } from './health.js';
import { hostAlive, readHosts, recordedShape } from './host-state.js';
import { bucketExists } from './s3.js';
import { s3Endpoint, s3 } from './topology.js';

const mark = (ok: boolean): string => (ok ? 'ok ' : 'NO ');

/** Human-readable lab status: per master sshd, etcd pod, member health, apiserver /healthz; then S3. */
export async function statusReport(): Promise<{ text: string; ok: boolean }> {
  const hosts = await readHosts();
  const lines: string[] = [];
  if (hosts.length === 0) lines.push('no lab recorded in .lab/state.json (npm run lab:up)');
  else lines.push(`shape: ${await recordedShape()}`);
  const report = await health();
  for (const h of report) {
    const rec = hosts.find((x) => x.name === h.host);
    const ns = rec ? (hostAlive(rec) ? `namespace pid ${rec.nsPid}` : 'namespace GONE') : 'not recorded';
    lines.push(
      `${h.host} (${h.etcdName}, ${ns}): sshd ${mark(h.sshd)} etcd pod ${mark(h.etcdPod)} ` +
        `member ${h.etcdHealthy ? 'healthy  ' : 'UNHEALTHY'} apiserver /healthz ${h.apiserver || '-'}`,
    );
  }
  const bucket = await bucketExists();
  lines.push(`S3 ${s3Endpoint} bucket ${s3.bucket}: ${bucket ? 'ok' : 'NOT reachable'}`);
  const ok = bucket && report.every((h) => h.sshd && h.etcdPod && h.etcdHealthy && h.apiserver === 200);
  return { text: lines.join('\n'), ok };
}
