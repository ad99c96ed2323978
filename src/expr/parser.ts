// Recursive-descent parser for Jinja expressions, with Jinja's precedence (lowest first):
//   A if C else B  <  or  <  and  <  not  <  == != < <= > >= in, not in (chained)  <  + -  <  ~  <  * / // %
//   <  **  <  unary - +  <  postfix: .name  [key]  [a:b]  .method()  | filter  is test
// Filters, tests, methods and functions are checked against our tables here, once, before anything runs.
import { didYouMean } from '../util/did-you-mean.js';
import type { CallArgs, CompareOp, ExprNode } from './ast.js';
import { checkArgs, type CallableDef } from './callable.js';
import { FILTERS } from './filters.js';
import { FUNCTIONS, refusedFunction } from './functions.js';
import { tokenize, type LexOptions, type Token } from './lexer.js';
import { SyntaxProblem } from '../errors/syntax-problem.js';
import { METHODS } from './methods.js';
import { TESTS } from './tests.js';
import { FORBIDDEN_KEYS } from './values.js';

const LITERALS: Readonly<Record<string, boolean | null>> = {
  true: true,
  false: false,
  True: true,
  False: false,
  none: null,
  None: null,
  null: null,
};
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else']);
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Collection prefixes under which our filters and tests are also found (`ansible.builtin.to_json`). */
const BUILTIN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];
/** Filters of other collections that we implement, by their full name. */
const COLLECTION_ALIASES: Readonly<Record<string, string>> = { 'ansible.utils.ipwrap': 'ipwrap', 'ansible.netcommon.ipwrap': 'ipwrap' };

