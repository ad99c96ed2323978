import {
  gateCommand,
  healthProbe,
  hostPort,
  locateAndMoveCommand,
  locateCommand,
  manifestProcessProbes,
  parseLocate,
  parseWhere,
  pendingProbes,
  plannedWhere,
  planStaticPod,
  type PodPaths,
  podPaths,
  type PodWhere,
  portProbe,
  portWaitProbe,
  type Probes,
  remotePortProbe,
  tlsHealthProbe,
  waitCommand,
} from '../etcd/static-pod-plan.js';
import type { ExecResult } from '../transports/transport.js';
import type { StaticPodArgs } from '../generated/playbook.js';
import { failure, truthy } from './etcd-client.js';
import { DEFAULT_PARKED_DIR } from './etcd-manifest.js';
import { execOn, type ModuleContext, type ModuleDef, type ModuleResult } from './module.js';
import { runPlan } from './plan.js';
import { done, fail, failAfter } from './result.js';

/** The probes that need no manifest content (port, health URL); `process` says a process probe is needed too (stopping, or nothing else to watch). */
function probes(a: StaticPodArgs, ctx: ModuleContext): { list: Probes; process: boolean } | { error: string } {
  const list: Probes = [];
  if (a.port !== undefined && a.port !== '') {
    const port = Number(a.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `invalid port "${String(a.port)}"` };
    const address = String(ctx.vars['ansible_host'] ?? '127.0.0.1');
    list.push(portWaitProbe('port', address, port, portProbe(address, port)));
  }
  if (a.health_url && a.state === 'started') {
    try {
      list.push(['health', healthCheck(a, a.health_url)]);
    } catch {
      return { error: `invalid health_url "${a.health_url}"` };
    }
  }
  return { list, process: a.state === 'stopped' || list.length === 0 };
}

/** The probe of the health URL: with a client certificate (health_cacert/cert/key) for https, else healthProbe. */
function healthCheck(a: StaticPodArgs, url: string): string {
  const tls = { cacert: a.health_cacert || undefined, cert: a.health_cert || undefined, key: a.health_key || undefined };
  return url.startsWith('https://') && (tls.cacert || tls.cert || tls.key) ? tlsHealthProbe(url, tls) : healthProbe(url);
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

/** What both ways of running a static_pod task share: its arguments resolved, and how a wait's output becomes the result. */
interface PodTask {
  a: StaticPodArgs;
  ctx: ModuleContext;
  p: PodPaths;
  after: Array<{ target: string; host: string; port: number }>;
  limitS: number;
  waits: boolean;
  up: boolean;
  /** The probes that need no manifest content, and whether a process probe is needed too. */
  watch: { list: Probes; process: boolean };
  base: ModuleResult;
  /** How long a step may run: the host waits for up to the gate's and the wait's timeouts, not the task's. */
  timeoutMs: number;
  /** The result once a wait printed `stdout` (failed when a probe is short of its state). */
  waited(stdout: string, list: Probes, changed: boolean, started: number): ModuleResult;
  moveFailed(r: ExecResult): ModuleResult;
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
    const after = a.state === 'stopped' ? afterClosed(a) : [];
    if ('error' in after) return fail(after.error);
    const timeoutS = Number(a.timeout ?? 120);
    const limitS = Number.isFinite(timeoutS) ? timeoutS : 120;
    const waits = a.wait === undefined || truthy(a.wait);
    const watch = probes(a, ctx);
    if ('error' in watch) return fail(watch.error);
    const up = a.state === 'started';
    const base = done(false, { state: a.state, manifest: p.manifest, parked_at: a.state === 'stopped' ? p.parked : null });
    const t: PodTask = {
      a,
      ctx,
      p,
      after,
      limitS,
      waits,
      up,
      watch,
      base,
      timeoutMs: (waits ? limitS : 0) * 1000 * (after.length ? 2 : 1) + 30_000,
      waited(stdout, list, changed, started) {
        const result = { ...base, changed };
        if (!waits || !list.length) return result;
        const fields = { ...result, elapsed: (Date.now() - started) / 1000, waited_for: list.map(([n]) => n) };
        const pending = pendingProbes(
          stdout,
          list.map(([n]) => n),
          up,
        );
        return pending.length ? failAfter(notReached(a, ctx, p, pending, timeoutS), fields) : fields;
      },
      moveFailed: (r) => failure(ctx, `moving the ${a.name} manifest`, r),
    };
    // the manifest's content is only needed for a process probe (and check mode plans from where it is)
    return !ctx.check && !(waits && watch.process) ? findMoveWait(t) : locateThenAct(t);
  },
};

