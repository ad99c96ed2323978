// Filters on lists and mappings: first/last, length, join, unique, sort, set operations, combine, dict2items,
// and the higher-order ones (map, select, reject, selectattr, rejectattr) that call another filter or test by name.
import { flag, type BoundArgs, type CallableDef } from './callable.js';
import { pyCompare, pyEqual, pyStr } from './python.js';
import { ABSENT, Missing, isMapping, lookupOwn, truthy, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

/** Python's iter(): the characters of a string, the elements of a list, the keys of a mapping. */
export function iterate(v: unknown, who: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  throw new ValueProblem(`${who} expects a list, got ${typeName(v)}`);
}

function list(v: unknown, who: string): unknown[] {
  if (!Array.isArray(v)) throw new ValueProblem(`${who} expects a list, got ${typeName(v)}`);
  return v;
}

function mapping(v: unknown, who: string): Record<string, unknown> {
  if (!isMapping(v)) throw new ValueProblem(`${who} expects a mapping, got ${typeName(v)}`);
  return v;
}

/** Jinja's attribute getter: `a.b.0` reads key a, then b, then index 0; Missing when absent. */
export function attrGetter(attribute: unknown, who: string): (item: unknown) => unknown {
  if (typeof attribute !== 'string' && typeof attribute !== 'number')
    throw new ValueProblem(`${who}: the attribute must be a name, got ${typeName(attribute)}`);
  const parts = String(attribute)
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) => {
    let v = item;
    for (const p of parts) {
      const next = lookupOwn(v, p);
      if (next === ABSENT) return new Missing(String(attribute), `${typeName(v)} has no attribute ${JSON.stringify(p)}`);
      v = next;
    }
    return v;
  };
}

/** Fails on a Missing found where a value is needed (a missing attribute in map/sort/...). */
function present(v: unknown, who: string): unknown {
  if (v instanceof Missing) throw new ValueProblem(`${who}: ${v.detail ?? `"${v.name}" is undefined`}`);
  return v;
}

/** The key Python would hash for `unique` (1, 1.0 and True are one key; strings lower-cased unless case-sensitive). */
function hashKey(v: unknown, caseSensitive: boolean): string | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return `n:${Number(v)}`;
  if (typeof v === 'string') return `s:${caseSensitive ? v : v.toLowerCase()}`;
  if (v === null) return 'none';
  return undefined;
}

