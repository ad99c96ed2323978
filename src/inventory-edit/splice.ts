import { diffLines } from '../util/line-diff.js';

/** Original lines that have no exact counterpart in the normalized text (reformatted, or dropped blank lines). */
interface Block {
  oStart: number;
  oEnd: number;
  dirty: boolean;
}

/**
 * Applies the change between `before` and `after` (two renderings by the same serializer) to `original`, the text
 * `before` was parsed from, so that every line the edit did not touch keeps its exact original bytes.
 * A reformatted region that the edit touches is taken in its new rendering.
 */
export function spliceEdit(original: string, before: string, after: string): string {
  const crlf = original.includes('\r\n');
  const o = original.split('\n');
  const oPlain = o.map((l) => l.replace(/\r$/, ''));
  const n0 = before.split('\n');
  const n1 = after.split('\n');
  const anchor = new Map<number, number>();
  const blockOf = new Map<number, Block>();
  const oBlock = new Map<number, Block>();
  let cur: Block | undefined;
  for (const op of diffLines(oPlain, n0)) {
    if (op.kind === 'equal') {
      anchor.set(op.b, op.a);
      cur = undefined;
      continue;
    }
    cur ??= { oStart: Infinity, oEnd: -Infinity, dirty: false };
    if (op.kind === 'delete') {
      [cur.oStart, cur.oEnd] = [Math.min(cur.oStart, op.a), Math.max(cur.oEnd, op.a + 1)];
      oBlock.set(op.a, cur);
    } else blockOf.set(op.b, cur);
  }
  splitTrailingBlanks(oPlain, oBlock);
  const ops = diffLines(n0, n1);
  markDirty(ops, blockOf);

  const out: string[] = [];
  let oPos = 0;
  const emitTo = (end: number): void => {
    for (; oPos < end; oPos++) if (!oBlock.get(oPos)?.dirty) out.push(o[oPos] ?? '');
  };
  const fresh = (s: string): string => (crlf && s !== '' ? `${s}\r` : s);
  let last: Block | undefined;
  for (const op of ops) {
    if (op.kind === 'insert') {
      if (last && !last.dirty && last.oEnd > oPos) emitTo(last.oEnd);
      last = undefined;
      out.push(fresh(n1[op.b] ?? ''));
      continue;
    }
    const at = anchor.get(op.a);
    last = at === undefined ? blockOf.get(op.a) : undefined;
    if (at !== undefined) {
      emitTo(at);
      if (op.kind === 'equal') out.push(o[at] ?? '');
      oPos = at + 1;
    } else if (op.kind === 'equal' && last?.dirty) out.push(fresh(n1[op.b] ?? ''));
  }
  emitTo(o.length);
  return out.join('\n');
}

/** A reformatted block is dirty when the edit removes one of its lines or inserts between two of them. */
function markDirty(ops: ReturnType<typeof diffLines>, blockOf: Map<number, Block>): void {
  let prevBlock: Block | undefined;
  let pending = false;
  for (const op of ops) {
    const own = op.kind === 'delete' ? blockOf.get(op.a) : undefined;
    if (own) own.dirty = true;
    if (op.kind === 'insert') {
      pending = true;
      continue;
    }
    const b = blockOf.get(op.a);
    if (pending && b && b === prevBlock) b.dirty = true;
    pending = false;
    prevBlock = b;
  }
}

/**
 * Blank original lines at the end of a reformatted block (the serializer drops some blank lines) become a block of
 * their own, so that text added after the block goes before them and a rewritten block keeps them.
 */
function splitTrailingBlanks(oPlain: readonly string[], oBlock: Map<number, Block>): void {
  const blocks = new Set(oBlock.values());
  for (const b of blocks) {
    let cut = b.oEnd;
    while (cut - 1 > b.oStart && oPlain[cut - 1] === '') cut--;
    if (cut === b.oEnd) continue;
    const rest: Block = { oStart: cut, oEnd: b.oEnd, dirty: false };
    for (let i = cut; i < b.oEnd; i++) oBlock.set(i, rest);
    b.oEnd = cut;
  }
}
