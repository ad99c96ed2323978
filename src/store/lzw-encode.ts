import { Transform, type TransformCallback } from 'node:stream';

const CLEAR = 256;
const FIRST = 257;

/** A streaming .Z (unix compress, block mode) encoder; clears the table when it is full. For fixtures and compatibility. */
export function lzwEncoder(maxBits = 16): Transform {
  if (maxBits < 9 || maxBits > 16) throw new RangeError(`maxBits must be 9..16, got ${maxBits}`);
  const e = new LzwEncodeState(maxBits);
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      e.write(chunk);
      cb(null, e.take());
    },
    flush(cb: TransformCallback) {
      e.end();
      cb(null, e.take());
    },
  });
}

class LzwEncodeState {
  private readonly table = new Map<number, number>();
  private readonly maxMax: number;
  private nBits = 9;
  private maxCode = 511;
  private freeEnt = FIRST;
  private ent = -1;
  private bitBuf = 0;
  private bitCount = 0;
  private epochBits = 0;
  private out: number[] = [];

  constructor(private readonly maxBits: number) {
    this.maxMax = 1 << maxBits;
    this.out.push(0x1f, 0x9d, 0x80 | maxBits);
  }

  write(chunk: Buffer): void {
    for (const c of chunk) {
      if (this.ent < 0) {
        this.ent = c;
        continue;
      }
      const key = (this.ent << 8) | c;
      const hit = this.table.get(key);
      if (hit !== undefined) {
        this.ent = hit;
        continue;
      }
      this.output(this.ent, false);
      this.ent = c;
      if (this.freeEnt < this.maxMax) this.table.set(key, this.freeEnt++);
      else {
        this.table.clear();
        this.freeEnt = FIRST;
        this.output(CLEAR, true);
      }
    }
  }

  end(): void {
    if (this.ent >= 0) this.output(this.ent, false);
    if (this.bitCount > 0) this.out.push(this.bitBuf & 0xff);
    this.bitBuf = 0;
    this.bitCount = 0;
  }

  take(): Buffer {
    const b = Buffer.from(this.out);
    this.out = [];
    return b;
  }

  /** Writes a code; then grows the width (or resets it after CLEAR), padding the group as compress does. */
  private output(code: number, clear: boolean): void {
    this.bitBuf |= code << this.bitCount;
    this.bitCount += this.nBits;
    this.epochBits += this.nBits;
    while (this.bitCount >= 8) {
      this.out.push(this.bitBuf & 0xff);
      this.bitBuf >>>= 8;
      this.bitCount -= 8;
    }
    if (!clear && !(this.freeEnt > this.maxCode && this.nBits < this.maxBits)) return;
    this.pad();
    if (clear) this.nBits = 9;
    else this.nBits++;
    this.maxCode = this.nBits === this.maxBits ? this.maxMax : (1 << this.nBits) - 1;
  }

  /** Fills the current group of n_bits bytes with zero bits. */
  private pad(): void {
    const group = this.nBits * 8;
    let pad = (group - (this.epochBits % group)) % group;
    this.epochBits = 0;
    while (pad > 0) {
      const n = Math.min(pad, 8 - this.bitCount);
      this.bitCount += n;
      pad -= n;
      if (this.bitCount === 8) {
        this.out.push(this.bitBuf & 0xff);
        this.bitBuf = 0;
        this.bitCount = 0;
      }
    }
  }
}
