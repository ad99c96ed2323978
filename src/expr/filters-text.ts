// Filters on text: case, trimming, replacing, regular expressions, paths, base64, shell quoting, hashes, IPv6.
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { flag, type BoundArgs, type CallableDef } from './callable.js';
import { pyStr } from './python.js';
import { pyEscape, pyRegex, pySub } from './regex.js';
import { isMapping, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

/** The text a filter works on: Python's str() of the input (Ansible's to_text: None is 'None'). */
export function textOf(v: unknown, _who: string): string {
  return typeof v === 'string' ? v : pyStr(v);
}

/** A string input (Jinja's string filters refuse nothing, but our messages are clearer than "None"). */
function str(v: unknown, who: string): string {
  if (typeof v !== 'string') throw new ValueProblem(`${who} expects a string, got ${typeName(v)}`);
  return v;
}

/** Python's os.path.basename / dirname (POSIX): "/a/b/" has basename "" and dirname "/a/b". */
function pathSplit(p: string): [string, string] {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return [head, p.slice(i)];
}

/** Python's str.strip(chars): whitespace, or any of `chars`, from one or both ends. */
export function pyStrip(s: string, chars: unknown, ends: 'both' | 'left' | 'right'): string {
  if (chars !== undefined && chars !== null && typeof chars !== 'string')
    throw new ValueProblem(`strip: the characters must be a string, got ${typeName(chars)}`);
  const set = (c: string): boolean => (chars === undefined || chars === null ? /\s/.test(c) : chars.includes(c));
  let a = 0;
  let b = s.length;
  if (ends !== 'right') while (a < b && set(s.charAt(a))) a++;
  if (ends !== 'left') while (b > a && set(s.charAt(b - 1))) b--;
  return s.slice(a, b);
}

/** Python's shlex.quote: unchanged when only safe characters, else single-quoted ('' for an empty string). */
export function shlexQuote(s: string): string {
  if (s === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

/** `quote`: one shell word, as Ansible's filter. null and collections are refused (Ansible would quote '' or a repr). */
function quote(v: unknown): string {
  if (v === null)
    throw new ValueProblem("quote got null: an empty shell word would change the command (use default('', true) if empty is meant)");
  if (Array.isArray(v) || isMapping(v))
    throw new ValueProblem(
      `quote expects a string or number, got ${typeName(v)} (for one word per element write: | map('quote') | join(' '))`,
    );
  return shlexQuote(pyStr(v));
}

function b64decode(v: unknown): string {
  const s = textOf(v, 'b64decode').replace(/[^A-Za-z0-9+/=]/g, '');
  if (s.replace(/=+$/, '').length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0)
    throw new ValueProblem('b64decode: incorrect padding or not base64');
  const bytes = Buffer.from(s, 'base64');
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return text.decode(bytes);
  } catch {
    throw new ValueProblem('b64decode: the decoded bytes are not UTF-8 text');
  }
}

/** `ipwrap` (ansible.utils): IPv6 addresses (with an optional /prefix) in brackets; IPv4 and names as they are. */
function ipwrapOne(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const [addr = '', prefix] = v.split('/', 2);
  if (!isIPv6(addr)) return v;
  return `[${addr}]${prefix === undefined ? '' : `/${prefix}`}`;
}

function ipwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ipwrapOne);
  if (typeof v !== 'string') throw new ValueProblem(`ipwrap expects an address or a list of them, got ${typeName(v)}`);
  return ipwrapOne(v);
}

/** Python's re.findall: the matches, or the groups of each match (one group: its text; several: a list). */
function findall(value: string, re: RegExp): unknown[] {
  const out: unknown[] = [];
  for (const m of value.matchAll(re)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(m.slice(1).map((g) => g ?? ''));
  }
  return out;
}

function regexSearch(v: unknown, a: BoundArgs): unknown {
  const value = textOf(v, 'regex_search');
  const groups = a.rest.map((g) => {
    const s = String(g);
    const named = /^\\g<(\S+)>$/.exec(s);
    if (named) return named[1] ?? '';
    const num = /^\\(\d+)/.exec(s);
    if (num) return Number(num[1]);
    throw new ValueProblem(`regex_search: unknown argument ${JSON.stringify(g)} (write '\\\\1' or '\\\\g<name>' to return groups)`);
  });
  const m = pyRegex(a.named['regex'], 'regex_search', { ignorecase: flag(a, 'ignorecase'), multiline: flag(a, 'multiline') }).exec(value);
  if (!m) return null;
  if (groups.length === 0) return m[0];
  return groups.map((g) => {
    if (typeof g === 'number' ? g >= m.length : !m.groups || !Object.hasOwn(m.groups, g))
      throw new ValueProblem(`regex_search: no such group ${JSON.stringify(g)}`);
    return (typeof g === 'number' ? m[g] : m.groups?.[g]) ?? null;
  });
}

const HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

function hash(v: unknown, algo: unknown): string {
  const name = algo === undefined ? 'sha1' : String(algo);
  if (!HASHES.has(name)) throw new ValueProblem(`hash: unsupported algorithm ${JSON.stringify(name)} (${[...HASHES].join(', ')})`);
  return createHash(name).update(textOf(v, 'hash'), 'utf8').digest('hex');
}

/** Python's `%` formatting for the `format` filter and `'%s' % x`: %s %r %d %i %f %x %o %e %% with flags, width, precision. */
export function percentFormat(fmt: string, values: unknown[]): string {
  let next = 0;
  const out = fmt.replace(
    /%([-+ #0]*)(\d+|\*)?(?:\.(\d+))?([sdirfFxXoeEgGc%])/g,
    (_all, flags: string, width?: string, prec?: string, conv?: string) => {
      if (conv === '%') return '%';
      if (next >= values.length) throw new ValueProblem('not enough arguments for format string');
      const v = values[next++];
      let body: string;
      const num = (): number => {
        if (typeof v === 'number' || typeof v === 'boolean') return Number(v);
        throw new ValueProblem(`%${conv ?? ''} format: a number is required, not ${typeName(v)}`);
      };
      const p = prec === undefined ? undefined : Number(prec);
      switch (conv) {
        case 's':
          body = pyStr(v);
          if (p !== undefined) body = body.slice(0, p);
          break;
        case 'r':
          body = typeof v === 'string' ? `'${v}'` : pyStr(v);
          break;
        case 'd':
        case 'i':
          body = String(Math.trunc(num()));
          break;
        case 'f':
        case 'F':
          body = num().toFixed(p ?? 6);
          break;
        case 'e':
        case 'E':
          body = num()
            .toExponential(p ?? 6)
            .replace(/e([+-])(\d)$/, 'e$10$2');
          if (conv === 'E') body = body.toUpperCase();
          break;
        case 'g':
        case 'G':
          body = String(Number(num().toPrecision(p || 6)));
          break;
        case 'x':
          body = Math.trunc(num()).toString(16);
          break;
        case 'X':
          body = Math.trunc(num()).toString(16).toUpperCase();
          break;
        case 'o':
          body = Math.trunc(num()).toString(8);
          break;
        default:
          body = String.fromCodePoint(typeof v === 'number' ? v : (String(v).codePointAt(0) ?? 0));
      }
      if ((flags.includes('+') || flags.includes(' ')) && 'dif'.includes(conv ?? '') && !body.startsWith('-'))
        body = (flags.includes('+') ? '+' : ' ') + body;
      const w = width === undefined || width === '*' ? 0 : Number(width);
      if (body.length >= w) return body;
      if (flags.includes('-')) return body.padEnd(w);
      if (flags.includes('0') && conv !== 's') {
        const sign = /^[+\- ]/.test(body) ? body.charAt(0) : '';
        return sign + body.slice(sign.length).padStart(w - sign.length, '0');
      }
      return body.padStart(w);
    },
  );
  if (next < values.length) throw new ValueProblem('not all arguments converted during string formatting');
  return out;
}

/** Jinja's indent: every line but the first (unless first=true) indented; blank lines only with blank=true. */
function indent(v: unknown, width: unknown, first: boolean, blank: boolean): string {
  const s = textOf(v, 'indent');
  const pad = typeof width === 'string' ? width : ' '.repeat(typeof width === 'number' ? width : 4);
  const lines = s.split('\n');
  return lines.map((l, i) => ((i > 0 || first) && (blank || l.trim() !== '') ? pad + l : l)).join('\n');
}

/** Text filters, by name. */
export const TEXT_FILTERS: Readonly<Record<string, CallableDef>> = {
  lower: { fn: (v) => textOf(v, 'lower').toLowerCase() },
  upper: { fn: (v) => textOf(v, 'upper').toUpperCase() },
  capitalize: {
    fn: (v) => {
      const s = textOf(v, 'capitalize');
      return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
    },
  },
  title: { fn: (v) => textOf(v, 'title').replace(/[A-Za-z]+('[A-Za-z]+)?/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()) },
  trim: { params: ['chars'], fn: (v, a) => pyStrip(textOf(v, 'trim'), a.named['chars'], 'both') },
  replace: {
    params: ['old', 'new', 'count'],
    min: 2,
    fn: (v, a) => {
      const s = textOf(v, 'replace');
      const [from, to] = [str(a.named['old'], 'replace (old)'), textOf(a.named['new'], 'replace (new)')];
      const count = a.named['count'];
      if (count === undefined || count === null) return s.replaceAll(from, () => to);
      let n = 0;
      return s.replace(new RegExp(pyEscapeJs(from), 'g'), (m) => (n++ < Number(count) ? to : m));
    },
  },
  split: {
    params: ['sep', 'maxsplit'],
    fn: (v, a) => pySplit(textOf(v, 'split'), a.named['sep'], a.named['maxsplit']),
  },
  regex_replace: {
    params: ['regex', 'replacement', 'ignorecase', 'multiline'],
    fn: (v, a) => {
      const re = pyRegex(
        a.named['regex'] ?? '',
        'regex_replace',
        { ignorecase: flag(a, 'ignorecase'), multiline: flag(a, 'multiline') },
        'g',
      );
      return pySub(re, textOf(v, 'regex_replace'), textOf(a.named['replacement'] ?? '', 'regex_replace (replacement)'));
    },
  },
  regex_search: { params: ['regex'], min: 1, rest: true, kwonly: ['ignorecase', 'multiline'], fn: regexSearch },
  regex_findall: {
    params: ['regex', 'multiline', 'ignorecase'],
    min: 1,
    fn: (v, a) =>
      findall(
        textOf(v, 'regex_findall'),
        pyRegex(a.named['regex'], 'regex_findall', { ignorecase: flag(a, 'ignorecase'), multiline: flag(a, 'multiline') }, 'g'),
      ),
  },
  regex_escape: { params: ['re_type'], fn: (v) => pyEscape(textOf(v, 'regex_escape')) },
  basename: { fn: (v) => pathSplit(textOf(v, 'basename'))[1] },
  dirname: { fn: (v) => pathSplit(textOf(v, 'dirname'))[0] },
  splitext: {
    fn: (v) => {
      const p = textOf(v, 'splitext');
      const base = pathSplit(p)[1];
      const dot = base.lastIndexOf('.');
      if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ''];
      const cut = p.length - (base.length - dot);
      return [p.slice(0, cut), p.slice(cut)];
    },
  },
  b64encode: { params: ['encoding'], fn: (v) => Buffer.from(textOf(v, 'b64encode'), 'utf8').toString('base64') },
  b64decode: { params: ['encoding'], fn: (v) => b64decode(v) },
  quote: { fn: (v) => quote(v) },
  ipwrap: { fn: (v) => ipwrap(v) },
  hash: { params: ['hashtype'], fn: (v, a) => hash(v, a.named['hashtype']) },
  checksum: { fn: (v) => hash(v, 'sha1') },
  md5: { fn: (v) => hash(v, 'md5') },
  sha1: { fn: (v) => hash(v, 'sha1') },
  format: { rest: true, fn: (v, a) => percentFormat(str(v, 'format'), a.rest) },
  indent: { params: ['width', 'first', 'blank'], fn: (v, a) => indent(v, a.named['width'], flag(a, 'first'), flag(a, 'blank')) },
  comment: { params: ['style'], fn: (v) => `#\n# ${textOf(v, 'comment').split('\n').join('\n# ')}\n#` },
};

/** A literal string as a JavaScript pattern. */
function pyEscapeJs(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Python's str.split: no separator splits on runs of whitespace (and drops empty ends); maxsplit limits the splits. */
export function pySplit(s: string, sep: unknown, maxsplit: unknown, fromRight = false): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : Number(maxsplit);
  if (sep === undefined || sep === null) {
    const words = s.trim() === '' ? [] : s.trim().split(/\s+/);
    if (max < 0 || words.length <= max + 1) return words;
    if (fromRight) {
      const keep = words.slice(words.length - max);
      const head = s.trimEnd();
      let cut = head.length;
      for (const w of [...keep].reverse()) cut = head.lastIndexOf(w, cut - 1);
      return [head.slice(0, cut).trimEnd(), ...keep];
    }
    const out: string[] = [];
    let rest = s.trimStart();
    for (let i = 0; i < max; i++) {
      const m = /^(\S+)\s+/.exec(rest);
      if (!m) break;
      out.push(m[1] ?? '');
      rest = rest.slice(m[0].length);
    }
    return [...out, rest];
  }
  if (typeof sep !== 'string') throw new ValueProblem(`split: the separator must be a string, got ${typeName(sep)}`);
  if (sep === '') throw new ValueProblem('split: empty separator');
  const parts = s.split(sep);
  if (max < 0 || parts.length <= max + 1) return parts;
  return fromRight
    ? [parts.slice(0, parts.length - max).join(sep), ...parts.slice(parts.length - max)]
    : [...parts.slice(0, max), parts.slice(max).join(sep)];
}
