// Tells Handlebars mustaches from Jinja expressions in a template and replaces each Jinja expression by a
// placeholder mustache that Handlebars can parse. The rule (docs/templates.md):
//   Handlebars: statements ({{#if}}, {{/if}}, {{else}}, {{^x}}, {{!..}}, {{>..}}, {{{x}}}), a plain path
//   ({{x}}, {{a.b}}, {{this}}, {{@index}}, {{../x}}) and a call of one of our helpers ({{q x}}, {{default a "b"}}:
//   a helper name, a space, an argument). Everything else inside {{ }} is a Jinja expression, also as the argument
//   of {{#if}}, {{#unless}}, {{else if}}, {{#each}} and {{#with}}. A template with Jinja statements ({% %}) or comments
//   ({# #}) is Jinja throughout: its plain paths are Jinja expressions too, its statements become Handlebars blocks
//   (jinja-statements.ts).
import { BUILTIN_NAMES, parseBare, type Expression } from '../expr/index.js';
import { HELPERS } from './helpers.js';
import { StatementTranslator, hasStatements } from './jinja-statements.js';

/** One Jinja expression of a template, by placeholder index. */
export interface JinjaSlot {
  expr: Expression;
  /** How its value is used: printed (a mustache), a block's condition (`#if`), a block's value (`#each`, `{% for %}`), or assigned (`{% set %}`). */
  mode: 'print' | 'test' | 'value' | 'set';
  /** The name a `{% set %}` assigns. */
  target?: string;
  /** Block parameters (`as |h|`) of enclosing blocks that the expression reads; set when the template is rewritten. */
  blockParams: string[];
}

/** A problem found while splitting, with its 1-based line in the template. */
export interface SplitIssue {
  message: string;
  hint?: string | undefined;
  line: number;
}

/** The template with placeholders, its Jinja expressions, and the problems found. */
export interface Split {
  text: string;
  slots: JinjaSlot[];
  issues: SplitIssue[];
  /** The template has Jinja statements or comments: every `{{ path }}` is a Jinja expression, whitespace follows Jinja. */
  jinja: boolean;
  /** Names bound by the template's `{% set %}` and `{% for %}` statements. */
  bound: ReadonlySet<string>;
}

/** Name of the placeholder helper: a name no user template can call (the rewriter only accepts it from here). */
export const PLACEHOLDER = 'tsplay_jinja_slot';

