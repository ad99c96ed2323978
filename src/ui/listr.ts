import { diffText } from './diff-text.js';
import { Listr, type ListrTaskWrapper, type ListrDefaultRenderer, type ListrSimpleRenderer } from 'listr2';
import type { EngineEvent } from '../engine/events.js';
import { deferred, type Deferred } from './deferred.js';
import { problemLines } from './problems.js';
import { sectionLine } from './section-lines.js';
import { duration, recapLines } from './recap.js';
import type { Output, Renderer } from './writer.js';

type Wrapper = ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;
type HostEnd = Extract<EngineEvent, { type: 'host-result' }>;

/** A host row of the live view: resolves when the host's result arrives; output is throttled (listr2 9 leaks under fast writes). */
interface HostRow {
  done: Deferred<HostEnd>;
  wrapper?: Wrapper;
  lastWrite: number;
  /** The newest line not yet shown, written by `flush` once the throttle interval has passed. */
  pending?: string;
  /** The host's result once it arrived (its --diff is printed under the task). */
  result?: HostEnd;
  flush?: NodeJS.Timeout;
}

const OUTPUT_INTERVAL_MS = 150;

/** Live view (listr2): one row per task with a sub-row per host; the engine's events drive it. */
export class ListrRenderer implements Renderer {
  private chain: Promise<void> = Promise.resolve();
  private readonly rows = new Map<string, Map<string, HostRow>>();

  constructor(private readonly io: Output) {}

  handle(e: EngineEvent): void {
    switch (e.type) {
      case 'validation-failed':
        problemLines(e.problems).forEach((l) => this.io.err(`${l}\n`));
        return;
      case 'play-start':
        return this.after(() => this.io.out(`\nPLAY [${e.play}] ${e.hosts.length} host(s), ${e.strategy}\n`));
      case 'task-start':
        return this.startTask(e);
      case 'host-output':
        return this.output(e.taskId, e.host, e.text);
      case 'host-progress':
        return this.output(e.taskId, e.host, `${e.text}\n`);
      case 'host-result':
        this.rows.get(e.taskId)?.get(e.host)?.done.resolve(e);
        return;
      case 'warning':
        return this.after(() => this.io.err(`[WARNING]: ${e.message}\n`));
      case 'play-end':
        if (e.aborted) this.after(() => this.io.out(`PLAY STOPPED: ${e.aborted ?? ''}\n`));
        return;
      case 'section-start':
      case 'section-end':
        return this.after(() => this.io.out(`\n${sectionLine(e)}\n`));
      case 'recap':
        return this.after(() => this.io.out(`\nPLAY RECAP\n${recapLines(e.hosts).join('\n')}\n`));
      case 'run-end':
        return this.after(() => this.io.out(`finished in ${duration(e.durationMs)} (exit code ${e.exitCode})\n`));
      default:
        return;
    }
  }

  private after(fn: () => void): void {
    this.chain = this.chain.then(fn);
  }

  private startTask(e: Extract<EngineEvent, { type: 'task-start' }>): void {
    const rows = new Map<string, HostRow>(e.hosts.map((h) => [h, { done: deferred<HostEnd>(), lastWrite: 0 }]));
    this.rows.set(e.taskId, rows);
    const list = new Listr(
      [
        {
          title: `${e.handler ? 'HANDLER' : 'TASK'} [${e.task}]`,
          task: (_ctx, t) =>
            t.newListr(
              [...rows].map(([host, row]) => ({ title: host, task: (_c: unknown, w: Wrapper) => this.hostTask(host, row, w) })),
              { concurrent: true, exitOnError: false },
            ),
        },
      ],
      {
        exitOnError: false,
        collectErrors: false,
        rendererOptions: { collapseSubtasks: false, collapseErrors: false, showErrorMessage: true },
        fallbackRendererOptions: { timestamp: undefined },
      },
    );
    this.chain = this.chain.then(async () => {
      await list.run().catch(() => undefined);
      for (const [host, row] of rows) {
        const diff = row.result ? diffText(row.result.result['diff']) : [];
        if (diff.length) this.io.out(`${host}:\n${diff.join('\n')}\n`);
      }
      this.rows.delete(e.taskId);
    });
  }

  private async hostTask(host: string, row: HostRow, w: Wrapper): Promise<void> {
    row.wrapper = w;
    if (row.pending !== undefined) this.write(row);
    const r = await row.done.promise;
    row.result = r;
    clearTimeout(row.flush);
    const label = `${host}: ${r.status} (${duration(r.durationMs)})${r.msg ? ` ${titleOf(r.msg)}` : ''}`;
    w.title = label;
    if (r.status === 'failed' || r.status === 'unreachable') throw new Error(`${host}: ${r.msg}`);
    if (r.status === 'skipped') w.skip(label);
  }

  private output(taskId: string, host: string, text: string): void {
    const row = this.rows.get(taskId)?.get(host);
    if (!row) return;
    row.pending = text.trimEnd().split('\n').pop() ?? '';
    if (!row.wrapper || row.flush) return;
    const wait = row.lastWrite + OUTPUT_INTERVAL_MS - Date.now();
    if (wait <= 0) this.write(row);
    else row.flush = setTimeout(() => this.write(row), wait);
  }

  /** Shows a row's pending line now (the throttle's trailing edge, so the last line is never dropped). */
  private write(row: HostRow): void {
    row.flush = undefined;
    if (!row.wrapper || row.pending === undefined) return;
    row.lastWrite = Date.now();
    row.wrapper.output = row.pending;
    row.pending = undefined;
  }

  async close(): Promise<void> {
    await this.chain;
  }
}

/** A result's message on one line: its first line, and a check-mode plan's further lines (each command it would run). */
function titleOf(msg: string): string {
  const [first = '', ...rest] = msg.split('\n');
  return [first, ...rest.filter((l) => /^(would run: |check mode: )/.test(l))].join('; ');
}
