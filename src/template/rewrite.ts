// Checks a parsed template against what tsplay allows and rewrites it so that every variable read
// goes through our own getter (undefined => error naming the variable; `default` gets a soft one)
// and every printed value goes through our output helper (null/objects handled explicitly).
/// <reference types="handlebars" />
import { didYouMean } from '../util/did-you-mean.js';
import { expressionNames } from '../expr/index.js';
import { FORBIDDEN_KEYS } from '../expr/values.js';
import { BLOCK_HELPERS, HELPERS } from './helpers.js';
import { PLACEHOLDER, type JinjaSlot } from './jinja-split.js';
import { FOR_HELPER } from './jinja-statements.js';

type Node = hbs.AST.Node;
type Expr = hbs.AST.Expression;

/** Names of our internal helpers (not callable from user templates). */
export const INTERNAL = { get: 'tsplay_get', soft: 'tsplay_try', out: 'tsplay_out', jinja: 'tsplay_jinja' } as const;

/** Path segments that are never readable (prototype and Object.prototype members). */
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set([...FORBIDDEN_KEYS, ...Object.getOwnPropertyNames(Object.prototype)]);

/** One problem found in a template, with its 1-based line in the template. */
export interface TemplateIssue {
  message: string;
  hint?: string | undefined;
  line: number;
}

const path = (name: string, loc: hbs.AST.SourceLocation): hbs.AST.PathExpression => ({
  type: 'PathExpression',
  data: false,
  depth: 0,
  parts: [name],
  original: name,
  loc,
});
const str = (value: string, loc: hbs.AST.SourceLocation): hbs.AST.StringLiteral => ({ type: 'StringLiteral', value, original: value, loc });
const num = (value: number, loc: hbs.AST.SourceLocation): hbs.AST.NumberLiteral => ({ type: 'NumberLiteral', value, original: value, loc });
const isPath = (n: Node): n is hbs.AST.PathExpression => n.type === 'PathExpression';
const isSub = (n: Node): n is hbs.AST.SubExpression => n.type === 'SubExpression';

/** True for the placeholder of a Jinja expression (`tsplay_jinja_slot N`, only ever written by splitTemplate). */
function slotIndex(call: { path: Node; params: Expr[] }): number | undefined {
  const p = call.path;
  const [first] = call.params;
  if (!isPath(p) || p.original !== PLACEHOLDER || first?.type !== 'NumberLiteral') return undefined;
  return (first as hbs.AST.NumberLiteral).value;
}

/** Walks one template, collecting issues and rewriting in place. */
export class Rewriter {
  readonly issues: TemplateIssue[] = [];
  /** Block parameters (`as |x i|`) of the enclosing blocks, innermost last. */
  private readonly blockParams: string[][] = [];

  constructor(private readonly slots: JinjaSlot[] = []) {}

  /** `tsplay_jinja MODE N <values of the block parameters the expression reads>`. */
  private jinjaCall(index: number, mode: string, loc: hbs.AST.SourceLocation): { path: hbs.AST.PathExpression; params: Expr[] } {
    const slot = this.slots[index];
    const inScope = new Set(this.blockParams.flat());
    const names = slot ? [...expressionNames(slot.expr.ast).all].filter((n) => inScope.has(n)) : [];
    if (slot) slot.blockParams = names;
    const params: Expr[] = [str(mode, loc), num(index, loc), ...names.map((n) => path(n, loc))];
    return { path: path(INTERNAL.jinja, loc), params };
  }

  private issue(node: Node, message: string, hint?: string): void {
    this.issues.push({ message, hint, line: node.loc?.start.line ?? 1 });
  }

  /** `(tsplay_get "a.b" a "b")`: reads a path, refusing prototype members. */
  private getter(p: hbs.AST.PathExpression, soft: boolean): Expr {
    const bad = p.parts.find((s) => FORBIDDEN_SEGMENTS.has(s));
    if (bad !== undefined) this.issue(p, `access to "${bad}" is not allowed`);
    const [head, ...rest] = p.parts;
    if (head === undefined) return p; // `this`
    const prefix = `${'../'.repeat(p.depth)}${p.data ? '@' : ''}`;
    const headPath: hbs.AST.PathExpression = { ...p, parts: [head] };
    const sub: hbs.AST.SubExpression = {
      type: 'SubExpression',
      path: path(soft ? INTERNAL.soft : INTERNAL.get, p.loc),
      params: [str(`${prefix}${head}`, p.loc), headPath, ...rest.map((r) => str(r, p.loc))],
      hash: { type: 'Hash', pairs: [], loc: p.loc },
      loc: p.loc,
    };
    return sub;
  }