/** A helper whose call is also a Jinja expression: `{{ not x }}` is Jinja (`{{and a b}}` is no Jinja, so it stays a helper call). */
const JINJA_KEYWORD_HELPERS = new Set(['not']);
const JINJA_WORDS = new Set(['is', 'if', 'else', 'and', 'or', 'in', 'not']);
const BLOCKS_WITH_ARG = /^(#\s*(?:if|unless|each|with)|else\s+if)\s+([\s\S]*)$/;
const AS_PARAMS = /\s+as\s+\|[^|]*\|\s*$/;

const SEG = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])`;
const PLAIN_PATH = new RegExp(String.raw`^(?:(?:\.\.\/)+${SEG}|@${SEG}|this|\.|${SEG})(?:[./]${SEG})*$`);

/** True for a Handlebars path or literal argument (`x`, `a.b`, `"s"`, `3`, `(helper ...)` with one of our helpers). */
function isHandlebarsArg(s: string): boolean {
  const t = s.trim();
  if (PLAIN_PATH.test(t)) return true;
  const sub = /^\(\s*([A-Za-z_]\w*)\s/.exec(t);
  return Boolean(sub?.[1] && Object.hasOwn(HELPERS, sub[1]) && !JINJA_KEYWORD_HELPERS.has(sub[1]) && t.endsWith(')'));
}

/** `{{name arg...}}` with `name` one of our helpers and the next token an argument, not a Jinja operator. */
function isHelperCall(s: string): boolean {
  const m = /^([A-Za-z_]\w*)\s+(\S[\s\S]*)$/.exec(s);
  if (!m?.[1] || !m[2] || !Object.hasOwn(HELPERS, m[1]) || JINJA_KEYWORD_HELPERS.has(m[1])) return false;
  const rest = m[2];
  const word = /^[A-Za-z_]\w*/.exec(rest)?.[0];
  if (word !== undefined) return !JINJA_WORDS.has(word);
  return /^(["'(@\d]|\.\.\/|-\d|\[)/.test(rest);
}

/** Jinja-only syntax (filters, operators, subscripts, keywords) outside quoted strings. */
function hasJinjaSyntax(args: string): boolean {
  const bare = args.replace(/'[^']*'|"[^"]*"/g, '""');
  return /\||~|==|!=|<=|>=|\[|\]|\b(?:if|is|and|or|in)\b/.test(bare);
}

/** Where a `{{ ... }}` ends: the `}}` outside strings and brackets (so `{{ {'a': {'b': 1}} }}` works), or -1. */
function mustacheEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === "'" || c === '"') {
      for (i++; i < s.length && s.charAt(i) !== c; i++) if (s.charAt(i) === '\\') i++;
    } else if ('([{'.includes(c)) depth++;
    else if (')]'.includes(c)) depth = Math.max(0, depth - 1);
    else if (c === '}') {
      if (depth === 0 && s.charAt(i + 1) === '}') return i;
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

const lineAt = (s: string, index: number): number => s.slice(0, index).split('\n').length;

/** Splits a template: Jinja expressions become `{{tsplay_jinja_slot N}}` (same line count), the rest stays Handlebars. */
export function splitTemplate(s: string): Split {
  const slots: JinjaSlot[] = [];
  const issues: SplitIssue[] = [];
  let out = '';
  let i = 0;
  const jinja = hasStatements(s);
  const statements = new StatementTranslator();
  /** The placeholder for a Jinja expression; undefined to leave the text to Handlebars (a misspelt helper call). */
  const slot = (src: string, mode: JinjaSlot['mode'], at: number, target?: string): string | undefined => {
    const { expr, failure } = parseBare(src, true);
    if (expr) {
      slots.push({ expr, mode, blockParams: [], ...(target === undefined ? {} : { target }) });
      return `${PLACEHOLDER} ${slots.length - 1}`;
    }
    // `{{name arg}}` / `(name arg)` that is no Jinja either: a misspelt or misplaced helper call, which Handlebars reports.
    const call = /^\(?\s*([A-Za-z_]\w*)\s+[^\s|~=!<>+*/%,)-]/.exec(src.trim());
    if (call?.[1] && !JINJA_WORDS.has(call[1]) && !src.includes('|')) return undefined;
    const col = failure?.column === undefined ? '' : ` at column ${failure.column}`;
    issues.push({
      message: `invalid expression "${src.trim()}"${col}: ${failure?.message ?? 'invalid'}`,
      hint: failure?.hint,
      line: lineAt(s, at),
    });
    return `${PLACEHOLDER} -1`;
  };
  while (i < s.length) {
    const open = s.indexOf('{', i);
    if (open < 0) break;
    const next = s.charAt(open + 1);
    if (jinja && (next === '%' || (next === '#' && s.charAt(open - 1) !== '$'))) {
      const close = s.indexOf(next === '%' ? '%}' : '#}', open + 2);
      if (close >= 0) {
        out += s.slice(i, open);
        i = close + 2;
        let body = s.slice(open + 2, close);
        const left = /^-/.test(body) ? '~' : '';
        const right = /-$/.test(body) ? '~' : '';
        const keepNewline = /\+$/.test(body);
        body = body.replace(/^[-+]/, '').replace(/[-+]$/, '');
        // trim_blocks (ansible-core sets it): the newline right after a statement or comment is not output.
        let trimmed = '';
        if (!right && !keepNewline) {
          const nl = /^\r?\n/.exec(s.slice(i))?.[0];
          if (nl) {
            trimmed = '\n';
            i += nl.length;
          }
        }
        const lines = '\n'.repeat((body.match(/\n/g) ?? []).length);
        const inner =
          next === '#'
            ? '!'
            : statements.translate(body, lineAt(s, open), (src, mode, target) => {
                const p = slot(src, mode, open, target);
                if (p === undefined) return undefined;
                const last = slots.at(-1);
                return {
                  placeholder: p,
                  loopFilter: mode === 'value' && last?.expr.ast.kind === 'cond' && last.expr.ast.else === undefined,
                };
              });
        out += inner === '' ? lines + trimmed : `{{${left}${inner}${lines}${trimmed}${right}}}`;
        continue;
      }
    }
    if (next !== '{' || s.charAt(open - 1) === '\\') {
      out += s.slice(i, open + 1);
      i = open + 1;
      continue;
    }
    out += s.slice(i, open);
    const after = s.slice(open + 2);
    // Handlebars comments and triple-stash are left to Handlebars.
    const skipTo = after.startsWith('!--')
      ? s.indexOf('--}}', open) + 4
      : after.startsWith('!')
        ? s.indexOf('}}', open) + 2
        : after.startsWith('{')
          ? s.indexOf('}}}', open) + 3
          : -1;
    if (skipTo >= 0 || after.startsWith('!') || after.startsWith('{')) {
      const end = skipTo >= open + 2 ? skipTo : s.length;
      out += s.slice(open, end);
      i = end;
      continue;
    }
    const close = mustacheEnd(s, open + 2);
    if (close < 0) {
      out += s.slice(open);
      break;
    }
    let inner = s.slice(open + 2, close);
    // Jinja's whitespace control {{- x -}} is Handlebars' {{~ x ~}}.
    let [left, right] = ['', ''];
    const lm = /^[-~](?=\s|$)|^~/.exec(inner);
    if (lm) {
      left = '~';
      inner = inner.slice(1);
    }
    const rm = /(?:^|\s)[-]$|~$/.exec(inner);
    if (rm) {
      right = '~';
      inner = inner.slice(0, -1);
    }
    const body = inner.trim();
    const lines = '\n'.repeat((inner.match(/\n/g) ?? []).length);
    let replaced = inner;
    const block = BLOCKS_WITH_ARG.exec(body);
    if (block?.[1] && block[2] !== undefined) {
      const asParams = AS_PARAMS.exec(block[2])?.[0] ?? '';
      const arg = block[2].slice(0, block[2].length - asParams.length);
      if (!isHandlebarsArg(arg)) {
        const mode = /each|with/.test(block[1]) ? 'value' : 'test';
        const p = slot(arg, mode, open);
        if (p !== undefined) replaced = `${block[1]} (${p})${asParams}${lines}`;
      }
    } else if (
      /^(?:[#/^>&*@]|\.\.\/)/.test(body) ||
      body === 'else' ||
      body === '' ||
      (!jinja && PLAIN_PATH.test(body) && !BUILTIN_NAMES.has(body.split('.')[0] ?? ''))
    ) {
      replaced = inner;
    } else if (isHelperCall(body)) {
      replaced = inner;
      const name = body.split(/\s/)[0] ?? '';
      if (hasJinjaSyntax(body.slice(name.length))) {
        replaced = `${PLACEHOLDER} -1${lines}`;
        issues.push({
          message: `{{${name} ...}} is a Handlebars helper call: its arguments are values or (helper ...) calls, not Jinja filters or operators`,
          hint:
            name === 'q'
              ? 'quote a Jinja expression with the quote filter: {{ x | upper | quote }}, or nest helpers: {{q (upper x)}}'
              : `write the whole mustache as Jinja ({{ x | ${name} }}) or nest helpers: {{${name} (helper x)}}`,
          line: lineAt(s, open),
        });
      }
    } else {
      const p = slot(inner, 'print', open);
      if (p !== undefined) replaced = `${p}${lines}`;
    }
    out += `{{${left}${replaced}${right}}}`;
    i = close + 2;
  }
  if (i < s.length) out += s.slice(i);
  issues.push(...statements.finish());
  return { text: out, slots, issues, jinja, bound: statements.bound };
}
