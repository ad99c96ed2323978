import type { FileArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { failed, plannedModule, unchanged, type Plan, type PlanEnv, type Probe } from './plan.js';
import { octalMode, parsePathProbe, pathProbeCommand, type PathInfo } from './path-probe.js';

/** `file`: makes a path a directory, file, link, touches it, or removes it; sets mode and owner. */
export const fileModule = plannedModule<FileArgs>({
  name: 'file',
  readOnly: false,
  probe: (args) => pathProbeCommand(args.path, false),
  plan: filePlan,
});

/** Pure: the one command line still needed to bring the path to its state (joined with &&), from the probe. */
export function filePlan(args: FileArgs, probe: Probe, env: PlanEnv): Plan {
  const probed = parsePathProbe(args.path, probe);
  if ('error' in probed) return failed(probed.error, { path: args.path });
  const before = planned(probed, env.planned?.(args.path), args.state);
  const state = args.state ?? (before.exists ? (before.isdir ? 'directory' : 'file') : 'file');
  const steps = commands(args, state, before);
  if (typeof steps === 'string') return failed(steps, { path: args.path });
  if (steps.length === 0) return unchanged({ path: args.path, state });
  return { result: { path: args.path, state }, steps: [{ command: steps.join(' && ') }], paths: { [args.path]: state !== 'absent' } };
}

/** In check mode, the path as the steps planned before this one would have left it. */
function planned(now: PathInfo, would: boolean | undefined, state: string | undefined): PathInfo {
  if (would === undefined || would === now.exists) return now;
  return would ? { ...now, exists: true, isdir: state === 'directory' } : { path: now.path, exists: false };
}

/** The commands still needed to reach the state, or an error message. */
function commands(args: FileArgs, state: string, before: PathInfo): string[] | string {
  const p = shellQuote(args.path);
  const steps: string[] = [];
  switch (state) {
    case 'absent':
      return before.exists ? [`rm -rf -- ${p}`] : [];
    case 'directory':
      if (before.exists && !before.isdir) return `${args.path} exists and is not a directory`;
      if (!before.exists) steps.push(`mkdir -p -- ${p}`);
      break;
    case 'touch':
      steps.push(`touch -- ${p}`);
      break;
    case 'link':
      if (!args.src) return 'state=link needs "src"';
      steps.push(`ln -sfn -- ${shellQuote(args.src)} ${p}`);
      return steps;
    case 'file':
      if (!before.exists) return `${args.path} does not exist (use state: touch to create it)`;
      break;
  }
  const mode = octalMode(args.mode);
  if (mode && (!before.exists || before.mode !== mode || state === 'touch'))
    steps.push(`chmod ${args.recurse ? '-R ' : ''}${mode} -- ${p}`);
  const owner = [args.owner ?? '', args.group ? `:${args.group}` : ''].join('');
  if (owner && (!before.exists || (args.owner && before.pw_name !== args.owner) || (args.group && before.gr_name !== args.group)))
    steps.push(`chown ${args.recurse ? '-R ' : ''}${shellQuote(owner)} -- ${p}`);
  return steps;
}
