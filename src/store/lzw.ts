import { Transform, type TransformCallback } from 'node:stream';
import { LzwError } from '../errors/lzw-error.js';

// Unix `compress` (.Z): a 3-byte header (1f 9d, flags = block mode 0x80 | max bits), then LZW codes
// packed LSB first, 9 bits growing to max bits. Codes are written in groups of 8 (n_bits bytes):
// when the width grows or a CLEAR (256) is sent, the rest of the current group is padding.

const MAGIC0 = 0x1f;
const MAGIC1 = 0x9d;
const BLOCK_MODE = 0x80;
const CLEAR = 256;
const OUT_CHUNK = 64 * 1024;

/** A streaming .Z decoder: memory is the 64 Ki-entry table plus one output chunk, whatever the size. */
export function lzwDecoder(): Transform {
  const d = new LzwDecodeState();
  return new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      try {
        d.write(chunk, (b) => this.push(b));
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
    flush(cb: TransformCallback) {
      try {
        d.end((b) => this.push(b));
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
  });
}

class LzwDecodeState {
  private header: number[] = [];
  private started = false;
  private maxBits = 16;
  private block = true;
  private nBits = 9;
  private maxCode = 511;
  private freeEnt = 257;
  private bitBuf = 0;
  private bitCount = 0;
  /** Bits consumed since the current code width started (for group alignment). */
  private epochBits = 0;
  /** Padding bits still to drop. */
  private skip = 0;
  private oldCode = -1;
  private finChar = 0;
  private readonly prefix = new Uint16Array(65536);
  private readonly suffix = new Uint8Array(65536);
  private readonly stack = new Uint8Array(65536);
  private out = Buffer.allocUnsafe(OUT_CHUNK);
  private outPos = 0;

  write(chunk: Buffer, push: (b: Buffer) => void): void {
    let i = 0;
    while (this.header.length < 3 && i < chunk.length) this.header.push(chunk[i++] ?? 0);
    if (this.header.length < 3) return;
    if (!this.started) this.start();
    for (; i < chunk.length; i++) {
      const byte = chunk[i] ?? 0;
      if (this.skip >= 8) {
        this.skip -= 8;
        continue;
      }
      this.bitBuf |= (byte >>> this.skip) << this.bitCount;
      this.bitCount += 8 - this.skip;
      this.skip = 0;
      while (this.bitCount >= this.nBits && this.skip === 0) this.code(push);
    }
    this.flushOut(push);
  }

  end(push: (b: Buffer) => void): void {
    if (this.header.length < 3) {
      if (this.header.length === 0) return;
      throw new LzwError('truncated header');
    }
    this.flushOut(push);
  }

  private start(): void {
    const [m0, m1, flags = 0] = this.header;
    if (m0 !== MAGIC0 || m1 !== MAGIC1) throw new LzwError('bad magic number (not a compress file)');
    this.maxBits = flags & 0x1f;
    this.block = (flags & BLOCK_MODE) !== 0;
    if (this.maxBits < 9 || this.maxBits > 16) throw new LzwError(`unsupported max bits ${this.maxBits}`);
    this.freeEnt = this.block ? 257 : 256;
    for (let c = 0; c < 256; c++) this.suffix[c] = c;
    this.started = true;
  }

  /** Reads one code from the bit buffer and emits its string. */
  private code(push: (b: Buffer) => void): void {
    if (this.freeEnt > this.maxCode && this.nBits < this.maxBits) {
      this.align();
      this.nBits++;
      this.maxCode = this.nBits === this.maxBits ? 1 << this.maxBits : (1 << this.nBits) - 1;
      return;
    }
    const code = this.bitBuf & ((1 << this.nBits) - 1);
    this.bitBuf >>>= this.nBits;
    this.bitCount -= this.nBits;
    this.epochBits += this.nBits;
    if (this.oldCode === -1) {
      if (code >= 256) throw new LzwError(`first code ${code} is not a literal`);
      this.oldCode = this.finChar = code;
      this.emit(code, push);
      return;
    }
    if (code === CLEAR && this.block) {
      this.align();
      this.prefix.fill(0, 0, 256);
      this.freeEnt = 256;
      this.nBits = 9;
      this.maxCode = 511;
      return;
    }
    this.expand(code, push);
  }

  private expand(code: number, push: (b: Buffer) => void): void {
    let sp = 0;
    let c = code;
    if (c >= this.freeEnt) {
      if (c > this.freeEnt) throw new LzwError(`code ${c} is beyond the table (${this.freeEnt})`);
      this.stack[sp++] = this.finChar;
      c = this.oldCode;
    }
    while (c >= 256) {
      this.stack[sp++] = this.suffix[c] ?? 0;
      c = this.prefix[c] ?? 0;
    }
    this.finChar = c;
    this.stack[sp++] = c;
    while (sp > 0) this.emit(this.stack[--sp] ?? 0, push);
    if (this.freeEnt < 1 << this.maxBits) {
      this.prefix[this.freeEnt] = this.oldCode;
      this.suffix[this.freeEnt] = this.finChar;
      this.freeEnt++;
    }
    this.oldCode = code;
  }

  /** Drops the rest of the current group of n_bits bytes (the encoder padded it). */
  private align(): void {
    const group = this.nBits * 8;
    const pad = (group - (this.epochBits % group)) % group;
    this.epochBits = 0;
    const fromBuf = Math.min(pad, this.bitCount);
    this.bitBuf >>>= fromBuf;
    this.bitCount -= fromBuf;
    this.skip = pad - fromBuf;
  }

  private emit(byte: number, push: (b: Buffer) => void): void {
    this.out[this.outPos++] = byte;
    if (this.outPos === OUT_CHUNK) this.flushOut(push);
  }

  private flushOut(push: (b: Buffer) => void): void {
    if (this.outPos === 0) return;
    push(Buffer.from(this.out.subarray(0, this.outPos)));
    this.outPos = 0;
  }
}
