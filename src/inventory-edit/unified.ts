import { diffLines, type DiffOp } from './line-diff.js';

const CONTEXT = 3;

/** A unified diff (`--- a`, `+++ b`, `@@ -l,n +l,n @@` hunks with 3 lines of context); empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, name: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  if (before.endsWith('\n')) a.pop();
  if (after.endsWith('\n')) b.pop();
  const ops = diffLines(a, b);
  const out = [`--- ${name}`, `+++ ${name} (edited)`];
  for (const [from, to] of hunks(ops)) {
    const part = ops.slice(from, to);
    const aStart = firstIndex(ops, from, 'a');
    const bStart = firstIndex(ops, from, 'b');
    const aLen = part.filter((o) => o.kind !== 'insert').length;
    const bLen = part.filter((o) => o.kind !== 'delete').length;
    out.push(`@@ -${aStart + (aLen ? 1 : 0)},${aLen} +${bStart + (bLen ? 1 : 0)},${bLen} @@`);
    for (const o of part) out.push(o.kind === 'equal' ? ` ${a[o.a] ?? ''}` : o.kind === 'delete' ? `-${a[o.a] ?? ''}` : `+${b[o.b] ?? ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** [start, end) ranges of ops forming hunks: changes plus context, merged when they overlap. */
function hunks(ops: DiffOp[]): Array<[number, number]> {
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

/** The 0-based line in side `side` where the op at `index` starts (lines of that side before it). */
function firstIndex(ops: DiffOp[], index: number, side: 'a' | 'b'): number {
  return ops.slice(0, index).filter((o) => (side === 'a' ? o.kind !== 'insert' : o.kind !== 'delete')).length;
}