/** Ansible's unique: Jinja's (case-insensitive unless case_sensitive=true), or by == for lists of lists/mappings. */
function unique(v: unknown, a: BoundArgs): unknown[] {
  const items = iterate(v, 'unique');
  const caseSensitive = truthy(a.named['case_sensitive'] ?? false);
  const attr = a.named['attribute'];
  const get = attr === undefined || attr === null ? (x: unknown) => x : attrGetter(attr, 'unique');
  const keys = items.map((x) => hashKey(present(get(x), 'unique'), caseSensitive));
  if (keys.some((k) => k === undefined)) {
    if (a.named['case_sensitive'] === false || (attr !== undefined && attr !== null))
      throw new ValueProblem('unique: case_sensitive=false and attribute need hashable elements (strings, numbers)');
    return pyUnique(items);
  }
  const seen = new Set<string>();
  return items.filter((_, i) => {
    const k = keys[i] ?? '';
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Order-keeping unique by Python ==. */
function pyUnique(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of items) if (!out.some((y) => pyEqual(x, y))) out.push(x);
  return out;
}

const has = (l: unknown[], x: unknown): boolean => l.some((y) => pyEqual(x, y));

/** Jinja's sort key: lower-cased strings unless case-sensitive. */
function sortKey(caseSensitive: boolean): (v: unknown) => unknown {
  return (v) => (typeof v === 'string' && !caseSensitive ? v.toLowerCase() : v);
}

function sort(v: unknown, a: BoundArgs): unknown[] {
  const items = [...iterate(v, 'sort')];
  const attr = a.named['attribute'];
  const getters =
    attr === undefined || attr === null
      ? [(x: unknown) => x]
      : String(attr)
          .split(',')
          .map((p) => attrGetter(p.trim(), 'sort'));
  const key = sortKey(flag(a, 'case_sensitive'));
  const keyed = items.map((x) => ({ x, k: getters.map((g) => key(present(g(x), 'sort'))) }));
  keyed.sort((p, q) => pyCompare(p.k, q.k, 'sort'));
  if (flag(a, 'reverse')) keyed.reverse();
  return keyed.map((p) => p.x);
}

function minMax(v: unknown, a: BoundArgs, which: 'min' | 'max'): unknown {
  const items = iterate(v, which);
  if (items.length === 0) return new Missing('', `${which}: the list is empty`);
  const attr = a.named['attribute'];
  const get = attr === undefined || attr === null ? (x: unknown) => x : attrGetter(attr, which);
  const key = sortKey(flag(a, 'case_sensitive'));
  let best = items[0];
  for (const x of items.slice(1)) {
    const c = pyCompare(key(present(get(x), which)), key(present(get(best), which)), which);
    if (which === 'min' ? c < 0 : c > 0) best = x;
  }
  return best;
}

/** Ansible's merge_hash: `y` wins; mappings merged when recursive; lists by list_merge. */
function mergeHash(x: Record<string, unknown>, y: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...x };
  for (const [k, yv] of Object.entries(y)) {
    const xv = out[k];
    if (!Object.hasOwn(out, k)) out[k] = yv;
    else if (isMapping(xv) && isMapping(yv)) out[k] = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv;
    else if (Array.isArray(xv) && Array.isArray(yv)) {
      const merged: Record<string, unknown[]> = {
        replace: yv,
        keep: xv,
        append: [...xv, ...yv],
        prepend: [...yv, ...xv],
        append_rp: [...xv.filter((z) => !has(yv, z)), ...yv],
        prepend_rp: [...yv, ...xv.filter((z) => !has(yv, z))],
      };
      out[k] = merged[listMerge];
    } else out[k] = yv;
  }
  return out;
}

const LIST_MERGE = ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'];

function combine(v: unknown, a: BoundArgs): Record<string, unknown> {
  const listMerge = String(a.named['list_merge'] ?? 'replace');
  if (!LIST_MERGE.includes(listMerge)) throw new ValueProblem(`combine: list_merge must be one of ${LIST_MERGE.join(', ')}`);
  const dicts = [v, ...a.rest].flatMap((d) => (Array.isArray(d) ? d : [d]));
  dicts.forEach((d) => mapping(d, 'combine'));
  const all = dicts as Array<Record<string, unknown>>;
  if (all.length === 0) return {};
  return all.slice(1).reduce((acc, d) => mergeHash(acc, d, truthy(a.named['recursive'] ?? false), listMerge), all[0] ?? {});
}

function dict2items(v: unknown, a: BoundArgs): unknown[] {
  const d = mapping(v, 'dict2items');
  const [k, val] = [String(a.named['key_name'] ?? 'key'), String(a.named['value_name'] ?? 'value')];
  return Object.entries(d).map(([key, value]) => ({ [k]: key, [val]: value }));
}

function items2dict(v: unknown, a: BoundArgs): Record<string, unknown> {
  const [k, val] = [String(a.named['key_name'] ?? 'key'), String(a.named['value_name'] ?? 'value')];
  const out: Record<string, unknown> = {};
  for (const item of list(v, 'items2dict')) {
    const m = mapping(item, 'items2dict (each element)');
    if (!Object.hasOwn(m, k) || !Object.hasOwn(m, val))
      throw new ValueProblem(`items2dict: an element has no "${Object.hasOwn(m, k) ? val : k}" key (it has: ${Object.keys(m).join(', ')})`);
    out[pyStr(m[k])] = m[val];
  }
  return out;
}

function flatten(v: unknown, a: BoundArgs): unknown[] {
  const levels = a.named['levels'];
  const skipNulls = truthy(a.named['skip_nulls'] ?? true);
  const go = (l: unknown[], depth: number): unknown[] =>
    l.flatMap((x) => {
      if (x === null && skipNulls) return [];
      if (x === 'None' && skipNulls) return [];
      if (Array.isArray(x) && (levels === undefined || levels === null || depth < Number(levels))) return go(x, depth + 1);
      return [x];
    });
  return go(list(v, 'flatten'), 0);
}

/** Ansible's extract: container[item], then each of morekeys. */
function extract(item: unknown, a: BoundArgs): unknown {
  let v = a.named['container'];
  const more = a.named['morekeys'];
  for (const key of [item, ...(more === undefined || more === null ? [] : Array.isArray(more) ? more : [more])]) {
    if (typeof key !== 'string' && typeof key !== 'number')
      throw new ValueProblem(`extract: a key must be a string or number, got ${typeName(key)}`);
    const next = lookupOwn(v, key);
    if (next === ABSENT) return new Missing(String(key), `extract: ${typeName(v)} has no key ${JSON.stringify(key)}`);
    v = next;
  }
  return v;
}

function map(v: unknown, a: BoundArgs): unknown[] {
  const items = iterate(v, 'map');
  const attr = a.named['attribute'];
  if (attr !== undefined) {
    const get = attrGetter(attr, 'map');
    const hasDefault = Object.hasOwn(a.named, 'default');
    return items.map((x) => {
      const r = get(x);
      return r instanceof Missing ? (hasDefault ? a.named['default'] : present(r, 'map')) : r;
    });
  }
  const name = a.named['name'];
  if (typeof name !== 'string') throw new ValueProblem("map needs a filter name (map('upper')) or attribute= (map(attribute='name'))");
  return items.map((x) => a.ctx.filter(name, x, a.rest));
}

function select(v: unknown, a: BoundArgs, keep: boolean): unknown[] {
  const name = a.named['name'];
  return iterate(v, keep ? 'select' : 'reject').filter(
    (x) => (name === undefined ? truthy(x) : a.ctx.test(String(name), x, a.rest)) === keep,
  );
}

function selectAttr(v: unknown, a: BoundArgs, keep: boolean): unknown[] {
  const who = keep ? 'selectattr' : 'rejectattr';
  const get = attrGetter(a.named['attribute'], who);
  const name = a.named['name'];
  return iterate(v, who).filter((x) => {
    const value = get(x);
    const ok = name === undefined ? truthy(present(value, who)) : a.ctx.test(String(name), value, a.rest);
    return ok === keep;
  });
}

function end(v: unknown, which: 'first' | 'last'): unknown {
  const items = iterate(v, which);
  if (items.length === 0) return new Missing('', `${which}: the ${typeof v === 'string' ? 'string' : 'list'} is empty`);
  return which === 'first' ? items[0] : items[items.length - 1];
}

function length(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isMapping(v)) return Object.keys(v).length;
  throw new ValueProblem(`length expects a string, list or mapping, got ${typeName(v)}`);
}

