// The Jinja expression language: conditions (`when`, `until`, `failed_when`, `changed_when`, `assert.that`) and
// the expressions inside `{{ }}` of templates.
export { ExprError } from '../errors/expr-error.js';
export { BUILTIN_NAMES, evaluate, test } from './evaluate.js';
export type { Expression } from './evaluate.js';
export { expressionNames } from './names.js';
export { parseBare, parseExpression } from './parse.js';
export { pyStr } from './python.js';
export { OMIT } from './values.js';
