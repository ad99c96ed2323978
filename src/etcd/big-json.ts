/**
 * Parses etcdctl's JSON output keeping 64-bit integers exact: every integer literal of 16 or more
 * digits (member, cluster and leader IDs are uint64) becomes a decimal string before JSON.parse.
 */
export function parseBigJson(text: string): unknown {
  const num = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (inString || c === '"') {
      out += c;
      if (inString && c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = !inString;
      continue;
    }
    num.lastIndex = i;
    const m = c === '-' || (c >= '0' && c <= '9') ? num.exec(text) : null;
    if (!m) {
      out += c;
      continue;
    }
    out += /^-?\d{16,}$/.test(m[0]) ? `"${m[0]}"` : m[0];
    i += m[0].length - 1;
  }
  return JSON.parse(out) as unknown;
}

/** A uint64 ID (decimal string, number or bigint) in lower-case hex without leading zeros, as etcdctl prints it (`%x`: `bc8e69e9350176e4`, `c7beda88884c43e`). */
export function hexId(id: unknown): string {
  if (typeof id === 'bigint') return id.toString(16);
  if (typeof id === 'string' && /^\d+$/.test(id)) return BigInt(id).toString(16);
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id.toString(16);
  throw new Error(`not a member ID: ${String(id)}`);
}

/** Normalizes a user-given hex member ID (with or without 0x, any case, leading zeros or not) to etcdctl's form, or undefined when invalid. */
export function normalizeHexId(id: string): string | undefined {
  const h = id.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{1,16}$/.test(h)) return undefined;
  return h.replace(/^0+(?=.)/, '');
}
