// Tree-walking evaluator: only the node kinds of ExprNode, only own properties, only whitelisted filters, tests,
// methods and functions. Nothing here can call a function supplied by the user or reach a prototype.
import { didYouMean } from '../util/did-you-mean.js';
import { describePath, type ExprNode } from './ast.js';
import { bindArgs, type CallableDef, type CallContext } from './callable.js';
import { ExprError } from '../errors/expr-error.js';
import { FILTERS } from './filters.js';
import { FUNCTIONS } from './functions.js';
import { METHODS } from './methods.js';
import { applyBinary, applyCompare } from './operators.js';
import { SyntaxProblem } from '../errors/syntax-problem.js';
import { canonicalName, parseTree } from './parser.js';
import { conditionTemplating } from './templated.js';
import { TESTS } from './tests.js';
import { ABSENT, Missing, OMIT, asTuple, describeKeys, lookupOwn, truthy, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

/** A parsed expression, reusable. */
export interface Expression {
  /** The expression as written (without a surrounding `{{ }}`). */
  readonly source: string;
  readonly ast: ExprNode;
}

/** Names every expression can read without anyone defining them (Ansible's `omit`). */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(['omit']);

class Undefined extends Error {
  constructor(readonly missing: Missing) {
    super(
      missing.name
        ? `undefined variable "${missing.name}"${missing.detail ? ` (${missing.detail})` : ''}`
        : (missing.detail ?? 'undefined value'),
    );
  }
}

function force(v: unknown): unknown {
  if (v instanceof Missing) throw new Undefined(v);
  return v;
}

/** Where names are read: the variables, then (for templates inside blocks) an outer layer. */
interface Env {
  vars: Record<string, unknown>;
  outer?: Record<string, unknown> | undefined;
  ctx: CallContext;
}

function variable(name: string, env: Env): unknown {
  const v = lookupOwn(env.vars, name);
  if (v !== ABSENT) return v;
  const o = env.outer ? lookupOwn(env.outer, name) : ABSENT;
  if (o !== ABSENT) return o;
  if (name === 'omit') return OMIT;
  return new Missing(name, didYouMean(name, [...Object.keys(env.vars), ...Object.keys(env.outer ?? {})]));
}

function member(n: Extract<ExprNode, { kind: 'member' }>, env: Env): unknown {
  const obj = ev(n.object, env);
  if (obj instanceof Missing) return obj;
  const key = typeof n.key === 'string' ? n.key : force(ev(n.key, env));
  if (typeof key !== 'string' && typeof key !== 'number') throw new ValueProblem(`cannot index with a ${typeName(key)}`);
  const v = lookupOwn(obj, key);
  if (v !== ABSENT) return v;
  const of = describePath(n.object);
  if (obj === null) return new Missing(describePath(n), `"${of}" is null`);
  return new Missing(
    describePath(n),
    `"${of}" has no ${typeof key === 'number' ? 'index' : 'key'} ${JSON.stringify(key)}${describeKeys(obj)}`,
  );
}

/** Python slicing of a list or string: x[a:b:c] with negative indices counted from the end. */
function slice(n: Extract<ExprNode, { kind: 'slice' }>, env: Env): unknown {
  const obj = force(ev(n.object, env));
  if (typeof obj !== 'string' && !Array.isArray(obj)) throw new ValueProblem(`cannot slice ${typeName(obj)}`);
  const num = (x: ExprNode | undefined): number | undefined => {
    if (!x) return undefined;
    const v = force(ev(x, env));
    if (v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ValueProblem(`slice indices must be whole numbers, got ${typeName(v)}`);
    return v;
  };
  const len = obj.length;
  const step = num(n.step) ?? 1;
  if (step === 0) throw new ValueProblem('slice step cannot be zero');
  const clamp = (i: number | undefined, dflt: number): number => {
    if (i === undefined) return dflt;
    const j = i < 0 ? i + len : i;
    return step > 0 ? Math.min(Math.max(j, 0), len) : Math.min(Math.max(j, -1), len - 1);
  };
  const start = clamp(num(n.start), step > 0 ? 0 : len - 1);
  const stop = clamp(num(n.stop), step > 0 ? len : -1);
  const items: unknown[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) items.push(obj[i]);
  return typeof obj === 'string' ? items.join('') : items;
}

function callDef(def: CallableDef, input: unknown, n: { args: ExprNode[]; kwargs: Array<[string, ExprNode]> }, env: Env): unknown {
  const args = n.args.map((a) => force(ev(a, env)));
  const kwargs = Object.fromEntries(n.kwargs.map(([k, v]) => [k, force(ev(v, env))]));
  return def.fn(def.acceptsMissing ? input : force(input), bindArgs(def, args, kwargs, env.ctx));
}

function ev(n: ExprNode, env: Env): unknown {
  switch (n.kind) {
    case 'literal':
      return n.value;
    case 'variable':
      return variable(n.name, env);
    case 'member':
      return member(n, env);
    case 'slice':
      return slice(n, env);
    case 'list': {
      const items = n.items.map((i) => force(ev(i, env)));
      return n.tuple ? asTuple(items) : items;
    }
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of n.entries) {
        const key = force(ev(k, env));
        if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean')
          throw new ValueProblem(`a mapping key must be a string or number, got ${typeName(key)}`);
        out[String(key)] = force(ev(v, env));
      }
      return out;
    }
    case 'not':
      return !truthy(force(ev(n.arg, env)));
    case 'negate': {
      const v = force(ev(n.arg, env));
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new ValueProblem(`unary "${n.op}" needs a number, got ${typeName(v)}`);
      return n.op === '-' ? -Number(v) : Number(v);
    }
    case 'logic': {
      const left = force(ev(n.left, env));
      if (n.op === 'and' ? !truthy(left) : truthy(left)) return left;
      return force(ev(n.right, env));
    }
    case 'binary':
      return applyBinary(n.op, force(ev(n.left, env)), force(ev(n.right, env)));
    case 'compare': {
      let left = force(ev(n.first, env));
      for (const [op, node] of n.rest) {
        const right = force(ev(node, env));
        if (!applyCompare(op, left, right)) return false;
        left = right;
      }
      return true;
    }
    case 'cond':
      if (truthy(force(ev(n.test, env)))) return ev(n.then, env);
      return n.else ? ev(n.else, env) : new Missing('', 'the inline if has no else and its condition is false', true);
    case 'filter': {
      const def = FILTERS[n.name];
      if (!def) throw new ValueProblem(`unknown filter "${n.name}"`);
      return callDef(def, ev(n.input, env), n, env);
    }
    case 'test': {
      const def = TESTS[n.name];
      if (!def) throw new ValueProblem(`unknown test "${n.name}"`);
      const r = truthy(callDef(def, ev(n.input, env), n, env));
      return n.negated ? !r : r;
    }
    case 'method': {
      const def = METHODS[n.name];
      if (!def) throw new ValueProblem(`unknown method "${n.name}"`);
      return callDef(def, force(ev(n.object, env)), n, env);
    }
    case 'call': {
      const def = FUNCTIONS[n.name];
      if (!def) throw new ValueProblem(`unknown function "${n.name}"`);
      return callDef(def, null, n, env);
    }
    case 'templated':
      return renderedCondition(n.template, env);
  }
}

