// The isolated Handlebars environment: our helpers only, templates compiled once per distinct
// string (noEscape, strict, known helpers only) after being checked and rewritten.
import Handlebars from 'handlebars';
import { didYouMean } from '../util/did-you-mean.js';
import { ABSENT, ValueProblem, describeKeys, isMapping, lookupOwn } from '../expr/values.js';
import { HELPERS, type HelperDef } from './helpers.js';
import { INTERNAL, Rewriter, type TemplateIssue } from './rewrite.js';
import { UndefinedVariable } from './errors.js';

const hb = Handlebars.create();
hb.unregisterHelper('lookup'); // replaced by our own-property-only `lookup`
hb.unregisterHelper('log'); // would print to the console

/** Where the raw value goes when a template is a single `{{ path }}` rendered for its value. */
interface RawBox {
  value: unknown;
}

function optionsOf(args: unknown[]): { root: unknown; box: RawBox | undefined } {
  const opts = args.at(-1);
  const data = isMapping(opts) && isMapping(opts['data']) ? opts['data'] : {};
  const box = data['tsplayRaw'];
  return { root: data['root'], box: isMapping(box) ? (box as unknown as RawBox) : undefined };
}

function wrap(name: string, def: HelperDef): (...all: unknown[]) => unknown {
  return (...all) => {
    const args = all.slice(0, -1);
    args.forEach((a, i) => {
      if (a === undefined && !(i === 0 && def.acceptsUndefined)) {
        throw new ValueProblem(`helper "${name}" got no value for argument ${i + 1} (a helper inside it returned nothing)`);
      }
    });
    return def.fn(args);
  };
}

/** `tsplay_get "a" a "b" "c"`: reads a.b.c; undefined at any step is an error (or undefined when soft). */
function getter(soft: boolean): (...all: unknown[]) => unknown {
  return (...all) => {
    const [headName, head, ...rest] = all.slice(0, -1);
    let name = String(headName);
    if (head === undefined) {
      if (soft) return undefined;
      const { root } = optionsOf(all);
      throw new UndefinedVariable(name, isMapping(root) ? didYouMean(name, Object.keys(root)) : undefined);
    }
    let v: unknown = head;
    for (const part of rest.map(String)) {
      const next = lookupOwn(v, part);
      if (next === ABSENT) {
        if (soft) return undefined;
        throw new UndefinedVariable(`${name}.${part}`, v === null ? `"${name}" is null` : `"${name}" has no key "${part}"${describeKeys(v)}`);
      }
      v = next;
      name = `${name}.${part}`;
    }
    return v;
  };
}

/** `tsplay_out "what" value`: the text printed for a mustache, or the raw value captured. */
function output(...all: unknown[]): unknown {
  const [desc, value] = all;
  const { box } = optionsOf(all);
  if (box) {
    box.value = value;
    return '';
  }
  if (value === undefined) throw new ValueProblem(`${String(desc)} returned no value`);
  if (value === null) {
    const what = String(desc);
    throw new ValueProblem(`${what} ${what.startsWith('variable') ? 'is' : 'returned'} null (use {{default x ""}} to print a fallback)`);
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

for (const [name, def] of Object.entries(HELPERS)) hb.registerHelper(name, wrap(name, def));
hb.registerHelper(INTERNAL.get, getter(false));
hb.registerHelper(INTERNAL.soft, getter(true));
hb.registerHelper(INTERNAL.out, output);

const knownHelpers: Record<string, boolean> = { lookup: true, log: false };
for (const name of [...Object.keys(HELPERS), ...Object.values(INTERNAL)]) knownHelpers[name] = true;
const OPTIONS = { noEscape: true, strict: true, knownHelpers, knownHelpersOnly: true };

/** A template after checking: its issues, or the compiled function; `raw` when it is a single `{{ path }}`. */
export interface Compiled {
  issues: TemplateIssue[];
  raw: boolean;
  render?: (vars: Record<string, unknown>, box?: RawBox) => string;
  ast?: hbs.AST.Program;
}

/** Friendly names for Handlebars' parser tokens. */
const TOKENS: Record<string, string> = {
  INVALID: 'character',
  OPEN_SEXPR: '"("',
  CLOSE_SEXPR: '")"',
  OPEN: '"{{"',
  CLOSE: '"}}"',
  OPEN_UNESCAPED: '"{{{"',
  CLOSE_UNESCAPED: '"}}}"',
  ID: 'name',
  STRING: 'string',
  NUMBER: 'number',
  EQUALS: '"="',
  SEP: '"."',
  DATA: '"@"',
};

function syntaxIssue(e: unknown, s: string): TemplateIssue {
  const msg = e instanceof Error ? e.message : String(e);
  const line = Number(/on line (\d+)/.exec(msg)?.[1] ?? 1);
  const opened = s.split('{{').length - 1;
  const closed = s.split('}}').length - 1;
  if (opened > closed) return { message: `template syntax error: a "{{" is not closed with "}}"`, line };
  const got = /got '(\w+)'/.exec(msg)?.[1];
  if (got === 'EOF') return { message: 'template syntax error: unexpected end of template (is a {{/...}} or "}}" missing?)', line };
  if (got) return { message: `template syntax error: unexpected ${TOKENS[got] ?? got}${/'CLOSE'/.test(msg) ? ' (expected "}}")' : ''}`, line };
  return { message: `template syntax error: ${msg.split('\n')[0] ?? msg}`, line };
}

function isSinglePath(ast: hbs.AST.Program): boolean {
  const [only, ...more] = ast.body;
  if (!only || more.length > 0 || only.type !== 'MustacheStatement') return false;
  const m = only as hbs.AST.MustacheStatement;
  return m.path.type === 'PathExpression' && m.params.length === 0 && (!m.hash || m.hash.pairs.length === 0);
}

function build(s: string): Compiled {
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(s);
  } catch (e) {
    return { issues: [syntaxIssue(e, s)], raw: false };
  }
  const raw = isSinglePath(ast);
  const original = hb.parse(s);
  const rw = new Rewriter();
  rw.program(ast);
  if (rw.issues.length > 0) return { issues: rw.issues, raw, ast: original };
  const template = hb.compile(ast, OPTIONS);
  return { issues: [], raw, ast: original, render: (vars, box) => template(vars, { data: box ? { tsplayRaw: box } : {} }) };
}

const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 10_000;

/** Parses, checks, rewrites and compiles a template once per distinct string. */
export function compiled(s: string): Compiled {
  let c = cache.get(s);
  if (!c) {
    c = build(s);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(s, c);
  }
  return c;
}
