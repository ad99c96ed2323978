// Python methods Ansible content calls on values (`x.split(',')`, `d.get('k', 'd')`, `s.startswith('v3')`),
// a whitelist dispatched on the value's type; nothing else of the host language is reachable.
import type { BoundArgs, CallableDef } from './callable.js';
import { pySplit, pyStrip } from './filters-text.js';
import { pyEqual, pyStr } from './python.js';
import { isOwned } from './owned.js';
import { ABSENT, FORBIDDEN_KEYS, isMapping, lookupOwn, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

type Kind = 'string' | 'list' | 'mapping';

function kindOf(v: unknown): Kind | undefined {
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  if (isMapping(v)) return 'mapping';
  return undefined;
}

/** A method of one kind of value; `on` says which. */
function method(on: Kind[], params: string[], min: number, fn: (self: never, a: BoundArgs) => unknown, name: string): CallableDef {
  return {
    params,
    min,
    fn: (self, a) => {
      const kind = kindOf(self);
      if (!kind || !on.includes(kind))
        throw new ValueProblem(`${typeName(self)} has no method .${name}() (it is a method of ${on.join(' and ')} values)`);
      return fn(self as never, a);
    },
  };
}

function prefixes(v: unknown, who: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((p) => {
    if (typeof p !== 'string') throw new ValueProblem(`.${who}() takes a string or a list of strings, got ${typeName(p)}`);
    return p;
  });
}

function replace(s: string, a: BoundArgs): string {
  const [from, to] = [a.named['old'], a.named['new']];
  if (typeof from !== 'string' || typeof to !== 'string') throw new ValueProblem('.replace() takes two strings');
  const count = a.named['count'] === undefined ? -1 : Number(a.named['count']);
  if (count < 0) return s.replaceAll(from, () => to);
  let n = 0;
  let out = '';
  let rest = s;
  for (let at = rest.indexOf(from); at >= 0 && n < count; at = rest.indexOf(from), n++) {
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + from.length);
    if (from === '') {
      out += rest.charAt(0);
      rest = rest.slice(1);
    }
  }
  return out + rest;
}

/** Python's str.format with {} / {0} / {name} fields (no format specs). */
function format(s: string, a: BoundArgs): string {
  let auto = 0;
  return s.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (all, field?: string) => {
    if (all === '{{') return '{';
    if (all === '}}') return '}';
    const name = field ?? '';
    if (name.includes(':') || name.includes('!')) throw new ValueProblem('.format(): format specs ({:...}) are not supported');
    const v = name === '' ? a.rest[auto++] : /^\d+$/.test(name) ? a.rest[Number(name)] : a.named[name];
    if (v === undefined) throw new ValueProblem(`.format(): no value for {${name}}`);
    return pyStr(v);
  });
}

/** dict.update, only on a mapping the template made with {% set %} (variables and results are never changed); returns None. */
function update(m: Record<string, unknown>, other: unknown): null {
  if (!isOwned(m))
    throw new ValueProblem(
      '.update() changes only a mapping made by {% set NAME = {...} %} in the same template (variables, facts and results cannot be changed; use combine: x | combine({...}))',
    );
  if (!isMapping(other)) throw new ValueProblem(`.update() takes a mapping, got ${typeName(other)}`);
  for (const [k, v] of Object.entries(other)) {
    if (FORBIDDEN_KEYS.has(k)) throw new ValueProblem(`access to "${k}" is not allowed`);
    m[k] = v;
  }
  return null;
}

const S: Kind[] = ['string'];

