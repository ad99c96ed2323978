/** Splits hosts into serial batches: a number, a percentage, or a list of them (the last size repeats). */
export function batches<T>(hosts: T[], serial: number | string | Array<number | string> | undefined): T[][] {
  if (serial === undefined || hosts.length === 0) return [hosts];
  const sizes = (Array.isArray(serial) ? serial : [serial]).map((s) => size(s, hosts.length));
  const out: T[][] = [];
  let i = 0;
  let n = 0;
  while (i < hosts.length) {
    const step = sizes[Math.min(n, sizes.length - 1)] ?? hosts.length;
    out.push(hosts.slice(i, i + step));
    i += step;
    n++;
  }
  return out;
}

function size(s: number | string, total: number): number {
  if (typeof s === 'number') return Math.max(1, Math.floor(s));
  const m = /^(\d+)%$/.exec(s.trim());
  if (m) return Math.max(1, Math.floor((Number(m[1]) * total) / 100));
  const n = Number(s);
  if (!Number.isFinite(n) || n < 1) throw new Error(`invalid serial value "${s}"`);
  return Math.floor(n);
}
