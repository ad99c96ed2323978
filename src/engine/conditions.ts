import { parseExpression, test, type Expression } from '../expr/index.js';

const cache = new Map<string, Expression>();

/** Parses an expression once per distinct source (validation already reported syntax errors). */
export function compiled(src: string): Expression {
  let e = cache.get(src);
  if (!e) {
    const r = parseExpression(src);
    if (!r.expr) throw new Error(r.problems.map((p) => p.message).join('; '));
    e = r.expr;
    cache.set(src, e);
  }
  return e;
}

/** True when every condition holds (booleans as is, strings as expressions). */
export function allHold(conds: ReadonlyArray<string | boolean>, vars: Record<string, unknown>): boolean {
  return conds.every((c) => (typeof c === 'boolean' ? c : test(compiled(c), vars)));
}

/** The first condition that does not hold, for "skipped because" messages. */
export function firstFalse(conds: ReadonlyArray<string | boolean>, vars: Record<string, unknown>): string | boolean | undefined {
  return conds.find((c) => !(typeof c === 'boolean' ? c : test(compiled(c), vars)));
}
