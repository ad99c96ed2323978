// Tree-walking evaluator: only the node kinds of ExprNode, only own properties, only whitelisted
// filters and tests. Nothing here can call a function supplied by the user or reach a prototype.
import { didYouMean } from '../util/did-you-mean.js';
import type { ExprNode } from './ast.js';
import { ExprError } from './errors.js';
import { FILTERS } from './filters.js';
import { applyBinary } from './operators.js';
import { TESTS } from './tests.js';
import { ABSENT, Missing, ValueProblem, describeKeys, lookupOwn, truthy, typeName } from './values.js';

/** A parsed condition, reusable. */
export interface Expression {
  /** The expression as written (without a surrounding `{{ }}`). */
  readonly source: string;
  readonly ast: ExprNode;
}

class Undefined extends Error {
  constructor(readonly missing: Missing) {
    super(missing.name ? `undefined variable "${missing.name}"${missing.detail ? ` (${missing.detail})` : ''}` : (missing.detail ?? 'undefined value'));
  }
}

function force(v: unknown): unknown {
  if (v instanceof Missing) throw new Undefined(v);
  return v;
}

/** Source-like text for a variable path, used to name what is undefined. */
function describe(n: ExprNode): string {
  if (n.kind === 'variable') return n.name;
  if (n.kind !== 'member') return '(value)';
  if (typeof n.key === 'string') return `${describe(n.object)}.${n.key}`;
  return `${describe(n.object)}[${n.key.kind === 'literal' ? JSON.stringify(n.key.value) : '...'}]`;
}

function variable(name: string, vars: Record<string, unknown>): unknown {
  const v = lookupOwn(vars, name);
  return v === ABSENT ? new Missing(name, didYouMean(name, Object.keys(vars))) : v;
}

function member(n: Extract<ExprNode, { kind: 'member' }>, vars: Record<string, unknown>): unknown {
  const obj = ev(n.object, vars);
  if (obj instanceof Missing) return obj;
  const key = typeof n.key === 'string' ? n.key : force(ev(n.key, vars));
  if (typeof key !== 'string' && typeof key !== 'number') throw new ValueProblem(`cannot index with a ${typeName(key)}`);
  const v = lookupOwn(obj, key);
  if (v !== ABSENT) return v;
  const of = describe(n.object);
  if (obj === null) return new Missing(describe(n), `"${of}" is null`);
  return new Missing(describe(n), `"${of}" has no ${typeof key === 'number' ? 'index' : 'key'} ${JSON.stringify(key)}${describeKeys(obj)}`);
}

function call(n: Extract<ExprNode, { kind: 'filter' | 'test' }>, vars: Record<string, unknown>): unknown {
  const def = n.kind === 'filter' ? FILTERS[n.name] : TESTS[n.name];
  if (!def) throw new ValueProblem(`unknown ${n.kind} "${n.name}"`);
  const input = ev(n.input, vars);
  const args = n.args.map((a) => force(ev(a, vars)));
  const result = def.fn(def.acceptsMissing ? input : force(input), args);
  return n.kind === 'test' && n.negated ? !result : result;
}

function ev(n: ExprNode, vars: Record<string, unknown>): unknown {
  switch (n.kind) {
    case 'literal': return n.value;
    case 'variable': return variable(n.name, vars);
    case 'member': return member(n, vars);
    case 'list': return n.items.map((i) => force(ev(i, vars)));
    case 'dict': return Object.fromEntries(n.entries.map(([k, v]) => [String(force(ev(k, vars))), force(ev(v, vars))]));
    case 'not': return !truthy(force(ev(n.arg, vars)));
    case 'negate': {
      const v = force(ev(n.arg, vars));
      if (typeof v !== 'number') throw new ValueProblem(`unary "${n.op}" needs a number, got ${typeName(v)}`);
      return n.op === '-' ? -v : v;
    }
    case 'logic': {
      const left = force(ev(n.left, vars));
      if (n.op === 'and' ? !truthy(left) : truthy(left)) return left;
      return force(ev(n.right, vars));
    }
    case 'binary': return applyBinary(n.op, force(ev(n.left, vars)), force(ev(n.right, vars)));
    case 'filter':
    case 'test': return call(n, vars);
  }
}

/** Evaluates to a value. Throws ExprError naming the undefined variable, the bad value, and the expression. */
export function evaluate(expr: Expression, vars: Record<string, unknown>): unknown {
  try {
    return force(ev(expr.ast, vars));
  } catch (e) {
    if (e instanceof Undefined) throw new ExprError(`${e.message} in expression "${expr.source}"`, e.missing.name || undefined);
    if (e instanceof ValueProblem) throw new ExprError(`${e.message} in expression "${expr.source}"`);
    throw e;
  }
}

/** Evaluates as a condition (Jinja truthiness: empty string/list/mapping, 0, null and false are false). */
export function test(expr: Expression, vars: Record<string, unknown>): boolean {
  return truthy(evaluate(expr, vars));
}
