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
