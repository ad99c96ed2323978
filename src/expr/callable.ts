// The shape shared by filters, tests, methods and functions: named parameters (positional or `name=value`), checked
// once when the expression is parsed and bound to names when it is evaluated.
import { ValueProblem } from '../errors/value-problem.js';

/** What a filter or test may call back into: other filters and tests by name (for map, select, selectattr...). */
export interface CallContext {
  filter(name: string, input: unknown, args: unknown[]): unknown;
  test(name: string, input: unknown, args: unknown[]): boolean;
}

/** Arguments bound to parameter names; extra positional ones in `rest`. */
export interface BoundArgs {
  named: Record<string, unknown>;
  rest: unknown[];
  ctx: CallContext;
}

/** One filter, test, method or function. */
export interface CallableDef<R = unknown> {
  /** Parameter names in order (the input is not one); the first `min` are required. */
  params?: readonly string[];
  min?: number;
  /** Parameters that can only be given by name (`recursive=true`). */
  kwonly?: readonly string[];
  /** More positional arguments than `params` are collected in `rest`. */
  rest?: boolean;
  /** May receive an undefined input (`default`, `is defined`, type tests): it gets a Missing. */
  acceptsMissing?: boolean;
  fn: (input: unknown, a: BoundArgs) => R;
}

/** Checks the argument counts and names of a call (at parse time); returns the problem, or undefined. */
export function checkArgs(what: string, def: CallableDef, positional: number, keywords: string[]): string | undefined {
  const params = def.params ?? [];
  const kwonly = def.kwonly ?? [];
  if (positional > params.length && !def.rest) {
    return `${what} takes ${params.length === 0 ? 'no' : `at most ${params.length}`} argument${params.length === 1 ? '' : 's'}${params.length ? ` (${params.join(', ')})` : ''}, got ${positional}`;
  }
  for (const k of keywords) {
    const at = params.indexOf(k);
    if (at < 0 && !kwonly.includes(k))
      return `${what} has no parameter "${k}"${params.length + kwonly.length ? ` (it takes: ${[...params, ...kwonly].join(', ')})` : ''}`;
    if (at >= 0 && at < positional) return `${what}: "${k}" is given twice`;
  }
  const min = def.min ?? 0;
  const missing = params.slice(positional, min).filter((p) => !keywords.includes(p));
  if (missing.length) return `${what} needs ${missing.map((m) => `"${m}"`).join(', ')}`;
  return undefined;
}

/** Binds evaluated arguments to parameter names (the counts were checked at parse time). */
export function bindArgs(def: CallableDef, args: unknown[], kwargs: Record<string, unknown>, ctx: CallContext): BoundArgs {
  const params = def.params ?? [];
  const named: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  params.forEach((p, i) => {
    if (i < args.length) named[p] = args[i];
  });
  for (const [k, v] of Object.entries(kwargs)) named[k] = v;
  return { named, rest: args.slice(params.length), ctx };
}

/** Reads an optional boolean parameter (Python truthiness is not used: it must be a boolean). */
export function flag(a: BoundArgs, name: string, fallback = false): boolean {
  const v = a.named[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ValueProblem(`"${name}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}
