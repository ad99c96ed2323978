import { diffLines, type DiffOp } from '../inventory-edit/line-diff.js';

const CONTEXT = 3;

/** The `--diff` view of a result's `diff` (one entry or a list): unified diffs as ansible-playbook prints them. */
export function diffText(diff: unknown): string[] {
  const entries = (Array.isArray(diff) ? diff : [diff]).filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null);
  return entries.flatMap(entryLines);
}

function asText(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return `${JSON.stringify(v, null, 4)}\n`;
}

function entryLines(d: Record<string, unknown>): string[] {
  if (d['before'] === undefined && d['after'] === undefined) return [];
  const before = asText(d['before']);
  const after = asText(d['after']);
  if (before === after) return [];
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.at(-1) === '') a.pop();
  if (b.at(-1) === '') b.pop();
  const head = [
    `--- before${d['before_header'] ? `: ${String(d['before_header'])}` : ''}`,
    `+++ after${d['after_header'] ? `: ${String(d['after_header'])}` : ''}`,
  ];
  return [...head, ...hunks(diffLines(a, b), a, b)];
}

/** Groups an edit script into @@ hunks with CONTEXT lines around each change. */
function hunks(ops: DiffOp[], a: string[], b: string[]): string[] {
  const out: string[] = [];
  const changed = ops.map((op) => op.kind !== 'equal');
  let i = 0;
  while (i < ops.length) {
    if (!changed[i]) {
      i++;
      continue;
    }
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    while (end < ops.length && (changed[end] || changed.slice(end, end + 2 * CONTEXT + 1).some(Boolean))) end++;
    end = Math.min(ops.length, end + CONTEXT);
    const slice = ops.slice(start, end);
    const aStart = firstIndex(ops, start, 'a');
    const bStart = firstIndex(ops, start, 'b');
    const aLen = slice.filter((op) => op.kind !== 'insert').length;
    const bLen = slice.filter((op) => op.kind !== 'delete').length;
    out.push(`@@ -${aStart + (aLen ? 1 : 0)},${aLen} +${bStart + (bLen ? 1 : 0)},${bLen} @@`);
    for (const op of slice) {
      if (op.kind === 'equal') out.push(` ${a[op.a] ?? ''}`);
      else if (op.kind === 'delete') out.push(`-${a[op.a] ?? ''}`);
      else out.push(`+${b[op.b] ?? ''}`);
    }
    i = end;
  }
  return out;
}

/** Lines of `a` (or `b`) before op `at`. */
function firstIndex(ops: DiffOp[], at: number, side: 'a' | 'b'): number {
  return ops.slice(0, at).filter((op) => (side === 'a' ? op.kind !== 'insert' : op.kind !== 'delete')).length;
}
