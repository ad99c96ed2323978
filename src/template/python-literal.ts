// ansible-core's reading of a rendered template (ansible_eval_concat, jinja2_native off): text that starts with
// "[" or "{", or is "True"/"False", becomes the Python literal it spells when it is one (`ast.literal_eval`).
import type { ExprNode } from '../expr/ast.js';
import { evaluate, parseBare } from '../expr/index.js';

/** True when the tree is a Python literal: strings, numbers, True/False/None (capitalised), lists, tuples, dicts. */
function isLiteral(n: ExprNode, text: string): boolean {
  switch (n.kind) {
    case 'literal':
      return typeof n.value === 'string' || typeof n.value === 'number' || /^(?:True|False|None)\b/.test(text.slice(n.pos));
    case 'negate':
      return n.arg.kind === 'literal' && typeof n.arg.value === 'number';
    case 'list':
      return n.items.every((x) => isLiteral(x, text));
    case 'dict':
      return n.entries.every(([k, v]) => isLiteral(k, text) && isLiteral(v, text));
    default:
      return false;
  }
}

/** The value a rendered template stands for in ansible-core: a list, dict or boolean it spells, else the text. */
export function ansibleConcat(text: string): unknown {
  if (!text.startsWith('[') && !text.startsWith('{') && text !== 'True' && text !== 'False') return text;
  const { expr } = parseBare(text);
  if (!expr || !isLiteral(expr.ast, text)) return text;
  try {
    return evaluate(expr, {});
  } catch {
    return text;
  }
}
