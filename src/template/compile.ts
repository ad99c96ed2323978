// The isolated Handlebars environment: our helpers only, templates compiled once per distinct
// string (noEscape, strict, known helpers only) after being checked and rewritten.
import Handlebars from 'handlebars';
import { didYouMean } from '../util/did-you-mean.js';
import { evaluate, pyStr } from '../expr/index.js';
import { ABSENT, describeKeys, isMapping, lookupOwn, truthy } from '../expr/values.js';
import { ValueProblem } from '../errors/value-problem.js';
import { HELPERS, type HelperDef } from './helpers.js';
import { PLACEHOLDER, splitTemplate, type JinjaSlot } from './jinja-split.js';
import { INTERNAL, Rewriter, type TemplateIssue } from './rewrite.js';
import { UndefinedVariable } from '../errors/undefined-variable.js';
import { LOCALS, jinjaFor, keepTrailingNewlines, ownedCopy } from './jinja-runtime.js';
import { FOR_HELPER } from './jinja-statements.js';

const hb = Handlebars.create();
hb.unregisterHelper('lookup'); // replaced by our own-property-only `lookup`
hb.unregisterHelper('log'); // would print to the console

/** Where the raw value goes when a template is a single `{{ path }}` rendered for its value. */
interface RawBox {
  value: unknown;
}

function optionsOf(args: unknown[]): {
  root: unknown;
  box: RawBox | undefined;
  slots: JinjaSlot[];
  locals: Record<string, unknown> | undefined;
} {
  const opts = args.at(-1);
  const data = isMapping(opts) && isMapping(opts['data']) ? opts['data'] : {};
  const box = data['tsplayRaw'];
  const slots = data['tsplayJinja'];
  const locals = data[LOCALS];
  return {
    root: data['root'],
    box: isMapping(box) ? (box as unknown as RawBox) : undefined,
    slots: Array.isArray(slots) ? (slots as JinjaSlot[]) : [],
    locals: isMapping(locals) ? locals : undefined,
  };
}

/**
 * `tsplay_jinja MODE N values...`: evaluates the template's Nth Jinja expression against the variables (the root
 * context) and the block parameters it reads. `print` gives text as Ansible prints it (True, ['a', 'b']; null is
 * an error, as for every mustache), or the raw value for a single-expression template; `test` Jinja truthiness.
 */
