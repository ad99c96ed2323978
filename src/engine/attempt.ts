import { setTimeout as sleep } from 'node:timers/promises';
import { markCheckResult } from './check-summary.js';
import { ConnectError } from '../errors/connect-error.js';
import type { ModuleTask, Play } from '../playbook/model.js';
import { MODULE_REGISTRY } from '../tasks/registry.js';
import type { ModuleDef, ModuleResult } from '../tasks/module.js';
import { renderValue, withoutOmitted } from '../template/index.js';
import type { Transport } from '../transports/transport.js';
import { becomeFor } from './become.js';
import { allHold, compiled } from './conditions.js';
import { test } from '../expr/index.js';
import type { RunContext } from './context.js';
import { LiveOutput } from './live-output.js';
import { moduleContext } from './module-context.js';
import { keywordBool } from './keyword-values.js';

/** One module invocation on one host (one loop item), with its scope already built. */
export interface AttemptInput {
  rc: RunContext;
  play: Play;
  task: ModuleTask;
  host: string;
  vars: Record<string, unknown>;
  taskId: string;
  /** Resolves the transport (the delegate's for delegate_to). */
  transport: () => Promise<Transport>;
}

/** A module result plus whether the host was unreachable. */
export interface AttemptOutcome {
  result: ModuleResult;
  unreachable: boolean;
}

/** Runs the module, retrying `until` holds, and applies changed_when / failed_when. */
export async function attempt(i: AttemptInput): Promise<AttemptOutcome> {
  const k = i.task.keywords;
  const until = k.until;
  const retries = until ? Math.max(1, Number(k.retries ?? 3)) : 1;
  const delayS = Number(k.delay ?? 5);
  for (let n = 1; ; n++) {
    const out = await once(i);
    if (out.unreachable || !until) return out;
    const done = test(compiled(until), withResult(i.vars, k.register, out.result));
    out.result['attempts'] = n;
    if (done) return out;
    if (n >= retries) {
      out.result.failed = true;
      out.result.msg ??= `"until" condition not met after ${n} attempts: ${until}`;
      return out;
    }
    i.rc.emit({ type: 'host-retry', taskId: i.taskId, host: i.host, attempt: n, retries, delayS });
    await sleep(delayS * 1000, undefined, { signal: i.rc.signal });
  }
}

/** A scope where the registered name (if any) refers to this result, for until/failed_when/changed_when. */
function withResult(vars: Record<string, unknown>, register: string | undefined, result: ModuleResult): Record<string, unknown> {
  if (!register) return vars;
  return new Proxy(vars, {
    get: (t, p) => (p === register ? result : Reflect.get(t, p)),
    has: (t, p) => p === register || Reflect.has(t, p),
    getOwnPropertyDescriptor: (t, p) =>
      p === register ? { value: result, enumerable: true, configurable: true, writable: false } : Reflect.getOwnPropertyDescriptor(t, p),
    ownKeys: (t) => [...new Set([...Reflect.ownKeys(t), register])],
  });
}

async function once(i: AttemptInput): Promise<AttemptOutcome> {
  if (i.task.module === 'meta') throw new Error('meta tasks are run by the engine, not as a module');
  const mod = MODULE_REGISTRY[i.task.module] as ModuleDef<unknown>;
  const where = { loc: i.task.loc, task: i.task.title, host: i.host };
  let result: ModuleResult;
  const live = new LiveOutput(i.rc, i.taskId, i.host);
  try {
    const args = renderArgs(mod, i.task.args, i.vars, where);
    const transport = mod.remote ? await i.transport() : undefined;
    const k = i.task.effective;
    const env = renderValue(k.environment, i.vars, { ...where, field: 'environment' }) as Record<string, unknown>;
    const timeout = Number(renderValue(k.timeout ?? i.rc.opts.taskTimeoutS ?? 0, i.vars, where));
    const checkKeyword = keywordBool(k.check_mode, i.vars, 'check_mode', where);
    const check = checkKeyword === false ? false : checkKeyword === true || (i.rc.opts.check && !mod.readOnly);
    const ctx = moduleContext({
      rc: i.rc,
      play: i.play,
      task: i.task,
      host: i.host,
      transport,
      check,
      become: becomeFor(k, i.vars, where),
      timeoutMs: timeout > 0 ? timeout * 1000 : undefined,
      env: Object.keys(env).length ? Object.fromEntries(Object.entries(env).map(([a, b]) => [a, String(b)])) : undefined,
      vars: i.vars,
      signal: i.rc.signal,
      taskId: i.taskId,
      noLog: Boolean(keywordBool(k.no_log, i.vars, 'no_log', where)),
      live,
    });
    result = await mod.run(args, ctx);
    markCheckResult(result, check);
  } catch (err) {
    if (err instanceof ConnectError)
      return { result: { failed: true, changed: false, unreachable: true, msg: err.message }, unreachable: true };
    result = { failed: true, changed: false, msg: err instanceof Error ? err.message : String(err) };
  } finally {
    live.flush();
  }
  result.changed = Boolean(result.changed);
  result.failed = Boolean(result.failed);
  applyOverrides(i, result);
  return { result, unreachable: false };
}

/** changed_when / failed_when replace the module's own judgement (evaluated with the result registered). */
function applyOverrides(i: AttemptInput, result: ModuleResult): void {
  const k = i.task.keywords;
  // as in Ansible, a skipped result (a command in check mode) is not judged
  if ((k.changed_when === undefined && k.failed_when === undefined) || result.skipped) return;
  const vars = withResult(i.vars, k.register, result);
  const list = (c: NonNullable<typeof k.when>) => (Array.isArray(c) ? c : [c]);
  try {
    if (k.changed_when !== undefined) result.changed = allHold(list(k.changed_when), vars);
    if (k.failed_when !== undefined) {
      const failed = allHold(list(k.failed_when), vars);
      if (failed && !result.failed) result.msg ??= `failed_when condition met: ${list(k.failed_when).join(' and ')}`;
      result.failed = failed;
    }
  } catch (err) {
    result.failed = true;
    result.msg = err instanceof Error ? err.message : String(err);
  }
}

function renderArgs(
  mod: ModuleDef<unknown>,
  args: unknown,
  vars: Record<string, unknown>,
  where: { loc: ModuleTask['loc']; task: string; host: string },
): unknown {
  const raw = mod.rawArgs ?? [];
  if (!args || typeof args !== 'object' || Array.isArray(args) || raw.length === 0)
    return renderValue(args, vars, { ...where, field: mod.name });
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(args))
    out[key] = raw.includes(key) ? v : renderValue(v, vars, { ...where, field: `${mod.name}.${key}` });
  return withoutOmitted(out);
}
