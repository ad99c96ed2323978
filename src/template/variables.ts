/// <reference types="handlebars" />
// The variables a template is certain to read at top level, for early "undefined variable" reports.
import { BUILTIN_NAMES, expressionNames } from '../expr/index.js';
import { compiled } from './compile.js';
import { PLACEHOLDER, type JinjaSlot } from './jinja-split.js';

type Expr = hbs.AST.Expression;

function collectPath(p: hbs.AST.PathExpression, out: Set<string>): void {
  if (p.depth > 0) return;
  if (p.data) {
    if (p.parts[0] === 'root' && p.parts[1] !== undefined) out.add(p.parts[1]);
    return;
  }
  if (p.parts[0] !== undefined) out.add(p.parts[0]);
}

/** The names a Jinja expression reads on every evaluation (not tested or defaulted, not `omit`). */
function collectSlot(
  call: { path: hbs.AST.PathExpression | hbs.AST.Literal; params: Expr[] },
  slots: JinjaSlot[],
  out: Set<string>,
): boolean {
  const [first] = call.params;
  if (
    call.path.type !== 'PathExpression' ||
    (call.path as hbs.AST.PathExpression).original !== PLACEHOLDER ||
    first?.type !== 'NumberLiteral'
  )
    return false;
  const slot = slots[(first as hbs.AST.NumberLiteral).value];
  if (slot) {
    const { used, guarded } = expressionNames(slot.expr.ast);
    for (const n of used) if (!guarded.has(n) && !BUILTIN_NAMES.has(n)) out.add(n);
  }
  return true;
}

function collect(e: Expr, out: Set<string>, slots: JinjaSlot[]): void {
  if (e.type === 'PathExpression') collectPath(e as hbs.AST.PathExpression, out);
  if (e.type === 'SubExpression' && !collectSlot(e as hbs.AST.SubExpression, slots, out)) collectCall(e as hbs.AST.SubExpression, out);
}

function collectCall(call: { path: hbs.AST.PathExpression | hbs.AST.Literal; params: Expr[] }, out: Set<string>): void {
  const isDefault = call.path.type === 'PathExpression' && (call.path as hbs.AST.PathExpression).original === 'default';
  call.params.forEach((p, i) => {
    if (!(isDefault && i === 0)) collect(p, out, []);
  });
}

/**
 * Variable names a template reads at top level on every rendering: mustaches and block arguments
 * outside any block body (bodies of if/unless/each/with may not run or change the context), not
 * the first argument of `default`. Empty for a template with syntax errors.
 */
export function templateVariables(s: string): string[] {
  const { ast, slots, bound } = compiled(s);
  const out = new Set<string>();
  for (const st of ast?.body ?? []) {
    if (st.type === 'MustacheStatement') {
      const m = st as hbs.AST.MustacheStatement;
      if (collectSlot(m, slots, out)) continue;
      if (m.params.length === 0 && m.path.type === 'PathExpression') collectPath(m.path as hbs.AST.PathExpression, out);
      else collectCall(m, out);
    } else if (st.type === 'BlockStatement') {
      (st as hbs.AST.BlockStatement).params.forEach((p) => collect(p, out, slots));
    }
  }
  return [...out].filter((n) => !bound.has(n));
}
