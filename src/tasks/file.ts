import type { FileArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { execOn, type ModuleContext, type ModuleDef, type ModuleResult } from './module.js';
import { octalMode, probePath, type PathInfo } from './path-probe.js';
import { fail } from './result.js';

/** `file`: makes a path a directory, file, link, touches it, or removes it; sets mode and owner. */
export const fileModule: ModuleDef<FileArgs> = {
  name: 'file',
  remote: true,
  readOnly: false,
  async run(args, ctx) {
    const before = planned(ctx, args.path, await probePath(ctx, args.path, false), args.state);
    const state = args.state ?? (before.exists ? (before.isdir ? 'directory' : 'file') : 'file');
    const steps = plan(args, state, before);
    if (typeof steps === 'string') return fail(steps, { path: args.path });
    if (steps.length === 0) return { changed: false, path: args.path, state };
    const line = steps.join(' && ');
    if (ctx.check) {
      ctx.dryRun?.setPath(ctx.host, args.path, state !== 'absent');
      return { changed: true, path: args.path, state, would_run: line, msg: `check mode: would run: ${line}` };
    }
    return apply(ctx, line, args.path, state);
  },
};

/** In check mode, the path as the steps planned before this one would have left it. */
function planned(ctx: ModuleContext, path: string, now: PathInfo, state: string | undefined): PathInfo {
  const would = ctx.dryRun?.pathState(ctx.host, path);
  if (would === undefined || would === now.exists) return now;
  return would ? { ...now, exists: true, isdir: state === 'directory' } : { path: now.path, exists: false };
}

async function apply(ctx: ModuleContext, line: string, path: string, state: string): Promise<ModuleResult> {
  const r = await execOn(ctx, line);
  if (r.code !== 0) return { failed: true, changed: false, path, state, msg: `file: ${r.stderr.trim() || `exit code ${String(r.code)}`}`, cmd: line };
  return { changed: true, path, state };
}

/** The commands still needed to reach the state, or an error message. */
function plan(args: FileArgs, state: string, before: PathInfo): string[] | string {
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
  if (mode && (!before.exists || before.mode !== mode || state === 'touch')) steps.push(`chmod ${args.recurse ? '-R ' : ''}${mode} -- ${p}`);
  const owner = [args.owner ?? '', args.group ? `:${args.group}` : ''].join('');
  if (owner && (!before.exists || (args.owner && before.pw_name !== args.owner) || (args.group && before.gr_name !== args.group)))
    steps.push(`chown ${args.recurse ? '-R ' : ''}${shellQuote(owner)} -- ${p}`);
  return steps;
}
