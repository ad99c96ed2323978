import type { ModuleTask, Play } from '../playbook/model.js';
import type { ModuleContext } from '../tasks/module.js';
import { renderString } from '../template/index.js';
import { evaluate } from '../expr/index.js';
import type { Transport } from '../transports/transport.js';
import type { Become } from '../connection/types.js';
import { compiled } from './conditions.js';
import type { RunContext } from './context.js';
import type { LiveOutput } from './live-output.js';

/** Inputs for building a module's context on one host. */
export interface ModuleContextInput {
  rc: RunContext;
  play: Play;
  task: ModuleTask;
  host: string;
  transport: Transport | undefined;
  check: boolean;
  become: Become | undefined;
  timeoutMs: number | undefined;
  env: Record<string, string> | undefined;
  vars: Record<string, unknown>;
  signal: AbortSignal;
  taskId: string;
  /** no_log: live output is not emitted at all. */
  noLog: boolean;
  /** Where live output goes (held back while it could be the start of a secret). */
  live: LiveOutput;
}

/** Builds the explicit context a module runs with (no globals). */
export function moduleContext(i: ModuleContextInput): ModuleContext {
  const where = { loc: i.task.loc, task: i.task.title, host: i.host };
  return {
    host: i.host,
    transport: i.transport,
    check: i.check,
    diff: i.rc.opts.diff ?? false,
    dryRun: i.rc.opts.check ? i.rc.dryRun : undefined,
    signal: i.signal,
    become: i.become,
    timeoutMs: i.timeoutMs,
    env: i.env,
    dir: i.task.dir,
    roleDir: i.task.role?.dir,
    vars: i.vars,
    verbosity: i.rc.opts.verbosity,
    render: (template, field) => renderString(template, i.vars, { ...where, field }),
    evaluate: (src) => evaluate(compiled(src), i.vars),
    onOutput: i.noLog ? () => undefined : i.live.push,
    onProgress: i.noLog ? undefined : (text) => i.rc.emit({ type: 'host-progress', taskId: i.taskId, host: i.host, text }),
    confirm: (message) => confirm(i.rc, `${i.host}: ${message}`),
  };
}

/** Asks the operator: yes under --yes, the UI's prompt on a terminal, otherwise a refusal. */
export async function confirm(rc: RunContext, message: string): Promise<boolean> {
  if (rc.opts.yes) return true;
  if (rc.opts.interactive && rc.opts.ask) return rc.opts.ask(message);
  return false;
}
