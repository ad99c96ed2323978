import { openStore, type Store } from '../store/client.js';
import { StoreError } from '../errors/store-error.js';
import { formatProgress, type ProgressFn } from '../store/progress.js';
import type { ModuleContext, ModuleResult } from './module.js';
import { fail, errorText } from './result.js';

/** A store from the controller's environment (ECS_* / AWS_*); endpoint and region may come from task args, credentials never. */
export function storeFromArgs(
  args: { endpoint?: string | undefined; region?: string | undefined },
  ctx?: Pick<ModuleContext, 'openStore'>,
): Store {
  return (ctx?.openStore ?? openStore)({ endpoint: args.endpoint || undefined, region: args.region || undefined });
}

/** Runs `fn` with a store (the context's `openStore` when set) and closes it; a StoreError becomes a failed result with its message and code. */
export async function withStore(
  args: { endpoint?: string | undefined; region?: string | undefined },
  ctx: Pick<ModuleContext, 'openStore'>,
  fn: (store: Store) => Promise<ModuleResult>,
): Promise<ModuleResult> {
  const store = storeFromArgs(args, ctx);
  try {
    return await fn(store);
  } catch (err) {
    if (err instanceof StoreError) return fail(err.message, { error: err.code });
    return fail(store.scrub(errorText(err)));
  } finally {
    store.destroy();
  }
}

/** Progress reports (`1.2 GiB of 4.0 GiB (30%)  85 MiB/s  about 34s left`), at most one a second (HashTap). */
export function progressLines(ctx: ModuleContext, label: string): ProgressFn {
  return (p) =>
    ctx.onProgress ? ctx.onProgress(`${label} ${formatProgress(p)}`) : ctx.onOutput('stdout', `${label} ${formatProgress(p)}\n`);
}

/** A whole number from an arg that may have been rendered from a template (`"{{keep_last}}"` → "7"). */
export function intArg(v: unknown, name: string): number {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new StoreError('invalid', `${name} must be a whole number, got ${JSON.stringify(v)}`);
  return n;
}

/** The run's signal, also firing after the task's `timeout` (transfers have no other deadline). */
export function taskSignal(ctx: ModuleContext): AbortSignal {
  return ctx.timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]) : ctx.signal;
}
