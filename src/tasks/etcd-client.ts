import { etcdctlCommand, stderrTail, type EtcdConnection } from '../etcd/etcdctl-command.js';
import type { ExecResult } from '../transports/transport.js';
import { execOn, type ModuleContext, type ModuleResult } from './module.js';
import { fail } from './result.js';

/** The seed's certificate paths (DCE/kubeadm layout). */
export const SEED_TLS = {
  cacert: '/etc/kubernetes/ssl/etcd/ca.crt',
  cert: '/etc/kubernetes/ssl/apiserver-etcd-client.crt',
  key: '/etc/kubernetes/ssl/apiserver-etcd-client.key',
} as const;

/** A boolean argument that may arrive as a rendered string ("true", "yes", "1"). */
export function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'string' && /^(true|yes|on|1)$/i.test(v.trim()));
}

/** A list argument given as a list or a comma-separated string, trimmed, empties dropped. */
export function listArg(v: unknown): string[] {
  const items = Array.isArray(v) ? v.map((x) => String(x)) : typeof v === 'string' ? v.split(',') : [];
  return items.map((s) => s.trim()).filter(Boolean);
}

/** The host's default endpoint: its `etcd.client_url` fact (etcd_manifest), else https://<ansible_host>:2379. */
export function defaultEndpoint(ctx: ModuleContext): string {
  const etcd = ctx.vars['etcd'];
  const url = etcd && typeof etcd === 'object' ? (etcd as Record<string, unknown>)['client_url'] : undefined;
  if (typeof url === 'string' && url) return url;
  return `https://${String(ctx.vars['ansible_host'] ?? ctx.host)}:2379`;
}

/** Connection arguments shared by the etcd modules. */
export interface ConnectionArgs {
  endpoints?: string | string[] | undefined;
  cacert?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  timeout?: number | string | undefined;
}

/** Resolves endpoints, certificates (seed defaults) and timeout. */
export function connection(a: ConnectionArgs, ctx: ModuleContext): EtcdConnection {
  const endpoints = listArg(a.endpoints);
  const t = Number(a.timeout ?? 5);
  return {
    endpoints: endpoints.length ? endpoints : [defaultEndpoint(ctx)],
    cacert: a.cacert || SEED_TLS.cacert,
    cert: a.cert || SEED_TLS.cert,
    key: a.key || SEED_TLS.key,
    timeoutS: Number.isFinite(t) && t > 0 ? t : 5,
  };
}

/** Runs etcdctl on the host (output not streamed: it is parsed). */
export function runEtcdctl(ctx: ModuleContext, c: EtcdConnection, args: readonly string[], json = true): Promise<ExecResult> {
  return execOn(ctx, etcdctlCommand(c, args, json), { onOutput: undefined });
}

/** A failed result naming what failed, on which host, with the exit code and the informative tail of stderr. */
export function failure(
  ctx: { host: string; timeoutMs?: number | undefined },
  what: string,
  r: ExecResult,
  extra: Record<string, unknown> = {},
): ModuleResult {
  const how = r.timedOut
    ? `timed out after ${Math.round((ctx.timeoutMs ?? r.durationMs) / 1000)} s and was stopped`
    : r.code === null
      ? `killed (${String(r.signal)})`
      : `exit code ${r.code}`;
  const tail = stderrTail(r.stderr) || r.stdout.trim().split('\n').slice(-3).join('\n');
  const hint = r.code === 127 ? ' (command not found: is etcd-client installed on the host?)' : '';
  return {
    ...fail(`${what} failed on ${ctx.host} (${how})${hint}${tail ? `: ${tail}` : ''}`, { rc: r.code, stderr_tail: tail }),
    ...extra,
  };
}
