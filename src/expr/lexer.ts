// Splits a Jinja expression into tokens (names, numbers, strings, operators), each with its offset, following
// Jinja's lexer: Python string escapes, integers with `_`, `0x`/`0o`/`0b`, floats with exponents.
import { SyntaxProblem } from '../errors/syntax-problem.js';

/** One token of an expression. */
export type Token =
  | { type: 'name'; value: string; pos: number }
  | { type: 'number'; value: number; float: boolean; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'op'; value: string; pos: number }
  | { type: 'end'; pos: number };

/** Operators, longest first so that `//` wins over `/` and `**` over `*`. */
const OPS = [
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '~',
  '|',
  '.',
  ',',
  ':',
  '=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];

/** Things people type from other languages, with what to write instead. */
const FOREIGN: Array<[string, string]> = [
  ['&&', 'use "and"'],
  ['||', 'use "or"'],
  ['===', 'use "=="'],
  ['!==', 'use "!="'],
  ['?.', 'use "x.y if x is defined" or "x | default(...)"'],
  ['!', 'use "not" or "!="'],
  ['?', 'use "A if CONDITION else B"'],
  ['$', 'variables are written without "$"'],
  ['`', 'use single or double quotes'],
  [';', 'one expression only'],
];

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isNameStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string): boolean => isNameStart(c) || isDigit(c);

/** Python's escape processing of a string literal's body: known escapes translated, unknown ones (`\d`, `\.`) kept with the backslash. */
function escapedString(src: string, at: number, quote: string): { value: string; end: number } {
  let value = '';
  for (let i = at; i < src.length; i++) {
    const ch = src.charAt(i);
    if (ch === quote) return { value, end: i + 1 };
    if (ch !== '\\' || i + 1 >= src.length) {
      value += ch;
      continue;
    }
    const next = src.charAt(++i);
    const known = ESCAPES[next];
    if (known !== undefined) value += known;
    else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = src.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new SyntaxProblem(`invalid \\${next} escape in a string`, i - 1);
      value += String.fromCodePoint(parseInt(hex, 16));
      i += width;
    } else if (next >= '0' && next <= '7') {
      const oct = /^[0-7]{1,3}/.exec(src.slice(i))?.[0] ?? next;
      value += String.fromCharCode(parseInt(oct, 8));
      i += oct.length - 1;
    } else value += `\\${next}`;
  }
  throw new SyntaxProblem(`unclosed quote (${quote}) of the string starting here`, at - 1);
}

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?)/;

function number(src: string, at: number): { token: Token; end: number } {
  const text = NUMBER.exec(src.slice(at))?.[0] ?? '';
  const clean = text.replace(/_/g, '');
  const radix = /^0[xob]/i.test(clean) ? { x: 16, o: 8, b: 2 }[clean.charAt(1).toLowerCase() as 'x' | 'o' | 'b'] : 10;
  const float = radix === 10 && /[.eE]/.test(clean);
  const value = radix === 10 ? Number(clean) : parseInt(clean.slice(2), radix);
  if (text === '' || !Number.isFinite(value)) throw new SyntaxProblem(`invalid number "${text || src.charAt(at)}"`, at);
  return { token: { type: 'number', value, float, pos: at }, end: at + text.length };
}

function integer(src: string, at: number): { token: Token; end: number } {
  const text = /^\d+/.exec(src.slice(at))?.[0] ?? '';
  return { token: { type: 'number', value: Number(text), float: false, pos: at }, end: at + text.length };
}

/**
 * A string inside a template's `{{ }}`: Ansible doubles its backslashes before Jinja reads it, so the text is
 * taken as written ('\\d' is a backslash and d, '\\1' a backslash and 1). A backslash before the closing quote
 * breaks the string in Ansible; here it is an error that says so.
 */
function rawString(src: string, at: number, quote: string): { value: string; end: number } {
  for (let i = at; i < src.length; i++) {
    const ch = src.charAt(i);
    if (ch === '\\' && src.charAt(i + 1) === quote)
      throw new SyntaxProblem(
        `a quote cannot be escaped in a string inside {{ }} (Ansible doubles backslashes there): write the string in ${quote === "'" ? 'double' : 'single'} quotes`,
        i,
      );
    if (ch === '\\') i++;
    else if (ch === quote) return { value: src.slice(at, i), end: i + 1 };
  }
  throw new SyntaxProblem(`unclosed quote (${quote}) of the string starting here`, at - 1);
}

/** How strings are read: with Python's escapes (conditions), or as written (inside a template's `{{ }}`, as Ansible does). */
export interface LexOptions {
  rawStrings?: boolean;
}

/** Tokenizes an expression; throws SyntaxProblem at the first character that is not part of the language. */
export function tokenize(src: string, o: LexOptions = {}): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (j < src.length && isNameChar(src.charAt(j))) j++;
      out.push({ type: 'name', value: src.slice(i, j), pos: i });
      i = j;
    } else if (isDigit(c) || (c === '.' && isDigit(src.charAt(i + 1)) && out.at(-1)?.type !== 'name' && !isCloser(out.at(-1)))) {
      // After a ".", only an integer (`x.0.1` is x[0][1], as in Jinja).
      const prev = out.at(-1);
      const { token, end } = prev?.type === 'op' && prev.value === '.' ? integer(src, i) : number(src, i);
      out.push(token);
      i = end;
    } else if (c === "'" || c === '"') {
      const { value, end } = o.rawStrings ? rawString(src, i + 1, c) : escapedString(src, i + 1, c);
      out.push({ type: 'string', value, pos: i });
      i = end;
    } else {
      const foreign = FOREIGN.find(([f]) => src.startsWith(f, i) && !(f === '!' && src.charAt(i + 1) === '='));
      if (foreign) throw new SyntaxProblem(`unexpected "${foreign[0]}"`, i, foreign[1]);
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw new SyntaxProblem(`unexpected "${c}"`, i);
      out.push({ type: 'op', value: op, pos: i });
      i += op.length;
    }
  }
  out.push({ type: 'end', pos: src.length });
  return out;
}

function isCloser(t: Token | undefined): boolean {
  return t?.type === 'op' && (t.value === ')' || t.value === ']' || t.value === '}');
}
