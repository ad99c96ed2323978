// The typed syntax tree of an expression. Every node keeps `pos`, its offset in the expression, for messages.

/** Binary operators other than `and`/`or` and comparisons. */
export type BinaryOp = '+' | '-' | '~' | '*' | '/' | '//' | '%' | '**';

/** Comparison operators (they chain, as in Python: `1 < x < 5`). */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

/** Arguments of a filter, test, method or function call. */
export interface CallArgs {
  args: ExprNode[];
  kwargs: Array<[string, ExprNode]>;
}

/** One node of a parsed expression. */
export type ExprNode = { pos: number } & (
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'variable'; name: string }
  | { kind: 'member'; object: ExprNode; key: ExprNode | string }
  | { kind: 'slice'; object: ExprNode; start?: ExprNode | undefined; stop?: ExprNode | undefined; step?: ExprNode | undefined }
  | { kind: 'list'; items: ExprNode[]; tuple?: boolean }
  | { kind: 'dict'; entries: Array<[ExprNode, ExprNode]> }
  | { kind: 'not'; arg: ExprNode }
  | { kind: 'negate'; op: '-' | '+'; arg: ExprNode }
  | { kind: 'logic'; op: 'and' | 'or'; left: ExprNode; right: ExprNode }
  | { kind: 'binary'; op: BinaryOp; left: ExprNode; right: ExprNode }
  | { kind: 'compare'; first: ExprNode; rest: Array<[CompareOp, ExprNode]> }
  | { kind: 'cond'; test: ExprNode; then: ExprNode; else?: ExprNode | undefined }
  | ({ kind: 'filter'; name: string; input: ExprNode } & CallArgs)
  | ({ kind: 'test'; name: string; negated: boolean; input: ExprNode } & CallArgs)
  | ({ kind: 'method'; name: string; object: ExprNode } & CallArgs)
  | ({ kind: 'call'; name: string } & CallArgs)
  /** A whole condition with {{ }} or {% %} inside: rendered as a template, then the text evaluated (ansible-core). */
  | { kind: 'templated'; template: string }
);

/** Source-like text for a variable path (`a.b['c'][0]`), used to name what is undefined. */
export function describePath(n: ExprNode): string {
  if (n.kind === 'variable') return n.name;
  if (n.kind !== 'member') return '(value)';
  if (typeof n.key === 'string') return `${describePath(n.object)}.${n.key}`;
  return `${describePath(n.object)}[${n.key.kind === 'literal' ? JSON.stringify(n.key.value) : '...'}]`;
}
