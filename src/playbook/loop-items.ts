// The items of a with_* loop, shaped as ansible-core's lookup plugin of the same name shapes them
// (items, list, dict, nested, sequence, indexed_items, together), from the rendered value.

/** The loop's items for `with_<kind>` given the rendered value; throws with Ansible's kind of message when it cannot. */
export function loopItems(kind: string, value: unknown): unknown[] {
  switch (kind) {
    case 'items':
      return flatten(listify(value), 1);
    case 'list':
      return listify(value);
    case 'indexed_items':
      return flatten(listify(value), 1).map((x, i) => [i, x]);
    case 'dict':
      return dictItems(value);
    case 'nested':
      return product(listify(value).map(listify));
    case 'together':
      return together(listify(value).map(listify));
    case 'sequence':
      return listify(value).flatMap((term) => sequence(String(term)));
    default:
      throw new Error(`with_${kind} is not supported`);
  }
}

function listify(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function flatten(list: unknown[], depth: number): unknown[] {
  const out: unknown[] = [];
  for (const x of list) {
    if (Array.isArray(x) && depth > 0) out.push(...flatten(x, depth - 1));
    else out.push(x);
  }
  return out;
}

function dictItems(v: unknown): unknown[] {
  const dicts = Array.isArray(v) ? v : [v];
  const out: unknown[] = [];
  for (const d of dicts) {
    if (d === null || typeof d !== 'object' || Array.isArray(d)) throw new Error(`with_dict expects a dict, got ${JSON.stringify(d)}`);
    for (const [key, value] of Object.entries(d)) out.push({ key, value });
  }
  return out;
}

function product(lists: unknown[][]): unknown[] {
  if (lists.length === 0) throw new Error('with_nested requires at least one element in the nested list');
  let out: unknown[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((x) => [...prefix, x]));
  return out;
}

function together(lists: unknown[][]): unknown[] {
  if (lists.length === 0) throw new Error('with_together requires at least one element in each list');
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
}

/** with_sequence: `start=1 end=5 stride=1 format=%d`, `count=N`, or the shortcut `[start-]end[/stride][:format]`. */
function sequence(term: string): string[] {
  let start = 1;
  let end: number | undefined;
  let count: number | undefined;
  let stride = 1;
  let format = '%d';
  const num = (k: string, s: string): number => {
    const n = /^0x[0-9a-f]+$/i.test(s)
      ? parseInt(s, 16)
      : /^0o?[0-7]+$/.test(s) && s !== '0'
        ? parseInt(s.replace(/^0o?/, ''), 8)
        : Number(s);
    if (!Number.isInteger(n)) throw new Error(`can't parse ${k}=${s} as integer`);
    return n;
  };
  const short = /^(?:(-?\w+)-)?(-?\w+)(?:\/(-?\w+))?(?::(.+))?$/.exec(term.trim());
  if (term.includes('=')) {
    for (const part of term.trim().split(/\s+/)) {
      const [k, ...rest] = part.split('=');
      const v = rest.join('=');
      if (k === 'start') start = num(k, v);
      else if (k === 'end') end = num(k, v);
      else if (k === 'count') count = num(k, v);
      else if (k === 'stride') stride = num(k, v);
      else if (k === 'format') format = v;
      else throw new Error(`unrecognized arguments to with_sequence: ${k}`);
    }
  } else if (short) {
    if (short[1] !== undefined) start = num('start', short[1]);
    end = num('end', short[2] ?? '');
    if (short[3] !== undefined) stride = num('stride', short[3]);
    if (short[4] !== undefined) format = short[4];
  } else throw new Error(`can't parse arg ${term} as sequence`);
  if (count !== undefined && end !== undefined) throw new Error("can't specify both count and end in with_sequence");
  if (count !== undefined) {
    end = start + count * stride - stride;
    if (count === 0) return [];
  }
  if (end === undefined) throw new Error('must specify count or end in with_sequence');
  if (stride > 0 && end < start) throw new Error('to count backwards make stride negative');
  if (stride < 0 && end > start) throw new Error("to count forward don't make stride negative");
  const out: string[] = [];
  if (stride === 0) return out;
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(pyFormat(format, i));
  return out;
}

/** Python's `format % n` for the conversions with_sequence formats use (%d, %x, %o, %s with width/zero padding). */
function pyFormat(format: string, n: number): string {
  let used = false;
  const s = format.replace(/%(0?)(\d*)([dixXos%])/g, (_m, zero: string, width: string, conv: string) => {
    if (conv === '%') return '%';
    used = true;
    const body = conv === 'x' ? n.toString(16) : conv === 'X' ? n.toString(16).toUpperCase() : conv === 'o' ? n.toString(8) : String(n);
    return width ? body.padStart(Number(width), zero === '0' && conv !== 's' ? '0' : ' ') : body;
  });
  if (!used) throw new Error(`bad formatting string: ${format}`);
  return s;
}