/**
 * ansible-core's `_check_conditional` for a condition with {{ }}/{% %} inside: render it; a value that is not text
 * (or is empty text) is the result; text is parsed and evaluated as the condition.
 */
function renderedCondition(template: string, env: Env): unknown {
  const v = conditionTemplating().render(template, env.vars);
  if (typeof v !== 'string' || v === '') return v;
  try {
    return ev(parseTree(v, {}), env);
  } catch (e) {
    if (e instanceof SyntaxProblem)
      throw new ValueProblem(
        `the condition rendered to ${JSON.stringify(v)}, which is no valid expression (${e.message}): ansible-core renders a condition's {{ }} first and evaluates the text`,
      );
    throw e;
  }
}

/** Calls filters and tests by name for map, select, selectattr... */
const CONTEXT: CallContext = {
  filter(name, input, args) {
    const def = FILTERS[canonicalName(name)];
    if (!def) throw new ValueProblem(`unknown filter "${name}"`);
    return def.fn(def.acceptsMissing ? input : force(input), bindArgs(def, args, {}, CONTEXT));
  },
  test(name, input, args) {
    const def = TESTS[canonicalName(name)];
    if (!def) throw new ValueProblem(`unknown test "${name}"`);
    return truthy(def.fn(def.acceptsMissing ? input : force(input), bindArgs(def, args, {}, CONTEXT)));
  },
};

/**
 * Evaluates to a value; names are read from `vars`, then from `outer`. Throws ExprError naming the undefined
 * variable or the bad value, and quoting the expression. `inTemplate`: the value of a template's `{{ }}`, where
 * an inline if without else that is false gives '' (as Ansible prints it); in a condition it is undefined.
 */
export function evaluate(expr: Expression, vars: Record<string, unknown>, outer?: Record<string, unknown>, inTemplate = false): unknown {
  try {
    const v = ev(expr.ast, { vars, outer, ctx: CONTEXT });
    return inTemplate && v instanceof Missing && v.printsEmpty ? '' : force(v);
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
