import type { RunContext } from './context.js';

type Stream = 'stdout' | 'stderr';

/**
 * Live output of one module run, as host-output events. Events are masked one by one, so a secret that arrives
 * split over two chunks would escape the mask: a chunk's tail that could be the start of a secret is held back
 * until the next chunk (or the end of the module run) shows whether the secret follows.
 */
export class LiveOutput {
  private readonly pending: Record<Stream, string> = { stdout: '', stderr: '' };

  constructor(
    private readonly rc: RunContext,
    private readonly taskId: string,
    private readonly host: string,
  ) {}

  /** One chunk of output. */
  readonly push = (stream: Stream, text: string): void => {
    const all = this.pending[stream] + text;
    const hold = this.rc.redactor.pendingPrefix(all);
    this.pending[stream] = all.slice(all.length - hold);
    this.send(stream, all.slice(0, all.length - hold));
  };

  /** Emits whatever was held back (the module run ended). */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const text = this.pending[stream];
      this.pending[stream] = '';
      this.send(stream, text);
    }
  }

  private send(stream: Stream, text: string): void {
    if (text !== '') this.rc.emit({ type: 'host-output', taskId: this.taskId, host: this.host, stream, text });
  }
}