/** The name a filter or test is known by here (`ansible.builtin.default` is `default`). */
export function canonicalName(name: string): string {
  const alias = COLLECTION_ALIASES[name];
  if (alias) return alias;
  const prefix = BUILTIN_PREFIXES.find((p) => name.startsWith(p));
  return prefix ? name.slice(prefix.length) : name;
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly src: string,
  ) {}

  private get cur(): Token {
    return this.toks[this.i] ?? { type: 'end', pos: this.src.length };
  }

  private peek(n = 1): Token {
    return this.toks[this.i + n] ?? { type: 'end', pos: this.src.length };
  }

  private isOp(v: string, t: Token = this.cur): boolean {
    return t.type === 'op' && t.value === v;
  }

  private isWord(v: string, t: Token = this.cur): boolean {
    return t.type === 'name' && t.value === v;
  }

  private next(): Token {
    const t = this.cur;
    this.i++;
    return t;
  }

  private fail(message: string, at: Token = this.cur, hint?: string): never {
    throw new SyntaxProblem(message, at.pos, hint);
  }

  private describe(t: Token): string {
    if (t.type === 'end') return 'end of expression';
    if (t.type === 'string') return 'a string';
    return `"${String(t.value)}"`;
  }

  private expectOp(v: string, context: string): Token {
    if (!this.isOp(v)) this.fail(`expected "${v}" ${context} but found ${this.describe(this.cur)}`);
    return this.next();
  }

  /** The whole input: one expression and nothing after it. */
  parseAll(): ExprNode {
    const node = this.expression();
    if (this.cur.type !== 'end') {
      const t = this.cur;
      const hint =
        t.type === 'op' && t.value === '='
          ? 'use "==" to compare'
          : t.type === 'op' && t.value === ','
            ? 'one expression only; use "and"/"or" to combine conditions'
            : undefined;
      this.fail(`unexpected ${this.describe(t)}`, t, hint);
    }
    return node;
  }

  /** `A if C else B` (else optional) or a plain or-expression. */
  expression(): ExprNode {
    let node = this.or();
    while (this.isWord('if')) {
      const pos = this.next().pos;
      const test = this.or();
      let otherwise: ExprNode | undefined;
      if (this.isWord('else')) {
        this.next();
        otherwise = this.expression();
      }
      node = { kind: 'cond', pos, test, then: node, else: otherwise };
    }
    return node;
  }

  private or(): ExprNode {
    let left = this.and();
    while (this.isWord('or')) left = { kind: 'logic', op: 'or', pos: this.next().pos, left, right: this.and() };
    return left;
  }

  private and(): ExprNode {
    let left = this.not();
    while (this.isWord('and')) left = { kind: 'logic', op: 'and', pos: this.next().pos, left, right: this.not() };
    return left;
  }

  private not(): ExprNode {
    if (this.isWord('not')) {
      const pos = this.next().pos;
      return { kind: 'not', pos, arg: this.not() };
    }
    return this.compare();
  }

  private compareOp(): CompareOp | undefined {
    const t = this.cur;
    if (t.type === 'op' && COMPARE.has(t.value)) {
      this.next();
      return t.value as CompareOp;
    }
    if (this.isWord('in')) {
      this.next();
      return 'in';
    }
    if (this.isWord('not') && this.isWord('in', this.peek())) {
      this.i += 2;
      return 'not in';
    }
    return undefined;
  }

  private compare(): ExprNode {
    const first = this.add();
    const rest: Array<[CompareOp, ExprNode]> = [];
    const pos = this.cur.pos;
    for (let op = this.compareOp(); op; op = this.compareOp()) rest.push([op, this.add()]);
    return rest.length ? { kind: 'compare', pos, first, rest } : first;
  }

  private add(): ExprNode {
    let left = this.concat();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { kind: 'binary', op: t.type === 'op' && t.value === '-' ? '-' : '+', pos: t.pos, left, right: this.concat() };
    }
    return left;
  }

  private concat(): ExprNode {
    let left = this.mul();
    while (this.isOp('~')) left = { kind: 'binary', op: '~', pos: this.next().pos, left, right: this.mul() };
    return left;
  }

  private mul(): ExprNode {
    let left = this.pow();
    for (let t = this.cur; t.type === 'op' && ['*', '/', '//', '%'].includes(t.value); t = this.cur) {
      this.next();
      left = { kind: 'binary', op: t.value as '*' | '/' | '//' | '%', pos: t.pos, left, right: this.pow() };
    }
    return left;
  }

  private pow(): ExprNode {
    let left = this.unary(true);
    while (this.isOp('**')) left = { kind: 'binary', op: '**', pos: this.next().pos, left, right: this.unary(true) };
    return left;
  }

  /** Jinja: `-x | f` is f(-x); the operand of a sign takes postfix operators but no filters. */
  private unary(withFilters: boolean): ExprNode {
    let node: ExprNode;
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.next();
      node = { kind: 'negate', op: t.type === 'op' && t.value === '-' ? '-' : '+', pos: t.pos, arg: this.unary(false) };
    } else {
      node = this.primary();
    }
    node = this.postfix(node);
    return withFilters ? this.filters(node) : node;
  }

  private primary(): ExprNode {
    const t = this.cur;
    switch (t.type) {
      case 'name': {
        if (KEYWORDS.has(t.value))
          this.fail(
            `unexpected "${t.value}"`,
            t,
            t.value === 'if' || t.value === 'else' ? 'write VALUE if CONDITION else OTHER' : undefined,
          );
        this.next();
        if (Object.hasOwn(LITERALS, t.value)) return { kind: 'literal', pos: t.pos, value: LITERALS[t.value] ?? null };
        if (this.isOp('(')) return this.call(t);
        if (FORBIDDEN_KEYS.has(t.value)) this.fail(`access to "${t.value}" is not allowed`, t);
        return { kind: 'variable', pos: t.pos, name: t.value };
      }
      case 'number':
        this.next();
        return { kind: 'literal', pos: t.pos, value: t.value };
      case 'string': {
        this.next();
        let value = t.value;
        // Adjacent strings are joined, as in Python: 'a' 'b' is 'ab'.
        for (let s = this.cur; s.type === 'string'; s = this.cur) value += (this.next() as { value: string }).value;
        return { kind: 'literal', pos: t.pos, value };
      }
      case 'op':
        if (t.value === '(') return this.group();
        if (t.value === '[') return this.list();
        if (t.value === '{') return this.dict();
        return this.fail(`unexpected "${t.value}"`, t);
      case 'end':
        return this.fail('expected a value at the end of the expression', t);
    }
  }

  /** `(x)`, or a tuple `(a, b)` / `(a,)`, which is a list here. */
  private group(): ExprNode {
    const open = this.next();
    if (this.isOp(')')) {
      this.next();
      return { kind: 'list', pos: open.pos, items: [], tuple: true };
    }
    const first = this.expression();
    if (!this.isOp(',')) {
      if (!this.isOp(')'))
        this.fail(
          this.cur.type === 'end' ? 'unclosed "("' : `expected ")" but found ${this.describe(this.cur)}`,
          this.cur.type === 'end' ? open : this.cur,
        );
      this.next();
      return first;
    }
    const items = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.isOp(')')) break;
      items.push(this.expression());
    }
    this.expectOp(')', 'to close the tuple');
    return { kind: 'list', pos: open.pos, items, tuple: true };
  }

  private list(): ExprNode {
    const open = this.next();
    const items: ExprNode[] = [];
    while (!this.isOp(']')) {
      if (this.cur.type === 'end') this.fail('unclosed "["', open);
      if (items.length) {
        this.expectOp(',', 'between list elements');
        if (this.isOp(']')) break;
      }
      items.push(this.expression());
    }
    this.next();
    return { kind: 'list', pos: open.pos, items };
  }

  private dict(): ExprNode {
    const open = this.next();
    const entries: Array<[ExprNode, ExprNode]> = [];
    while (!this.isOp('}')) {
      if (this.cur.type === 'end') this.fail('unclosed "{"', open);
      if (entries.length) {
        this.expectOp(',', 'between mapping entries');
        if (this.isOp('}')) break;
      }
      const key = this.expression();
      this.expectOp(':', 'after a mapping key');
      entries.push([key, this.expression()]);
    }
    this.next();
    return { kind: 'dict', pos: open.pos, entries };
  }

  /** `(a, b, name=value)`: the arguments of a call. */
  private callArgs(): CallArgs {
    const open = this.expectOp('(', 'to start the arguments');
    const out: CallArgs = { args: [], kwargs: [] };
    while (!this.isOp(')')) {
      if (this.cur.type === 'end') this.fail('unclosed "(" of the arguments', open);
      if (out.args.length + out.kwargs.length > 0) {
        this.expectOp(',', 'between arguments');
        if (this.isOp(')')) break;
      }
      if (this.isOp('*') || this.isOp('**')) this.fail('"*args" and "**kwargs" are not supported');
      const t = this.cur;
      if (t.type === 'name' && this.isOp('=', this.peek())) {
        this.i += 2;
        out.kwargs.push([t.value, this.expression()]);
      } else {
        if (out.kwargs.length) this.fail('a positional argument cannot follow a named one');
        out.args.push(this.expression());
      }
    }
    this.next();
    return out;
  }

  private postfix(base: ExprNode): ExprNode {
    let node = base;
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.type === 'number' && !t.float) {
          node = { kind: 'member', pos: t.pos, object: node, key: { kind: 'literal', pos: t.pos, value: t.value } };
        } else if (t.type === 'name') {
          if (FORBIDDEN_KEYS.has(t.value)) this.fail(`access to "${t.value}" is not allowed`, t);
          node = this.isOp('(') ? this.method(node, t) : { kind: 'member', pos: t.pos, object: node, key: t.value };
        } else {
          this.fail(`expected a name after "." but found ${this.describe(t)}`, t);
        }
      } else if (this.isOp('[')) {
        node = this.subscript(node);
      } else if (this.isOp('(')) {
        this.fail('only methods (x.split(",")) and a few functions (range) can be called', this.cur, 'use a filter: VALUE | name(args)');
      } else {
        return node;
      }
    }
  }

  private subscript(object: ExprNode): ExprNode {
    const open = this.next();
    const part = (): ExprNode | undefined => (this.isOp(':') || this.isOp(']') ? undefined : this.expression());
    const start = part();
    if (this.isOp(']') && start) {
      this.next();
      if (start.kind === 'literal' && typeof start.value === 'string' && FORBIDDEN_KEYS.has(start.value))
        this.fail(`access to "${start.value}" is not allowed`, open);
      return { kind: 'member', pos: open.pos, object, key: start };
    }
    this.expectOp(':', 'in a subscript');
    const stop = part();
    let step: ExprNode | undefined;
    if (this.isOp(':')) {
      this.next();
      step = part();
    }
    this.expectOp(']', 'to close the subscript');
    return { kind: 'slice', pos: open.pos, object, start, stop, step };
  }

  /** `| name(args)` and `is [not] name(args)` (or `is name ARG`), repeated. */
  private filters(base: ExprNode): ExprNode {
    let node = base;
    for (;;) {
      if (this.isOp('|')) {
        this.next();
        const { name, pos } = this.dottedName('filter');
        const a = this.isOp('(') ? this.callArgs() : { args: [], kwargs: [] };
        this.check('filter', FILTERS, name, pos, a);
        node = { kind: 'filter', pos, name, input: node, ...a };
      } else if (this.isWord('is')) {
        this.next();
        const negated = this.isWord('not');
        if (negated) this.next();
        const { name, pos } = this.dottedName('test');
        const a = this.isOp('(') ? this.callArgs() : this.bareTestArg();
        this.check('test', TESTS, name, pos, a);
        node = { kind: 'test', pos, name, negated, input: node, ...a };
      } else {
        return node;
      }
    }
  }

  /** Jinja's `x is divisibleby 3`: one argument without parentheses. */
  private bareTestArg(): CallArgs {
    const t = this.cur;
    const startsValue =
      t.type === 'string' || t.type === 'number' || (t.type === 'name' && !KEYWORDS.has(t.value)) || this.isOp('[') || this.isOp('{');
    if (!startsValue) return { args: [], kwargs: [] };
    return { args: [this.postfix(this.primary())], kwargs: [] };
  }

  private dottedName(what: 'filter' | 'test'): { name: string; pos: number } {
    const first = this.cur;
    if (first.type !== 'name')
      this.fail(`expected a ${what} name after "${what === 'filter' ? '|' : 'is'}" but found ${this.describe(first)}`);
    this.next();
    let name = first.value;
    for (let part = this.peek(); this.isOp('.') && part.type === 'name'; part = this.peek()) {
      this.i += 2;
      name += `.${part.value}`;
    }
    return { name: canonicalName(name), pos: first.pos };
  }

  private check(what: 'filter' | 'test', table: Readonly<Record<string, CallableDef>>, name: string, pos: number, a: CallArgs): void {
    const def = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!def) {
      const head = name.split('.')[0] ?? '';
      const collection =
        name.includes('.') && !Object.hasOwn(table, head)
          ? `; filters and tests of collections other than ansible.builtin are not available`
          : '';
      const attr =
        name.includes('.') && Object.hasOwn(table, head)
          ? `to read a key of the result, use parentheses: (VALUE | ${head}).${name.slice(head.length + 1)}`
          : undefined;
      const other =
        attr ??
        (what === 'filter' && Object.hasOwn(TESTS, name)
          ? `"${name}" is a test: write VALUE is ${name}`
          : what === 'test' && Object.hasOwn(FILTERS, name)
            ? `"${name}" is a filter: write VALUE | ${name}`
            : undefined);
      throw new SyntaxProblem(`unknown ${what} "${name}"${collection}`, pos, other ?? didYouMean(name, Object.keys(table)));
    }
    const problem = checkArgs(
      `${what} "${name}"`,
      def,
      a.args.length,
      a.kwargs.map(([k]) => k),
    );
    if (problem) throw new SyntaxProblem(problem, pos);
    this.checkNamedCallee(name, a);
  }

  /** `map('upper')`, `select('match', 're')`, `selectattr('k', 'equalto', 1)`: the named filter or test must exist. */
  private checkNamedCallee(name: string, a: CallArgs): void {
    const at = name === 'map' ? 0 : name === 'select' || name === 'reject' ? 0 : name === 'selectattr' || name === 'rejectattr' ? 1 : -1;
    const arg = at >= 0 ? a.args[at] : undefined;
    if (arg?.kind !== 'literal' || typeof arg.value !== 'string') return;
    const kind = name === 'map' ? 'filter' : 'test';
    const table: Readonly<Record<string, CallableDef>> = kind === 'filter' ? FILTERS : TESTS;
    const callee = canonicalName(arg.value);
    if (!Object.hasOwn(table, callee))
      throw new SyntaxProblem(`${name}: unknown ${kind} "${arg.value}"`, arg.pos, didYouMean(callee, Object.keys(table)));
  }

  private method(object: ExprNode, t: Token & { type: 'name' }): ExprNode {
    const a = this.callArgs();
    const def = Object.hasOwn(METHODS, t.value) ? METHODS[t.value] : undefined;
    if (!def) {
      const hint = Object.hasOwn(FILTERS, t.value) ? `use the filter: VALUE | ${t.value}` : didYouMean(t.value, Object.keys(METHODS));
      throw new SyntaxProblem(`unknown method ".${t.value}()" (supported: ${Object.keys(METHODS).join(', ')})`, t.pos, hint);
    }
    const problem = checkArgs(
      `method ".${t.value}()"`,
      def,
      a.args.length,
      a.kwargs.map(([k]) => k),
    );
    if (problem) throw new SyntaxProblem(problem, t.pos);
    return { kind: 'method', pos: t.pos, name: t.value, object, ...a };
  }

  private call(t: Token & { type: 'name' }): ExprNode {
    const a = this.callArgs();
    const def = Object.hasOwn(FUNCTIONS, t.value) ? FUNCTIONS[t.value] : undefined;
    if (!def) {
      const first = a.args[0];
      const refused = refusedFunction(t.value, first?.kind === 'literal' && typeof first.value === 'string' ? first.value : undefined);
      if (refused) throw new SyntaxProblem(refused.message, t.pos, refused.hint);
      const hint = Object.hasOwn(FILTERS, t.value)
        ? `"${t.value}" is a filter: write VALUE | ${t.value}`
        : Object.hasOwn(TESTS, t.value)
          ? `"${t.value}" is a test: write VALUE is ${t.value}`
          : undefined;
      throw new SyntaxProblem(`unknown function "${t.value}()" (the functions are: ${Object.keys(FUNCTIONS).join(', ')})`, t.pos, hint);
    }
    const problem = checkArgs(
      `function "${t.value}()"`,
      def,
      a.args.length,
      a.kwargs.map(([k]) => k),
    );
    if (problem) throw new SyntaxProblem(problem, t.pos);
    return { kind: 'call', pos: t.pos, name: t.value, ...a };
  }
}

/** Parses an expression into a checked tree; throws SyntaxProblem (with the offset) on the first problem. */
export function parseTree(src: string, o: LexOptions = {}): ExprNode {
  return new Parser(tokenize(src, o), src).parseAll();
}
