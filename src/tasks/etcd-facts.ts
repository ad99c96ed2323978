import { parseToolVersions, stderrTail, toolVersionsCommand, type EtcdConnection } from '../etcd/etcdctl-command.js';
import { describeCause, parseProbe, probeCommand } from '../etcd/tls-probe.js';
import { parseHealth, parseMembers, parseStatus, statusErrors, type StatusEntry } from '../etcd/etcdctl-json.js';
import type { EtcdFactsArgs } from '../generated/playbook.js';
import type { ExecResult } from '../transports/transport.js';
import { connection, failure, runEtcdctl, truthy } from './etcd-client.js';
import { execOn, type ModuleContext, type ModuleDef } from './module.js';
import { ok } from './result.js';

/** Parses output that etcdctl prints even when it exits non-zero; otherwise records why there is none. */
function parsed<T>(r: ExecResult, what: string, parse: (s: string) => T, empty: T, errors: string[]): T {
  try {
    if (r.stdout.trim()) return parse(r.stdout);
  } catch (e) {
    errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    return empty;
  }
  errors.push(`${what}: ${stderrTail(r.stderr, 2) || `exit code ${String(r.code)}`}`);
  return empty;
}

/** The leader most status entries agree on (null when none knows one). */
function leaderOf(status: StatusEntry[]): string | null {
  const votes = new Map<string, number>();
  for (const s of status) if (!/^0+$/.test(s.leader)) votes.set(s.leader, (votes.get(s.leader) ?? 0) + 1);
  return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** Why each endpoint etcdctl could not use failed (member down, timeout, which certificate), one TLS handshake each from the host. */
async function diagnose(ctx: ModuleContext, c: EtcdConnection, endpoints: string[]): Promise<string[]> {
  const urls = endpoints.filter((e) => /^https:\/\//.test(e));
  if (urls.length === 0) return endpoints.map((e) => `${e}: not healthy`);
  const r = await execOn(ctx, probeCommand(urls, c), { onOutput: undefined, timeoutMs: 20_000 });
  const causes = parseProbe(r.stdout, urls.length);
  return urls.map((u, i) => describeCause(u, causes[i]?.cause ?? 'timeout', c, ctx.host));
}

/** `etcd_facts`: endpoint health and status, member list, leader and tool versions through etcdctl (read-only; unhealthy endpoints are reported, not fatal); `poll`: health and status only. */
export const etcdFactsModule: ModuleDef<EtcdFactsArgs> = {
  name: 'etcd_facts',
  remote: true,
  readOnly: true,
  async run(args, ctx) {
    const c = connection(args ?? {}, ctx);
    const cluster = truthy(args?.cluster) ? ['--cluster'] : [];
    // poll: the member list and the tool versions are left out (two Go processes fewer on the host per attempt)
    const poll = truthy(args?.poll);
    const [h, s, m, t] = await Promise.all([
      runEtcdctl(ctx, c, ['endpoint', 'health', ...cluster]),
      runEtcdctl(ctx, c, ['endpoint', 'status', ...cluster]),
      poll ? undefined : runEtcdctl(ctx, c, ['member', 'list']),
      poll ? undefined : execOn(ctx, toolVersionsCommand, { onOutput: undefined }),
    ]);
    const tool = t ? parseToolVersions(t.stdout) : null;
    if (t && !tool?.etcdctl)
      return {
        ...failure(ctx, 'etcdctl version', t),
        msg: `etcdctl is not installed on ${ctx.host} ("etcdctl version" printed no version)`,
      };
    if (!t && h.code === 127 && s.code === 127)
      return { ...failure(ctx, 'etcdctl endpoint health', h), msg: `etcdctl is not installed on ${ctx.host} (command not found)` };
    const errors: string[] = [];
    const health = parsed(h, 'endpoint health', parseHealth, [], errors);
    const status = parsed(s, 'endpoint status', parseStatus, [], errors);
    for (const e of statusErrors(s.stderr)) errors.push(`endpoint status ${e.endpoint}: ${e.error}`);
    const members = m ? parsed(m, 'member list', parseMembers, [], errors) : [];
    const healthy = health.filter((x) => x.health);
    const unhealthy = health.length ? health.filter((x) => !x.health).map((x) => x.endpoint) : c.endpoints;
    const problems = truthy(args?.diagnose) && unhealthy.length ? await diagnose(ctx, c, unhealthy) : [];
    const revisions = new Set(status.map((x) => x.revision));
    return ok({
      endpoints: c.endpoints,
      health,
      status,
      members,
      healthy: healthy.length,
      healthy_endpoints: healthy.map((x) => x.endpoint),
      leader: leaderOf(status),
      leader_endpoint: status.find((x) => x.id === leaderOf(status))?.endpoint ?? null,
      revisions_match: status.length > 0 && revisions.size === 1,
      tool,
      errors,
      problems,
      msg: `${healthy.length}/${health.length} endpoints healthy, ${m ? `${members.length} members, ` : ''}leader ${leaderOf(status) ?? 'none'}${problems.length ? `: ${problems.join('; ')}` : ''}`,
    });
  },
};
