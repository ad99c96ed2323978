import { randomBytes } from 'node:crypto';

/** Per-command random tokens the remote side prints on stderr: sudo's password prompt and the "command started, pid N" line. */
export interface Markers {
  /** Passed to `sudo -p`; seeing it on stderr means sudo wants the password. */
  prompt: string;
  /** Printed as `<ready>PID]\n` by the wrapper script once the command is about to start (after sudo). */
  ready: string;
}

/** Fresh unguessable markers for one command. */
export function newMarkers(): Markers {
  const id = randomBytes(9).toString('hex');
  return { prompt: `[tsplay-sudo-${id}]`, ready: `[tsplay-ready-${id}:` };
}

/** What the scanner found besides plain stderr text. */
export interface ScanHandlers {
  text(chunk: Buffer): void;
  prompt(): void;
  ready(pid: number): void;
}

/** Splits a stderr byte stream into plain text and marker events, stripping the markers (markers split across chunks included). */
export class StderrScanner {
  private pending = '';
  private readonly readyRe: RegExp;

  constructor(
    private readonly m: Markers,
    private readonly h: ScanHandlers,
    private readonly watchPrompt: boolean,
  ) {
    this.readyRe = new RegExp(`${escapeRe(m.ready)}(\\d+)\\]\\n`);
  }

  /** Feeds a chunk of stderr. */
  push(chunk: Buffer): void {
    this.pending += chunk.toString('latin1');
    this.drain(false);
  }

  /** Flushes whatever is left (stream ended). */
  end(): void {
    this.drain(true);
  }

  private drain(final: boolean): void {
    for (;;) {
      const p = this.watchPrompt ? this.pending.indexOf(this.m.prompt) : -1;
      const r = this.readyRe.exec(this.pending);
      if (p < 0 && !r) break;
      if (r && (p < 0 || r.index < p)) {
        this.emit(this.pending.slice(0, r.index));
        this.pending = this.pending.slice(r.index + r[0].length);
        this.h.ready(Number(r[1]));
      } else {
        this.emit(this.pending.slice(0, p));
        this.pending = this.pending.slice(p + this.m.prompt.length);
        this.h.prompt();
      }
    }
    const keep = final ? 0 : this.partialTokenLength();
    this.emit(this.pending.slice(0, this.pending.length - keep));
    this.pending = this.pending.slice(this.pending.length - keep);
  }

  /** Length of the longest tail of `pending` that could still grow into a marker. */
  private partialTokenLength(): number {
    const s = this.pending;
    const from = Math.max(0, s.length - (this.m.ready.length + 24));
    for (let i = from; i < s.length; i++) {
      const tail = s.slice(i);
      if (this.couldBeToken(tail)) return s.length - i;
    }
    return 0;
  }

  private couldBeToken(tail: string): boolean {
    if (this.watchPrompt && this.m.prompt.startsWith(tail)) return true;
    if (this.m.ready.startsWith(tail)) return true;
    return tail.startsWith(this.m.ready) && /^\d{0,20}\]?$/.test(tail.slice(this.m.ready.length));
  }

  private emit(text: string): void {
    if (text !== '') this.h.text(Buffer.from(text, 'latin1'));
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
