// The typed syntax tree of a condition, converted from jsep's generic nodes and checked
// (known filters and tests, argument counts, no calls, no forbidden names) before any evaluation.
import type jsep from 'jsep';
import { didYouMean } from '../util/did-you-mean.js';
import { FILTERS } from './filters.js';
import { TESTS } from './tests.js';
import { FORBIDDEN_KEYS } from './values.js';

/** Binary operators other than `and`/`or`. */
export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | '+' | '-' | '~' | '*' | '/' | '//' | '%';

/** One node of a parsed condition. */
export type ExprNode =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'variable'; name: string }
  | { kind: 'member'; object: ExprNode; key: ExprNode | string }
  | { kind: 'list'; items: ExprNode[] }
  | { kind: 'dict'; entries: Array<[ExprNode, ExprNode]> }
  | { kind: 'not'; arg: ExprNode }
  | { kind: 'negate'; op: '-' | '+'; arg: ExprNode }
  | { kind: 'logic'; op: 'and' | 'or'; left: ExprNode; right: ExprNode }
  | { kind: 'binary'; op: BinaryOp; left: ExprNode; right: ExprNode }
  | { kind: 'filter'; name: string; input: ExprNode; args: ExprNode[] }
  | { kind: 'test'; name: string; negated: boolean; input: ExprNode; args: ExprNode[] };

/** A problem found while converting, with the character index when known. */
export class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly index?: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const BINARY_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', '+', '-', '~', '*', '/', '//', '%']);

function child(e: jsep.Expression, key: string): jsep.Expression {
  const v = e[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof RegExp || !('type' in v) || typeof v.type !== 'string') {
    throw new SyntaxProblem(`incomplete expression (missing ${key})`);
  }
  return v as jsep.Expression;
}

function children(e: jsep.Expression, key: string): ExprNode[] {
  const v = e[key];
  if (!Array.isArray(v)) throw new SyntaxProblem(`incomplete expression (missing ${key})`);
  return v.map((x) => {
    if (x === null || typeof x !== 'object' || x instanceof RegExp) throw new SyntaxProblem('empty element in a list');
    return toNode(x as jsep.Expression);
  });
}

function text(e: jsep.Expression, key: string): string {
  const v = e[key];
  if (typeof v !== 'string') throw new SyntaxProblem(`incomplete expression (missing ${key})`);
  return v;
}

function checkCall(e: jsep.Expression, kind: 'filter' | 'test'): { name: string; args: ExprNode[] } {
  const name = text(e, 'name');
  const table = kind === 'filter' ? FILTERS : TESTS;
  const pos = typeof e['pos'] === 'number' ? e['pos'] : undefined;
  const def = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!def) throw new SyntaxProblem(`unknown ${kind} "${name}"`, pos, didYouMean(name, Object.keys(table)));
  const args = children(e, 'arguments');
  if (args.length < def.min || args.length > def.max) {
    const want = def.min === def.max ? `${def.min}` : `${def.min} to ${def.max}`;
    throw new SyntaxProblem(`${kind} "${name}" takes ${want} argument(s), got ${args.length}`, pos);
  }
  return { name, args };
}

function member(e: jsep.Expression): ExprNode {
  if (e['optional']) throw new SyntaxProblem('"?." is not supported');
  const object = toNode(child(e, 'object'));
  const prop = child(e, 'property');
  if (e['computed']) {
    const key = toNode(prop);
    if (key.kind === 'literal' && typeof key.value === 'string' && FORBIDDEN_KEYS.has(key.value)) {
      throw new SyntaxProblem(`access to "${key.value}" is not allowed`);
    }
    return { kind: 'member', object, key };
  }
  const name = text(prop, 'name');
  if (FORBIDDEN_KEYS.has(name)) throw new SyntaxProblem(`access to "${name}" is not allowed`);
  return { kind: 'member', object, key: name };
}

/** Converts one jsep node (ours or jsep's own) into an ExprNode, refusing anything outside the language. */
export function toNode(e: jsep.Expression): ExprNode {
  switch (e.type) {
    case 'Literal': {
      const v = e['value'];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return { kind: 'literal', value: v };
      throw new SyntaxProblem('unsupported literal');
    }
    case 'Identifier': {
      const name = text(e, 'name');
      if (FORBIDDEN_KEYS.has(name)) throw new SyntaxProblem(`access to "${name}" is not allowed`);
      return { kind: 'variable', name };
    }
    case 'MemberExpression':
      return member(e);
    case 'ArrayExpression':
      return { kind: 'list', items: children(e, 'elements') };
    case 'Dict': {
      const keys = children(e, 'keys');
      const values = children(e, 'values');
      return { kind: 'dict', entries: keys.map((k, i) => [k, values[i] ?? k]) };
    }
    case 'Not':
      return { kind: 'not', arg: toNode(child(e, 'argument')) };
    case 'Negate':
      return { kind: 'negate', op: text(e, 'operator') === '-' ? '-' : '+', arg: toNode(child(e, 'argument')) };
    case 'Logical':
      return { kind: 'logic', op: text(e, 'operator') === 'and' ? 'and' : 'or', left: toNode(child(e, 'left')), right: toNode(child(e, 'right')) };
    case 'Op': {
      const op = text(e, 'operator');
      if (!BINARY_OPS.has(op)) throw new SyntaxProblem(`unknown operator "${op}"`);
      return { kind: 'binary', op: op as BinaryOp, left: toNode(child(e, 'left')), right: toNode(child(e, 'right')) };
    }
    case 'Filter':
      return { kind: 'filter', input: toNode(child(e, 'input')), ...checkCall(e, 'filter') };
    case 'Test':
      return { kind: 'test', negated: e['negated'] === true, input: toNode(child(e, 'input')), ...checkCall(e, 'test') };
    case 'CallExpression': {
      const callee = e['callee'] as jsep.Expression | undefined;
      const name = callee?.type === 'Identifier' && typeof callee['name'] === 'string' ? callee['name'] : undefined;
      const hint = name && Object.hasOwn(FILTERS, name) ? `"${name}" is a filter: write VALUE | ${name}` : name && Object.hasOwn(TESTS, name) ? `"${name}" is a test: write VALUE is ${name}` : undefined;
      throw new SyntaxProblem('function calls are not supported; use a filter (value | name(args)) or a test (value is name(args))', undefined, hint);
    }
    case 'Compound':
    case 'SequenceExpression':
      throw new SyntaxProblem('unexpected "," (one expression only; use "and"/"or" to combine conditions)');
    default:
      throw new SyntaxProblem(`unsupported syntax (${e.type})`);
  }
}
