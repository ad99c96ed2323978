import { podCommand } from '../etcd/manifest.js';
import {
  healthProbe,
  hostPort,
  plannedWhere,
  locateCommand,
  parseLocate,
  planStaticPod,
  podPaths,
  portProbe,
  type Probes,
  processPattern,
  processProbe,
  remotePortProbe,
  tlsHealthProbe,
  waitCommand,
} from '../etcd/static-pod-plan.js';
import type { StaticPodArgs } from '../generated/playbook.js';
import { failure, truthy } from './etcd-client.js';
import { DEFAULT_PARKED_DIR } from './etcd-manifest.js';
import { execOn, type ModuleContext, type ModuleDef } from './module.js';
import { runPlan } from './plan.js';
import { done, fail, failAfter } from './result.js';

function probes(a: StaticPodArgs, ctx: ModuleContext, content: string): Probes | { error: string } {
  const out: Probes = [];
  if (a.port !== undefined && a.port !== '') {
    const port = Number(a.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `invalid port "${String(a.port)}"` };
    out.push(['port', portProbe(String(ctx.vars['ansible_host'] ?? '127.0.0.1'), port)]);
  }
  if (a.health_url && a.state === 'started') {
    try {
      out.push(['health', healthCheck(a, a.health_url)]);
    } catch {
      return { error: `invalid health_url "${a.health_url}"` };
    }
  }
  if (a.state === 'stopped' || out.length === 0) {
    try {
      out.push(['process', processProbe(processPattern(podCommand(content, a.name)))]);
    } catch {
      /* not a Pod manifest with a command: nothing to match processes on */
    }
  }
  return out;
}

/** The probe of the health URL: with a client certificate (health_cacert/cert/key) for https, else healthProbe. */
function healthCheck(a: StaticPodArgs, url: string): string {
  const tls = { cacert: a.health_cacert || undefined, cert: a.health_cert || undefined, key: a.health_key || undefined };
  return url.startsWith('https://') && (tls.cacert || tls.cert || tls.key) ? tlsHealthProbe(url, tls) : healthProbe(url);
}

/** Waits on the host (one command polling every 50 ms) until every probe reports the wanted state; returns what is still pending at the timeout. */
async function waitUntil(ctx: ModuleContext, list: Probes, up: boolean, timeoutS: number): Promise<string[]> {
  const r = await execOn(ctx, waitCommand(list, up, timeoutS), { onOutput: undefined, timeoutMs: timeoutS * 1000 + 30_000 });
  // interrupted: as the wait between two attempts was (nothing after it runs)
  if (r.aborted) ctx.signal.throwIfAborted();
  return list.map(([n]) => n).filter((n) => !new RegExp(`(^|\\s)${n}=${up ? 1 : 0}(\\s|$)`).test(r.stdout));
}

/** A list argument: a list, a JSON list, or one string of items separated by commas or spaces. */
function listOf(raw: unknown, what: string): string[] | { error: string } {
  let v = raw;
  const text = typeof v === 'string' ? v.trim() : '';
  if (text.startsWith('['))
    try {
      v = JSON.parse(text) as unknown;
    } catch {
      return { error: `static_pod: ${what}: not a list: ${text.slice(0, 200)}` };
    }
  return (Array.isArray(v) ? v.map(String) : String(v ?? '').split(/[\s,]+/)).map((x) => x.trim()).filter(Boolean);
}

/** `after_closed` as host/port pairs (URLs or host:port). */
function afterClosed(a: StaticPodArgs): Array<{ target: string; host: string; port: number }> | { error: string } {
  const items = listOf(a.after_closed, 'after_closed');
  if ('error' in items) return items;
  const out: Array<{ target: string; host: string; port: number }> = [];
  for (const target of items) {
    const hp = hostPort(target);
    if (!hp) return { error: `static_pod: after_closed: "${target}" is not a URL or host:port with a port` };
    out.push({ target, ...hp });
  }
  return out;
}

