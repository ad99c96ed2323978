// Operator precedence of the condition language, run inside jsep (which parses the tokens:
// literals, names, `.field`, `[index]`, `[lists]`, `(groups)`). Lowest to highest, as in Jinja:
// or < and < not < comparisons/in < + - ~ < * / // % < unary - < postfix `| filter`, `is test`.
import type jsep from 'jsep';
import type { JsepParser } from './jsep-env.js';

type Node = jsep.Expression;

const RESERVED = new Set(['and', 'or', 'not', 'in', 'is']);
const COMPARE = ['==', '!=', '<=', '>=', '<', '>'] as const;

function isIdentChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Consumes keyword `w` (whole word only) if it comes next. */
function word(p: JsepParser, w: string): boolean {
  p.gobbleSpaces();
  if (!p.expr.startsWith(w, p.index) || isIdentChar(p.expr.charCodeAt(p.index + w.length))) return false;
  p.index += w.length;
  return true;
}

/** Consumes the first of `ops` (symbols) that comes next, or returns undefined. */
function symbol<T extends string>(p: JsepParser, ops: readonly T[]): T | undefined {
  p.gobbleSpaces();
  const op = ops.find((o) => p.expr.startsWith(o, p.index));
  if (op) p.index += op.length;
  return op;
}

/** The next character (not narrowed by earlier checks). */
function peek(p: JsepParser): string {
  return p.expr.charAt(p.index);
}

function binary(type: string, operator: string, left: Node, right: Node): Node {
  return { type, operator, left, right };
}

/** The jsep `gobble-expression` hook: nothing at a closing bracket or separator (jsep handles those). */
export function gobbleExpression(p: JsepParser): Node | undefined {
  p.gobbleSpaces();
  return p.index >= p.expr.length || ')]},:'.includes(p.char) ? undefined : parseOr(p);
}

/** Parses a whole expression at the parser's position. */
export function parseOr(p: JsepParser): Node {
  let left = parseAnd(p);
  while (word(p, 'or')) left = binary('Logical', 'or', left, parseAnd(p));
  return left;
}

function parseAnd(p: JsepParser): Node {
  let left = parseNot(p);
  while (word(p, 'and')) left = binary('Logical', 'and', left, parseNot(p));
  return left;
}

function parseNot(p: JsepParser): Node {
  return word(p, 'not') ? { type: 'Not', argument: parseNot(p) } : parseCompare(p);
}

function compareOp(p: JsepParser): string | undefined {
  const start = p.index;
  if (word(p, 'in')) return 'in';
  if (word(p, 'not')) {
    if (word(p, 'in')) return 'not in';
    p.index = start;
    return undefined;
  }
  return symbol(p, COMPARE);
}

function parseCompare(p: JsepParser): Node {
  const left = parseAdd(p);
  const op = compareOp(p);
  if (!op) return left;
  const node = binary('Op', op, left, parseAdd(p));
  const at = p.index;
  if (compareOp(p)) {
    p.index = at;
    p.throwError('chained comparisons are not supported, combine them with "and"');
  }
  return node;
}

function parseAdd(p: JsepParser): Node {
  let left = parseMul(p);
  for (let op = symbol(p, ['+', '-', '~']); op; op = symbol(p, ['+', '-', '~'])) {
    left = binary('Op', op, left, parseMul(p));
  }
  return left;
}

function parseMul(p: JsepParser): Node {
  let left = parseUnary(p);
  for (let op = symbol(p, ['*', '//', '/', '%']); op; op = symbol(p, ['*', '//', '/', '%'])) {
    left = binary('Op', op, left, parseUnary(p));
  }
  return left;
}

function parseUnary(p: JsepParser): Node {
  const op = symbol(p, ['-', '+']);
  return op ? { type: 'Negate', operator: op, argument: parseUnary(p) } : parsePostfix(p);
}