/** Every method, by name. */
export const METHODS: Readonly<Record<string, CallableDef>> = {
  split: method(S, ['sep', 'maxsplit'], 0, (s: string, a) => pySplit(s, a.named['sep'], a.named['maxsplit']), 'split'),
  rsplit: method(S, ['sep', 'maxsplit'], 0, (s: string, a) => pySplit(s, a.named['sep'], a.named['maxsplit'], true), 'rsplit'),
  splitlines: method(
    S,
    ['keepends'],
    0,
    (s: string, a) =>
      a.named['keepends']
        ? (s.match(/[^\n]*\n|[^\n]+$/g) ?? [])
        : s.split(/\r\n|\r|\n/).filter((l, i, all) => i < all.length - 1 || l !== ''),
    'splitlines',
  ),
  replace: method(S, ['old', 'new', 'count'], 2, (s: string, a) => replace(s, a), 'replace'),
  strip: method(S, ['chars'], 0, (s: string, a) => pyStrip(s, a.named['chars'], 'both'), 'strip'),
  lstrip: method(S, ['chars'], 0, (s: string, a) => pyStrip(s, a.named['chars'], 'left'), 'lstrip'),
  rstrip: method(S, ['chars'], 0, (s: string, a) => pyStrip(s, a.named['chars'], 'right'), 'rstrip'),
  startswith: method(
    S,
    ['prefix'],
    1,
    (s: string, a) => prefixes(a.named['prefix'], 'startswith').some((p) => s.startsWith(p)),
    'startswith',
  ),
  endswith: method(S, ['suffix'], 1, (s: string, a) => prefixes(a.named['suffix'], 'endswith').some((p) => s.endsWith(p)), 'endswith'),
  lower: method(S, [], 0, (s: string) => s.toLowerCase(), 'lower'),
  upper: method(S, [], 0, (s: string) => s.toUpperCase(), 'upper'),
  capitalize: method(S, [], 0, (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(), 'capitalize'),
  title: method(S, [], 0, (s: string) => s.replace(/[A-Za-z]+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()), 'title'),
  find: method(S, ['sub'], 1, (s: string, a) => s.indexOf(String(a.named['sub'])), 'find'),
  isdigit: method(S, [], 0, (s: string) => /^\d+$/.test(s), 'isdigit'),
  zfill: method(
    S,
    ['width'],
    1,
    (s: string, a) => {
      const sign = /^[+-]/.test(s) ? s.charAt(0) : '';
      return sign + s.slice(sign.length).padStart(Number(a.named['width']) - sign.length, '0');
    },
    'zfill',
  ),
  join: method(
    S,
    ['iterable'],
    1,
    (s: string, a) => {
      const items = a.named['iterable'];
      if (!Array.isArray(items)) throw new ValueProblem(`.join() takes a list, got ${typeName(items)}`);
      return items
        .map((x) => {
          if (typeof x !== 'string') throw new ValueProblem(`.join(): the elements must be strings, got ${typeName(x)}`);
          return x;
        })
        .join(s);
    },
    'join',
  ),
  format: { ...method(S, [], 0, (s: string, a) => format(s, a), 'format'), rest: true, kwonly: [] },
  count: method(
    ['string', 'list'],
    ['value'],
    1,
    (v: string | unknown[], a) =>
      typeof v === 'string' ? v.split(String(a.named['value'])).length - 1 : v.filter((x) => pyEqual(x, a.named['value'])).length,
    'count',
  ),
  index: method(
    ['string', 'list'],
    ['value'],
    1,
    (v: string | unknown[], a) => {
      const at = typeof v === 'string' ? v.indexOf(String(a.named['value'])) : v.findIndex((x) => pyEqual(x, a.named['value']));
      if (at < 0) throw new ValueProblem(`.index(): ${pyStr(a.named['value'])} is not in the ${typeof v === 'string' ? 'string' : 'list'}`);
      return at;
    },
    'index',
  ),
  get: method(
    ['mapping'],
    ['key', 'default'],
    1,
    (m: Record<string, unknown>, a) => {
      const k = a.named['key'];
      const v = typeof k === 'string' || typeof k === 'number' ? lookupOwn(m, String(k)) : ABSENT;
      return v === ABSENT ? (a.named['default'] ?? null) : v;
    },
    'get',
  ),
  keys: method(['mapping'], [], 0, (m: Record<string, unknown>) => Object.keys(m), 'keys'),
  values: method(['mapping'], [], 0, (m: Record<string, unknown>) => Object.values(m), 'values'),
  items: method(['mapping'], [], 0, (m: Record<string, unknown>) => Object.entries(m), 'items'),
  update: method(['mapping'], ['other'], 1, (m: Record<string, unknown>, a) => update(m, a.named['other']), 'update'),
};