/** `static_pod`: stops a static pod by parking its manifest (kubelet stops it) or starts it by moving it back, then waits until it is down/up. */
export const staticPodModule: ModuleDef<StaticPodArgs> = {
  name: 'static_pod',
  remote: true,
  readOnly: false,
  async run(a, ctx) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(a.name))
      return fail(`static_pod: invalid name "${a.name}" (the manifest file name without .yaml)`);
    const p = podPaths(a.name, a.manifests_dir || '/etc/kubernetes/manifests', a.parked_dir || DEFAULT_PARKED_DIR);
    const loc = await execOn(ctx, locateCommand(p), { onOutput: undefined });
    if (loc.code !== 0) return failure(ctx, `looking for ${p.manifest}`, loc);
    const located = parseLocate(loc.stdout);
    const { content } = located;
    const dry = ctx.dryRun;
    const where = dry ? plannedWhere(located.where, dry.pathState(ctx.host, p.manifest), dry.pathState(ctx.host, p.parked)) : located.where;
    const step = planStaticPod(a.state, where, p, ctx.host);
    if ('error' in step) return fail(step.error);
    const after = a.state === 'stopped' ? afterClosed(a) : [];
    if ('error' in after) return fail(after.error);
    const timeoutS = Number(a.timeout ?? 120);
    const limitS = Number.isFinite(timeoutS) ? timeoutS : 120;
    const result = done(step.changed, { state: a.state, manifest: p.manifest, parked_at: a.state === 'stopped' ? p.parked : null });
    const [to, from] = a.state === 'started' ? [p.manifest, p.parked] : [p.parked, p.manifest];
    const first = after.length && step.changed ? ` once ${after.map((x) => x.target).join(', ')} no longer accept connections` : '';
    const wait = a.wait !== undefined && !truthy(a.wait) ? '' : `, then wait until it is ${a.state === 'started' ? 'up' : 'down'}`;
    // e.g. the etcd leader after its followers: stopped together, it would try to hand its leadership to them and wait
    if (first && !ctx.check) {
      const closed: Probes = after.map((x, i) => [`closed${i}`, remotePortProbe(x.host, x.port)]);
      const open = await waitUntil(ctx, closed, false, limitS);
      if (open.length)
        return fail(
          `static_pod: ${a.name} on ${ctx.host} left running: ${open.map((n) => after[Number(n.slice(6))]?.target ?? n).join(', ')} still accept connections after ${limitS} s (after_closed)`,
        );
    }
    const moved = await runPlan(
      'static_pod',
      {
        result: {
          ...result,
          ...(ctx.check && step.changed
            ? { msg: `check mode: would ${a.state === 'started' ? 'start' : 'stop'} ${a.name}${first}${wait}` }
            : {}),
        },
        steps: step.changed ? [{ command: step.command, fails: (r) => failure(ctx, `moving the ${a.name} manifest`, r) }] : [],
        paths: { [to]: { from }, [from]: false },
      },
      ctx,
    );
    // the wait observes the change: nothing to wait for when it was only planned
    if (moved.failed || ctx.check) return moved;
    if (a.wait !== undefined && !truthy(a.wait)) return result;
    const list = probes(a, ctx, content);
    if ('error' in list) return failAfter(list.error, result);
    const started = Date.now();
    const pending = await waitUntil(ctx, list, a.state === 'started', limitS);
    const waited = { ...result, elapsed: (Date.now() - started) / 1000, waited_for: list.map(([n]) => n) };
    if (pending.length) return failAfter(notReached(a, ctx, p, pending, timeoutS), waited);
    return waited;
  },
};

/** Why a static pod did not reach its state, and where to look next. */
function notReached(a: StaticPodArgs, ctx: ModuleContext, p: ReturnType<typeof podPaths>, pending: string[], timeoutS: number): string {
  const up = a.state === 'started';
  const address = String(ctx.vars['ansible_host'] ?? '127.0.0.1');
  const what = (n: string): string =>
    n === 'port'
      ? `port ${String(a.port)} on ${address} ${up ? 'not listening' : 'still listening'}`
      : n === 'health'
        ? `${a.health_url ?? 'health'} not healthy`
        : up
          ? `no ${a.name} process`
          : `a ${a.name} process still runs`;
  const next = up
    ? `; its manifest is in place (${p.manifest}): see why the kubelet cannot run it (crictl ps -a --name ${a.name}; crictl logs CONTAINER; journalctl -u kubelet)`
    : `; its manifest is parked (${p.parked}): see what still runs it (crictl ps --name ${a.name}; ps -ef)`;
  return `${a.name} on ${ctx.host} did not ${up ? 'start' : 'stop'} within ${timeoutS} s (${pending.map(what).join(', ')})${next}`;
}