/** Starting with a port or a health URL to watch (or not waiting): find, move and wait in one command. */
function findMoveWait(t: PodTask): Promise<ModuleResult> {
  const { a, ctx, p } = t;
  const list = t.waits ? t.watch.list : [];
  const started = Date.now();
  let out = '';
  let where: PodWhere | undefined;
  return runPlan(
    'static_pod',
    {
      result: t.base,
      steps: [
        {
          command: locateAndMoveCommand(a.state, p, ctx.host, list.length ? waitCommand(list, t.up, t.limitS) : ''),
          show: `${t.up ? 'start' : 'stop'} ${a.name}`,
          timeoutMs: t.timeoutMs,
          fails: t.moveFailed,
          rejects: (stdout) => {
            out = stdout;
            where = parseWhere(stdout);
            if (!where) return fail(`static_pod: unexpected output locating ${p.manifest}: ${stdout.slice(0, 200)}`);
            const step = planStaticPod(a.state, where, p, ctx.host);
            if ('error' in step) return fail(step.error);
            const r = t.waited(out, list, step.changed, started);
            return r.failed ? r : undefined;
          },
          parse: () => {
            const step = where ? planStaticPod(a.state, where, p, ctx.host) : { changed: false };
            return t.waited(out, list, 'changed' in step && step.changed, started);
          },
        },
      ],
    },
    ctx,
  );
}

/**
 * Finds the manifest and reads it (the process probe matches its command line), plans from where it is, then runs
 * the `after_closed` gate, the move and the wait as one command (check mode: reports the plan).
 */
async function locateThenAct(t: PodTask): Promise<ModuleResult> {
  const { a, ctx, p, up, after } = t;
  const loc = await execOn(ctx, locateCommand(p), { onOutput: undefined });
  if (loc.code !== 0) return failure(ctx, `looking for ${p.manifest}`, loc);
  const located = parseLocate(loc.stdout);
  const dry = ctx.dryRun;
  const where = dry ? plannedWhere(located.where, dry.pathState(ctx.host, p.manifest), dry.pathState(ctx.host, p.parked)) : located.where;
  const step = planStaticPod(a.state, where, p, ctx.host);
  if ('error' in step) return fail(step.error);
  const [to, from] = up ? [p.manifest, p.parked] : [p.parked, p.manifest];
  const first = after.length && step.changed ? ` once ${after.map((x) => x.target).join(', ')} no longer accept connections` : '';
  // stopping: the process first, the port only once it is gone (no connection to a server that is shutting down)
  const list = t.waits
    ? t.watch.process
      ? [...manifestProcessProbes('process', a.name, located.content), ...t.watch.list]
      : t.watch.list
    : [];
  if (ctx.check) {
    const wait = t.waits ? `, then wait until it is ${up ? 'up' : 'down'}` : '';
    return runPlan(
      'static_pod',
      {
        result: {
          ...t.base,
          changed: step.changed,
          ...(step.changed ? { msg: `check mode: would ${up ? 'start' : 'stop'} ${a.name}${first}${wait}` } : {}),
        },
        steps: step.changed ? [{ command: step.command }] : [],
        paths: { [to]: { from }, [from]: false },
      },
      ctx,
    );
  }
  // e.g. the etcd leader after its followers (stopped together, it would try to hand its leadership to them and
  // wait): the gate, the move and the wait are one command
  const gate: Probes = first ? after.map((x, i) => portWaitProbe(`closed${i}`, x.host, x.port, remotePortProbe(x.host, x.port))) : [];
  const started = Date.now();
  const act = [
    ...(gate.length ? [gateCommand(gate, t.limitS)] : []),
    ...(step.changed ? [`{ ${step.command}; } || exit $?`] : []),
    ...(list.length ? [waitCommand(list, up, t.limitS)] : []),
  ].join('\n');
  if (!act) return t.base;
  let out = '';
  return runPlan(
    'static_pod',
    {
      result: { ...t.base, changed: step.changed },
      steps: [
        {
          command: act,
          show: `${up ? 'start' : 'stop'} ${a.name}${first}`,
          timeoutMs: t.timeoutMs,
          fails: t.moveFailed,
          rejects: (stdout) => {
            out = stdout;
            const open = pendingProbes(
              stdout,
              gate.map(([n]) => n),
              false,
            );
            if (open.length)
              return fail(
                `static_pod: ${a.name} on ${ctx.host} left running: ${open.map((n) => after[Number(n.slice(6))]?.target ?? n).join(', ')} still accept connections after ${t.limitS} s (after_closed)`,
              );
            const r = t.waited(out, list, step.changed, started);
            return r.failed ? r : undefined;
          },
          parse: () => t.waited(out, list, step.changed, started),
        },
      ],
    },
    ctx,
  );
}

/** Why a static pod did not reach its state, and where to look next. */
function notReached(a: StaticPodArgs, ctx: ModuleContext, p: PodPaths, pending: string[], timeoutS: number): string {
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