function parsePostfix(p: JsepParser): Node {
  let node = parsePrimary(p);
  for (;;) {
    p.gobbleSpaces();
    if (p.char === '|' && p.expr[p.index + 1] !== '|') {
      p.index++;
      node = { type: 'Filter', input: node, ...parseCall(p, 'filter') };
    } else if (word(p, 'is')) {
      const negated = word(p, 'not');
      node = { type: 'Test', input: node, negated, ...parseCall(p, 'test') };
    } else {
      return node;
    }
  }
}

/** `name` or `name(arg, ...)` after `|` or `is`. */
function parseCall(p: JsepParser, what: string): { name: string; pos: number; arguments: Node[] } {
  p.gobbleSpaces();
  const pos = p.index;
  while (isIdentChar(p.code)) p.index++;
  const name = p.expr.slice(pos, p.index);
  if (!name) p.throwError(`expected a ${what} name`);
  p.gobbleSpaces();
  const args: Node[] = [];
  if (p.char === '(') {
    p.index++;
    for (p.gobbleSpaces(); peek(p) !== ')'; p.gobbleSpaces()) {
      if (args.length > 0 && !symbol(p, [','])) p.throwError('expected "," or ")"');
      args.push(parseOr(p));
      p.gobbleSpaces();
      if (p.index >= p.expr.length) p.throwError(`unclosed "(" after ${what} "${name}"`);
    }
    p.index++;
  }
  return { name, pos, arguments: args };
}

function parsePrimary(p: JsepParser): Node {
  p.gobbleSpaces();
  const start = p.index;
  if (p.char === '{') return p.gobbleTokenProperty(parseDict(p));
  if (p.char === '(') return p.gobbleTokenProperty(parseGroup(p));
  if (p.char === "'" || p.char === '"') return p.gobbleTokenProperty(parseString(p));
  const node: jsep.Expression | false | undefined = p.gobbleToken();
  if (!node) {
    if (p.index >= p.expr.length) p.throwError('expected a value at the end of the expression');
    p.throwError(`unexpected "${p.char}"`);
  }
  if (node.type === 'Identifier' && typeof node['name'] === 'string' && RESERVED.has(node['name'])) {
    p.index = start;
    p.throwError(`unexpected "${node['name']}"`);
  }
  return node;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

/** A quoted string with Python's rules: known escapes are translated, `\.` and other unknown ones keep the backslash (so regexes like '3\.5' work). */
function parseString(p: JsepParser): Node {
  const start = p.index;
  const quote = p.char;
  let value = '';
  for (p.index++; p.index < p.expr.length; p.index++) {
    const ch = peek(p);
    if (ch === quote) {
      p.index++;
      return { type: 'Literal', value, raw: p.expr.slice(start, p.index) };
    }
    if (ch === '\\' && p.index + 1 < p.expr.length) {
      const next = p.expr.charAt(++p.index);
      value += ESCAPES[next] ?? `\\${next}`;
    } else {
      value += ch;
    }
  }
  return p.throwError(`unclosed quote after "${value}"`);
}

function parseGroup(p: JsepParser): Node {
  p.index++;
  const node = parseOr(p);
  p.gobbleSpaces();
  if (peek(p) !== ')') p.throwError(p.index >= p.expr.length ? 'unclosed "("' : `expected ")" but found "${p.char}"`);
  p.index++;
  return node;
}

function parseDict(p: JsepParser): Node {
  p.index++;
  const keys: Node[] = [];
  const values: Node[] = [];
  for (p.gobbleSpaces(); peek(p) !== '}'; p.gobbleSpaces()) {
    if (keys.length > 0 && !symbol(p, [','])) p.throwError('expected "," or "}"');
    keys.push(parseOr(p));
    if (!symbol(p, [':'])) p.throwError('expected ":" after a mapping key');
    values.push(parseOr(p));
    p.gobbleSpaces();
    if (p.index >= p.expr.length) p.throwError('unclosed "{"');
  }
  p.index++;
  return { type: 'Dict', keys, values };
}