function join(v: unknown, a: BoundArgs): string {
  const attr = a.named['attribute'];
  let items = iterate(v, 'join');
  if (attr !== undefined && attr !== null) items = items.map((x) => present(attrGetter(attr, 'join')(x), 'join'));
  const sep = a.named['d'];
  return items.map(pyStr).join(sep === undefined ? '' : pyStr(sep));
}

function sum(v: unknown, a: BoundArgs): unknown {
  const attr = a.named['attribute'];
  let total: unknown = a.named['start'] ?? 0;
  for (const x of iterate(v, 'sum')) {
    const n = attr === undefined || attr === null ? x : present(attrGetter(attr, 'sum')(x), 'sum');
    if (typeof total === 'number' && (typeof n === 'number' || typeof n === 'boolean')) total += Number(n);
    else if (Array.isArray(total) && Array.isArray(n)) total = [...total, ...n];
    else throw new ValueProblem(`sum: cannot add ${typeName(total)} and ${typeName(n)}`);
  }
  return total;
}

/** Collection filters, by name. */
export const LIST_FILTERS: Readonly<Record<string, CallableDef>> = {
  first: { fn: (v) => end(v, 'first') },
  last: { fn: (v) => end(v, 'last') },
  length: { fn: length },
  count: { fn: length },
  join: { params: ['d', 'attribute'], fn: join },
  unique: { params: ['case_sensitive', 'attribute'], fn: unique },
  sort: { params: ['reverse', 'case_sensitive', 'attribute'], fn: sort },
  reverse: { fn: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...iterate(v, 'reverse')].reverse()) },
  list: { fn: (v) => [...iterate(v, 'list')] },
  min: { params: ['case_sensitive', 'attribute'], fn: (v, a) => minMax(v, a, 'min') },
  max: { params: ['case_sensitive', 'attribute'], fn: (v, a) => minMax(v, a, 'max') },
  sum: { params: ['attribute', 'start'], fn: sum },
  flatten: { params: ['levels', 'skip_nulls'], fn: flatten },
  union: { params: ['other'], min: 1, fn: (v, a) => pyUnique([...list(v, 'union'), ...list(a.named['other'], 'union')]) },
  intersect: {
    params: ['other'],
    min: 1,
    fn: (v, a) => {
      const b = list(a.named['other'], 'intersect');
      return pyUnique(list(v, 'intersect').filter((x) => has(b, x)));
    },
  },
  difference: {
    params: ['other'],
    min: 1,
    fn: (v, a) => {
      const b = list(a.named['other'], 'difference');
      return pyUnique(list(v, 'difference').filter((x) => !has(b, x)));
    },
  },
  symmetric_difference: {
    params: ['other'],
    min: 1,
    fn: (v, a) => {
      const [x, y] = [list(v, 'symmetric_difference'), list(a.named['other'], 'symmetric_difference')];
      const both = pyUnique(x.filter((e) => has(y, e)));
      return pyUnique([...x, ...y]).filter((e) => !has(both, e));
    },
  },
  combine: { rest: true, kwonly: ['recursive', 'list_merge'], fn: combine },
  dict2items: { params: ['key_name', 'value_name'], fn: dict2items },
  items2dict: { params: ['key_name', 'value_name'], fn: items2dict },
  items: { fn: (v) => Object.entries(mapping(v, 'items')).map(([k, x]) => [k, x]) },
  dictsort: {
    params: ['case_sensitive', 'by', 'reverse'],
    fn: (v, a) => {
      const by = a.named['by'] === 'value' ? 1 : 0;
      const key = sortKey(flag(a, 'case_sensitive'));
      const out = Object.entries(mapping(v, 'dictsort')).sort((p, q) => pyCompare(key(p[by]), key(q[by]), 'dictsort'));
      return flag(a, 'reverse') ? out.reverse() : out;
    },
  },
  zip: {
    rest: true,
    fn: (v, a) => {
      const ls = [list(v, 'zip'), ...a.rest.map((l) => list(l, 'zip'))];
      return (ls[0] ?? []).slice(0, Math.min(...ls.map((l) => l.length))).map((_, i) => ls.map((l) => l[i]));
    },
  },
  extract: { params: ['container', 'morekeys'], min: 1, fn: extract },
  map: { params: ['name'], rest: true, kwonly: ['attribute', 'default'], fn: map },
  select: { params: ['name'], rest: true, fn: (v, a) => select(v, a, true) },
  reject: { params: ['name'], rest: true, fn: (v, a) => select(v, a, false) },
  selectattr: { params: ['attribute', 'name'], min: 1, rest: true, fn: (v, a) => selectAttr(v, a, true) },
  rejectattr: { params: ['attribute', 'name'], min: 1, rest: true, fn: (v, a) => selectAttr(v, a, false) },
};
