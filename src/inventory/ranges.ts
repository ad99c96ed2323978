/** Ansible's alphabetic range alphabet (`string.ascii_letters`). */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Result of expanding a host pattern: the host names, or why the range is invalid. */
export type RangeResult = { hosts: string[]; error?: undefined } | { hosts?: undefined; error: string };

/** True when `name` contains a `[begin:end]` range (as Ansible's `detect_range`). */
export function hasRange(name: string): boolean {
  const open = name.indexOf('[');
  const colon = name.indexOf(':', open);
  const close = name.indexOf(']', open);
  return open !== -1 && colon !== -1 && close !== -1 && colon < close;
}

/** Expands every `[a:b]` / `[a:b:step]` range in a host name (`web[01:03]`, `db-[a:c]`, `n[1:10:2]`), left to right. */
export function expandHostRange(name: string): RangeResult {
  if (!hasRange(name)) return { hosts: [name] };
  const open = name.indexOf('[');
  const close = name.indexOf(']', open);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const seq = rangeSequence(name.slice(open + 1, close));
  if ('error' in seq) return { error: `${seq.error} in "${name}"` };
  const hosts: string[] = [];
  for (const item of seq.items) {
    const more = expandHostRange(head + item + tail);
    if (more.error !== undefined) return more;
    hosts.push(...more.hosts);
  }
  return { hosts };
}

function rangeSequence(body: string): { items: string[] } | { error: string } {
  const bounds = body.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) return { error: 'host range must be begin:end or begin:end:step' };
  const beg = bounds[0] || '0';
  const end = bounds[1] ?? '';
  const stepText = bounds[2] ?? '1';
  if (!end) return { error: 'host range must specify an end value' };
  if (!/^[0-9]+$/.test(stepText) || Number(stepText) === 0) return { error: `host range step "${stepText}" must be a positive integer` };
  const step = Number(stepText);
  const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
  if (width && end.length !== width) return { error: 'host range must use equal-length begin and end when zero-padded' };
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (ib !== -1 && ie !== -1) {
    if (ib > ie) return { error: 'host range must have begin <= end' };
    const items: string[] = [];
    for (let i = ib; i <= ie; i += step) items.push(LETTERS[i] ?? '');
    return { items };
  }
  if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(end)) return { error: `host range [${body}] must be numeric or single letters` };
  const b = Number(beg);
  const e = Number(end);
  if (b > e) return { error: 'host range must have begin <= end' };
  const items: string[] = [];
  for (let i = b; i <= e; i += step) items.push(width ? String(i).padStart(width, '0') : String(i));
  return { items };
}

/** Splits an optional `:port` off a host definition (`db1:2222`, `[::1]:22`, `web[01:03]:22`); bare IPv6 keeps its colons. */
export function splitHostPort(def: string): { host: string; port?: number } {
  const v6 = /^\[([0-9a-fA-F.]*:[0-9a-fA-F.]*:[0-9a-fA-F:.]*)\](?::(\d+))?$/.exec(def);
  if (v6?.[1] !== undefined) return v6[2] === undefined ? { host: v6[1] } : { host: v6[1], port: Number(v6[2]) };
  const colons: number[] = [];
  let depth = 0;
  for (let i = 0; i < def.length; i++) {
    const c = def[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) colons.push(i);
  }
  const at = colons[0];
  if (colons.length !== 1 || at === undefined) return { host: def };
  const port = def.slice(at + 1);
  return /^[0-9]+$/.test(port) ? { host: def.slice(0, at), port: Number(port) } : { host: def };
}