  /** Rewrites a value position (helper argument, hash value); a Jinja placeholder only as a block's argument. */
  private value(e: Expr, soft = false, blockArg = false): Expr {
    if (isPath(e)) return this.getter(e, soft);
    if (isSub(e)) {
      const index = blockArg ? slotIndex(e) : undefined;
      if (index !== undefined) {
        const { path: p, params } = this.jinjaCall(index, this.slots[index]?.mode ?? 'value', e.loc);
        e.path = p;
        e.params = params;
      } else this.helperCall(e);
    }
    return e;
  }

  private helperCall(call: { path: Node; params: Expr[]; hash?: hbs.AST.Hash | undefined }): string | undefined {
    const callee = call.path;
    if (!isPath(callee) || callee.data || callee.depth > 0 || callee.parts.length !== 1 || !callee.parts[0]) {
      this.issue(callee, `"${isPath(callee) ? callee.original : 'a literal'}" cannot be called as a helper`);
      return undefined;
    }
    const name = callee.parts[0];
    const def = Object.hasOwn(HELPERS, name) ? HELPERS[name] : undefined;
    if (!def) {
      this.issue(callee, `unknown helper "${name}"`, didYouMean(name, Object.keys(HELPERS)));
      return undefined;
    }
    if (call.params.length < def.min || call.params.length > def.max) {
      const want = def.min === def.max ? `${def.min}` : `${def.min} to ${def.max}`;
      this.issue(callee, `helper "${name}" takes ${want} argument(s), got ${call.params.length}`);
    }
    if (call.hash && call.hash.pairs.length > 0) this.issue(callee, `helper "${name}" takes no named (key=value) arguments`);
    call.params = call.params.map((p, i) => this.value(p, i === 0 && def.acceptsUndefined === true));
    return name;
  }

  private mustache(m: hbs.AST.MustacheStatement): void {
    const loc = m.loc;
    const out = path(INTERNAL.out, loc);
    const empty: hbs.AST.Hash = { type: 'Hash', pairs: [], loc };
    const index = slotIndex(m);
    if (index !== undefined) {
      const { path: p, params } = this.jinjaCall(index, this.slots[index]?.mode === 'set' ? 'set' : 'print', loc);
      m.path = p;
      m.params = params;
    } else if (!isPath(m.path)) {
      this.issue(m, 'a literal cannot stand alone in {{ }} (write it without braces)');
    } else if (m.params.length === 0 && (!m.hash || m.hash.pairs.length === 0)) {
      const desc = `variable "${m.path.original}"`;
      m.params = [str(desc, loc), this.getter(m.path, false)];
      m.path = out;
    } else {
      const sub: hbs.AST.SubExpression = { type: 'SubExpression', path: m.path, params: m.params, hash: m.hash, loc };
      const name = this.helperCall(sub);
      m.params = [str(`helper "${name ?? '?'}"`, loc), sub];
      m.path = out;
    }
    m.hash = empty;
  }

  private block(b: hbs.AST.BlockStatement): void {
    const name = b.path.parts.length === 1 && !b.path.data && b.path.depth === 0 ? b.path.parts[0] : undefined;
    const [first, ...names] = b.params;
    if (name === FOR_HELPER && first && isSub(first) && slotIndex(first) !== undefined && names.every((n) => n.type === 'StringLiteral')) {
      // a Jinja `{% for %}` (only the splitter writes this block): the iterable, then the names of the loop variables
      b.params = [this.value(first, false, true), ...names];
    } else if (name === undefined || !BLOCK_HELPERS.has(name)) {
      const hint = name !== undefined && !Object.hasOwn(HELPERS, name) ? `use {{#each ${name}}} or {{#if ${name}}}` : undefined;
      this.issue(b, `unknown block helper "${b.path.original}" (allowed: ${[...BLOCK_HELPERS].join(', ')})`, hint);
    } else if (b.params.length !== 1) {
      this.issue(b, `{{#${name}}} takes exactly one argument, got ${b.params.length}`);
    }
    if (b.hash && b.hash.pairs.length > 0) this.issue(b, `{{#${b.path.original}}} takes no named (key=value) arguments`);
    if (name !== FOR_HELPER) b.params = b.params.map((p) => this.value(p, false, true));
    if (b.program) {
      this.blockParams.push(b.program.blockParams ?? []);
      this.program(b.program);
      this.blockParams.pop();
    }
    if (b.inverse) this.program(b.inverse);
  }

  /** Checks and rewrites every statement of a program. */
  program(p: hbs.AST.Program): void {
    for (const s of p.body) {
      if (s.type === 'MustacheStatement') this.mustache(s as hbs.AST.MustacheStatement);
      else if (s.type === 'BlockStatement') this.block(s as hbs.AST.BlockStatement);
      else if (s.type === 'PartialStatement' || s.type === 'PartialBlockStatement')
        this.issue(s, 'partials ({{> name}}) are not supported');
      else if (s.type === 'Decorator' || s.type === 'DecoratorBlock') this.issue(s, 'decorators ({{* name}}) are not supported');
    }
  }
}
