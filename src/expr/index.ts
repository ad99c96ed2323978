// The condition language for `when`, `until`, `failed_when`, `changed_when` and `assert.that`.
export type { ExprNode } from './ast.js';
export { ExprError } from './errors.js';
export { evaluate, test } from './evaluate.js';
export type { Expression } from './evaluate.js';
export { parseExpression } from './parse.js';
