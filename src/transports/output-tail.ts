/** Collects a stream's bytes up to `cap`, keeping the tail (the end of a log matters most) and noting truncation. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  /** True when earlier bytes were dropped to stay within the cap. */
  truncated = false;

  constructor(private readonly cap: number) {}

  /** Adds a chunk, dropping the oldest bytes beyond the cap. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.cap) {
      const first = this.chunks[0];
      if (!first) break;
      const excess = this.size - this.cap;
      this.truncated = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  /** Everything kept, as one buffer. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }

  /** Everything kept, decoded as UTF-8. */
  text(): string {
    return this.bytes().toString('utf8');
  }
}

/** Default cap for each of stdout and stderr: 32 MiB. */
export const DEFAULT_OUTPUT_CAP = 32 * 1024 * 1024;
