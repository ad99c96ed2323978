import { diffText } from './diff-text.js';
import type { EngineEvent } from '../engine/events.js';
import { problemLines } from './problems.js';
import { sectionLine } from './section-lines.js';
import { duration, recapLines } from './recap.js';
import type { Output, Renderer } from './writer.js';

const PROGRESS_EVERY_MS = 10_000;

/** Line-by-line output in ansible-playbook's style, for logs and non-TTY stdout. */
export class PlainRenderer implements Renderer {
  private readonly progressAt = new Map<string, number>();

  constructor(
    private readonly io: Output,
    private readonly verbosity: number,
  ) {}

  handle(e: EngineEvent): void {
    const say = (s: string) => this.io.out(`${s}\n`);
    switch (e.type) {
      case 'validation-failed':
        problemLines(e.problems).forEach((l) => this.io.err(`${l}\n`));
        return;
      case 'play-start':
        return say(`\nPLAY [${e.play}] (${e.hosts.length} host${e.hosts.length === 1 ? '' : 's'}, ${e.strategy})`);
      case 'batch-start':
        return say(`batch ${e.batch}/${e.batches}: ${e.hosts.join(', ')}`);
      case 'task-start':
        return say(`\n${e.handler ? 'RUNNING HANDLER' : 'TASK'} [${e.task}]`);
      case 'host-progress': {
        // a log line every 10 s per transfer (and its last one): enough to see it move and what is left
        const key = `${e.taskId} ${e.host}`;
        const last = this.progressAt.get(key) ?? 0;
        if (Date.now() - last < PROGRESS_EVERY_MS && !/ done$/.test(e.text)) return;
        this.progressAt.set(key, Date.now());
        return say(`  [${e.host}] ${e.text}`);
      }
      case 'host-retry':
        return say(`FAILED - RETRYING: [${e.host}] (attempt ${e.attempt} of ${e.retries}, next in ${e.delayS}s)`);
      case 'host-output':
        if (this.verbosity >= 2) say(`  [${e.host}] ${e.stream === 'stderr' ? '!' : '|'} ${e.text.trimEnd()}`);
        return;
      case 'host-result': {
        const label =
          e.status === 'failed' ? 'fatal' : e.status === 'ignored' ? 'failed (ignored)' : e.status === 'skipped' ? 'skipping' : e.status;
        const detail = e.msg ? ` => ${e.msg}` : '';
        const verbose = this.verbosity >= 1 && e.status !== 'skipped' ? `\n${JSON.stringify(e.result, null, 2)}` : '';
        say(`${label}: [${e.host}] (${duration(e.durationMs)})${detail}${verbose}`);
        diffText(e.result['diff']).forEach(say);
        return;
      }
      case 'warning':
        this.io.err(`[WARNING]: ${e.host ? `${e.host}: ` : ''}${e.message}\n`);
        return;
      case 'play-end':
        if (e.aborted) say(`PLAY STOPPED: ${e.aborted}`);
        return;
      case 'section-start':
      case 'section-end':
        return say(`\n${sectionLine(e)}`);
      case 'recap':
        say('\nPLAY RECAP');
        recapLines(e.hosts).forEach(say);
        return;
      case 'run-end':
        return say(`\nfinished in ${duration(e.durationMs)} (exit code ${e.exitCode})`);
      default:
        return;
    }
  }

  async close(): Promise<void> {}
}
