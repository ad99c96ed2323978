import { join, resolve } from 'node:path';
import type { FetchArgs } from '../generated/playbook.js';
import { madeByText } from './dry-run-state.js';
import { failed, plannedModule, type Plan, type PlanEnv, type Probe } from './plan.js';
import { parsePathProbe, pathProbeCommand } from './path-probe.js';
import { changed, ok, wouldChange } from './result.js';

/** Where the file lands on the controller: `dest/HOST/SRC`, or with flat `dest` (a directory when it ends in `/`). */
function destOf(args: FetchArgs, dir: string, host: string): string {
  const base = resolve(dir, args.dest);
  if (!args.flat) return join(base, host, args.src);
  return args.dest.endsWith('/') ? join(base, args.src.split('/').pop() ?? 'file') : base;
}

/** Pure: the transfer of `src` to `dest` (sha256-verified), from the probe of `src` on the host. */
export function planFetch(args: FetchArgs, probe: Probe, env: PlanEnv): Plan {
  const info = parsePathProbe(args.src, probe);
  if ('error' in info) return failed(info.error);
  const dest = destOf(args, env.dir, env.host);
  const what = `fetch ${args.src} from ${env.host} to ${dest}`;
  // in check mode a missing file may be one an earlier planned step makes: the fetch is planned, not failed
  if (env.check && !info.exists && args.fail_on_missing !== false) {
    const check = wouldChange(`fetch ${args.src} (${madeByText(env.planned?.(args.src))}) from ${env.host} to ${dest}`, { dest });
    return { result: check, check, steps: [{ get: { path: args.src, dest, sha256: undefined }, show: what }], controllerPaths: [dest] };
  }
  if (!info.exists || !info.isreg) {
    const msg = `${args.src} ${info.exists ? 'is not a regular file' : 'does not exist'} on ${env.host}`;
    return args.fail_on_missing === false ? { result: ok({ skipped: true, msg }), steps: [] } : failed(msg);
  }
  return {
    result: changed({ dest, checksum: info.checksum, size: info.size }),
    check: wouldChange(what, { dest }),
    steps: [{ get: { path: args.src, dest, sha256: info.checksum }, show: what }],
    controllerPaths: [dest],
  };
}

/** `fetch`: streams a host file to the controller (`dest/HOST/SRC`, or `dest` with flat) and verifies its sha256. */
export const fetchModule = plannedModule<FetchArgs>({
  name: 'fetch',
  readOnly: false,
  probe: (args) => pathProbeCommand(args.src, true),
  plan: planFetch,
});
