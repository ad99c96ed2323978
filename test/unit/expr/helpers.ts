// Shared helpers for the expression tests: parse-or-fail and evaluate.
import assert from 'node:assert/strict';
import { evaluate, parseExpression, type Expression } from '../../../src/expr/index.js';

/** Parses `src`, failing the test with the problems if it does not parse. */
export function parsed(src: string): Expression {
  const { expr, problems } = parseExpression(src);
  assert.deepEqual(problems, []);
  assert.ok(expr);
  return expr;
}

/** Parses and evaluates `src` against `vars`. */
export function run(src: string, vars: Record<string, unknown> = {}): unknown {
  return evaluate(parsed(src), vars);
}

/** The message of the ExprError thrown by evaluating `src`. */
export function failure(src: string, vars: Record<string, unknown> = {}): string {
  try {
    run(src, vars);
  } catch (e) {
    assert.equal((e as Error).name, 'ExprError');
    return (e as Error).message;
  }
  assert.fail(`expected "${src}" to fail`);
}
