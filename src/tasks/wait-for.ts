import { setTimeout as sleep } from 'node:timers/promises';
import { portProbe, processProbe } from '../etcd/static-pod-plan.js';
import type { WaitForArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { execOn, type ModuleContext, type ModuleDef, type ModuleResult } from './module.js';
import { fail, ok } from './result.js';

/** `wait_for`: waits on the host until a port listens/closes, a path appears/disappears (or matches), or a process is gone. */
export const waitForModule: ModuleDef<WaitForArgs> = {
  name: 'wait_for',
  remote: true,
  readOnly: true,
  async run(args, ctx) {
    const probe = probeCommand(args, ctx);
    if (typeof probe !== 'string') return probe;
    const want = wantPresent(args);
    const timeoutS = Number(args.timeout ?? 300);
    const sleepMs = Number(args.sleep ?? 1) * 1000;
    const start = Date.now();
    if (args.delay) await sleep(Number(args.delay) * 1000, undefined, { signal: ctx.signal });
    for (let attempt = 1; ; attempt++) {
      const r = await execOn(ctx, probe, { onOutput: undefined, timeoutMs: Math.min(ctx.timeoutMs ?? 30_000, 30_000) });
      const present = r.code === 0;
      const elapsed = (Date.now() - start) / 1000;
      if (present === want) return ok({ elapsed, attempts: attempt, state: args.state ?? 'started' });
      if (elapsed >= timeoutS) {
        return fail(args.msg ?? `timed out after ${timeoutS} s waiting for ${what(args)} to be ${args.state ?? 'started'}`, { elapsed });
      }
      await sleep(sleepMs, undefined, { signal: ctx.signal });
    }
  },
};

function wantPresent(args: WaitForArgs): boolean {
  return !(args.state === 'stopped' || args.state === 'absent');
}

function what(args: WaitForArgs): string {
  if (args.port !== undefined) return `port ${String(args.port)}${args.host ? ` on ${args.host}` : ''}`;
  if (args.path !== undefined) return args.search_regex ? `"${args.search_regex}" in ${args.path}` : `path ${args.path}`;
  return `process matching "${String(args.process)}"`;
}

/** One shell probe that exits 0 when the thing is present (port open, path exists, process running). */
function probeCommand(args: WaitForArgs, ctx: ModuleContext): string | ModuleResult {
  const given = [args.port, args.path, args.process].filter((x) => x !== undefined).length;
  if (given !== 1) return fail('wait_for needs exactly one of "port", "path" or "process"');
  if (args.port !== undefined) {
    const host = args.host ?? String(ctx.vars['ansible_host'] ?? '127.0.0.1');
    const port = Number(args.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(`invalid port "${String(args.port)}"`);
    // The address goes into a bash redirection: only host name and IP address characters, never shell syntax.
    if (!/^[A-Za-z0-9._:-]+$/.test(host)) return fail(`invalid host ${JSON.stringify(host)} (a host name or IP address)`);
    return portProbe(host, port);
  }
  if (args.path !== undefined) {
    const p = shellQuote(args.path);
    return args.search_regex ? `grep -Eq -- ${shellQuote(args.search_regex)} ${p} 2>/dev/null` : `test -e ${p}`;
  }
  // the pattern travels as octal escapes: the probe's own command line never matches it
  return processProbe(String(args.process));
}