function jinja(...all: unknown[]): unknown {
  const [mode, index, ...values] = all.slice(0, -1);
  const { root, box, slots, locals } = optionsOf(all);
  const slot = slots[Number(index)];
  if (!slot) throw new ValueProblem('internal: unknown template expression');
  const inner: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  slot.blockParams.forEach((name, i) => {
    if (values[i] !== undefined) inner[name] = values[i];
  });
  if (locals) Object.assign(inner, locals);
  const v = evaluate(slot.expr, inner, isMapping(root) ? root : {}, true);
  if (mode === 'set') {
    if (!locals || slot.target === undefined) throw new ValueProblem('internal: {% set %} outside a Jinja template');
    locals[slot.target] = ownedCopy(v);
    return '';
  }
  if (mode === 'test') return truthy(v);
  if (mode === 'value') return v;
  if (box) {
    box.value = v;
    return '';
  }
  if (v === null)
    throw new ValueProblem(
      `expression "${slot.expr.source}" is null (write ${slot.expr.source} | default('', true) to print an empty string)`,
    );
  return pyStr(v);
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
      const inBlock = isMapping(root) && Object.hasOwn(root, name) && !name.includes('/') && !name.startsWith('@');
      const detail = inBlock
        ? `inside {{#each}} and {{#with}} a path is read from the block's element: write @root.${name}, or a Jinja expression ({{ ${name} | string }})`
        : isMapping(root)
          ? didYouMean(name, Object.keys(root))
          : undefined;
      throw new UndefinedVariable(name, detail);
    }
    let v: unknown = head;
    for (const part of rest.map(String)) {
      const next = lookupOwn(v, part);
      if (next === ABSENT) {
        if (soft) return undefined;
        throw new UndefinedVariable(
          `${name}.${part}`,
          v === null ? `"${name}" is null` : `"${name}" has no key "${part}"${describeKeys(v)}`,
        );
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
hb.registerHelper(INTERNAL.jinja, jinja);
hb.registerHelper(FOR_HELPER, function (this: unknown, ...all: unknown[]) {
  return jinjaFor(hb, this, all);
});

const knownHelpers: Record<string, boolean> = { lookup: true, log: false };
for (const name of [...Object.keys(HELPERS), ...Object.values(INTERNAL), FOR_HELPER]) knownHelpers[name] = true;
const OPTIONS = { noEscape: true, strict: true, knownHelpers, knownHelpersOnly: true };

/** A template after checking: its issues, or the compiled function; `raw` when it is a single `{{ path }}` or `{{ expression }}`. */
export interface Compiled {
  issues: TemplateIssue[];
  raw: boolean;
  render?: (vars: Record<string, unknown>, box?: RawBox) => string;
  /** The Handlebars tree before rewriting (Jinja expressions are `tsplay_jinja_slot N` mustaches). */
  ast?: hbs.AST.Program;
  /** The Jinja expressions, by placeholder index. */
  slots: JinjaSlot[];
  /** The template has Jinja statements or comments (rendered with Jinja's whitespace rules). */
  jinja: boolean;
  /** Names its `{% set %}` and `{% for %}` statements bind. */
  bound: ReadonlySet<string>;
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
  if (got)
    return { message: `template syntax error: unexpected ${TOKENS[got] ?? got}${/'CLOSE'/.test(msg) ? ' (expected "}}")' : ''}`, line };
  return { message: `template syntax error: ${msg.split('\n')[0] ?? msg}`, line };
}

/** A single `{{ path }}` or `{{ jinja expression }}` and nothing around it: rendered for its value. */
function isSingleValue(ast: hbs.AST.Program): boolean {
  const [only, ...more] = ast.body;
  if (!only || more.length > 0 || only.type !== 'MustacheStatement') return false;
  const m = only as hbs.AST.MustacheStatement;
  if (m.path.type === 'PathExpression' && (m.path as hbs.AST.PathExpression).original === PLACEHOLDER) return true;
  return m.path.type === 'PathExpression' && m.params.length === 0 && (!m.hash || m.hash.pairs.length === 0);
}

function build(s: string): Compiled {
  const split = splitTemplate(s);
  const jinjaMode = split.jinja;
  // Jinja keeps the spaces around a statement on its own line (no Handlebars "standalone" stripping).
  const parseOptions = { ignoreStandalone: jinjaMode };
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(split.text, parseOptions);
  } catch (e) {
    return {
      issues: split.issues.length > 0 ? split.issues : [syntaxIssue(e, s)],
      raw: false,
      slots: split.slots,
      jinja: jinjaMode,
      bound: split.bound,
    };
  }
  const raw = isSingleValue(ast);
  const original = hb.parse(split.text, parseOptions);
  const rw = new Rewriter(split.slots);
  rw.program(ast);
  // Every problem of the template, in the order of its lines.
  const issues = [...split.issues, ...rw.issues]
    .map((x, i) => ({ x, i }))
    .sort((a, b) => a.x.line - b.x.line || a.i - b.i)
    .map((e) => e.x);
  if (issues.length > 0) return { issues, raw, ast: original, slots: split.slots, jinja: jinjaMode, bound: split.bound };
  const template = hb.compile(ast, { ...OPTIONS, ...parseOptions });
  const render = (vars: Record<string, unknown>, box?: RawBox): string => {
    const data = {
      tsplayRaw: box,
      tsplayJinja: split.slots,
      [LOCALS]: jinjaMode ? (Object.create(null) as Record<string, unknown>) : undefined,
    };
    const text = template(vars, { data });
    return jinjaMode ? keepTrailingNewlines(s, text) : text;
  };
  return { issues: [], raw, ast: original, slots: split.slots, render, jinja: jinjaMode, bound: split.bound };
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
