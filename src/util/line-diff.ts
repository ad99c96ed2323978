// Line diffs: the shortest edit script between two texts' lines, and its unified-diff hunks.
/** One step of a line diff: a line kept, removed from `a`, or added from `b`. */
export type DiffOp = { kind: 'equal'; a: number; b: number } | { kind: 'delete'; a: number } | { kind: 'insert'; b: number };

/** Myers' O((N+M)·D) shortest edit script between two line lists; common prefix and suffix are matched first. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const head: DiffOp[] = Array.from({ length: pre }, (_, i) => ({ kind: 'equal', a: i, b: i }));
  const tail: DiffOp[] = Array.from({ length: suf }, (_, i) => ({ kind: 'equal', a: a.length - suf + i, b: b.length - suf + i }));
  const mid = myers(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf)).map((op) => shift(op, pre));
  return [...head, ...mid, ...tail];
}

function shift(op: DiffOp, by: number): DiffOp {
  if (op.kind === 'equal') return { kind: 'equal', a: op.a + by, b: op.b + by };
  return op.kind === 'delete' ? { kind: 'delete', a: op.a + by } : { kind: 'insert', b: op.b + by };
}

function myers(a: readonly string[], b: readonly string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Map<number, number>[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1));
      let x = down ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) [x, y] = [x + 1, y + 1];
      v.set(k, x);
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  return [];
}

function backtrack(trace: Map<number, number>[], n: number, m: number): DiffOp[] {
  const ops: DiffOp[] = [];
  let [x, y] = [n, m];
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d] ?? new Map<number, number>();
    const k = x - y;
    const down = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: 'equal', a: --x, b: --y });
    if (d > 0) ops.push(down ? { kind: 'insert', b: --y } : { kind: 'delete', a: --x });
  }
  return ops.reverse();
}

/** Lines of context around each change in a hunk, as diff -u. */
const CONTEXT = 3;

/**
 * The `@@ -l,n +l,n @@` hunks of a unified diff between line lists A and B, each change with 3 lines of context
 * (hunks closer than that merge); the `---`/`+++` header is the caller's.
 */
export function unifiedHunks(a: readonly string[], b: readonly string[]): string[] {
  const ops = diffLines(a, b);
  const out: string[] = [];
  for (const [from, to] of hunkRanges(ops)) {
    const part = ops.slice(from, to);
    const aStart = linesBefore(ops, from, 'a');
    const bStart = linesBefore(ops, from, 'b');
    const aLen = part.filter((o) => o.kind !== 'insert').length;
    const bLen = part.filter((o) => o.kind !== 'delete').length;
    out.push(`@@ -${aStart + (aLen ? 1 : 0)},${aLen} +${bStart + (bLen ? 1 : 0)},${bLen} @@`);
    for (const o of part) out.push(o.kind === 'equal' ? ` ${a[o.a] ?? ''}` : o.kind === 'delete' ? `-${a[o.a] ?? ''}` : `+${b[o.b] ?? ''}`);
  }
  return out;
}

/** [start, end) ranges of ops forming hunks: changes plus context, merged when they overlap. */
function hunkRanges(ops: DiffOp[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  ops.forEach((o, i) => {
    if (o.kind === 'equal') return;
    const from = Math.max(0, i - CONTEXT);
    const to = Math.min(ops.length, i + CONTEXT + 1);
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  });
  return out;
}

/** The lines of side SIDE before the op at INDEX (the 0-based line where it starts). */
function linesBefore(ops: DiffOp[], index: number, side: 'a' | 'b'): number {
  return ops.slice(0, index).filter((o) => (side === 'a' ? o.kind !== 'insert' : o.kind !== 'delete')).length;
}
