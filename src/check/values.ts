// Small readers of keyword values shared by the rules.

/** A keyword written as one value or a list of them, as a list. */
export function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Calls `fn` on every string inside a value, with the key path it was found at. */
export function eachString(v: unknown, fn: (s: string, field: string) => void, field = ''): void {
  if (typeof v === 'string') fn(v, field);
  else if (Array.isArray(v)) v.forEach((x) => eachString(x, fn, field));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) eachString(x, fn, field ? `${field}.${k}` : k);
}
