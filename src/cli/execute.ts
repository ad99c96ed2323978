import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RunOptions } from '../engine/options.js';
import { EXIT, runPlaybook } from '../engine/run.js';
import { JournalWriter } from '../journal/writer.js';
import { acquireControllerLock, LockedError, lockPathFor, ownerNow } from '../lock/controller-lock.js';
import { JsonLinesRenderer } from '../ui/json-lines.js';
import { PlainRenderer } from '../ui/plain.js';
import type { Output, Renderer } from '../ui/writer.js';

/** How a run is shown and recorded. */
export interface ExecuteOptions {
  mode: 'tty' | 'plain' | 'json';
  io: Output;
  journal: string | undefined;
  lock: boolean;
}

/** Takes the inventory lock, runs with the chosen renderer and journal, prints how to resume when it stopped early. */
export async function execute(opts: RunOptions, x: ExecuteOptions): Promise<number> {
  // listr2 is loaded only for the live terminal view
  const renderer: Renderer =
    x.mode === 'json' ? new JsonLinesRenderer(x.io) : x.mode === 'tty' ? new (await import('../ui/listr.js')).ListrRenderer(x.io) : new PlainRenderer(x.io, opts.verbosity);
  const owner = ownerNow(opts.playbook, randomUUID());
  let release = () => {};
  if (x.lock && !opts.validateOnly) {
    try {
      release = acquireControllerLock(lockPathFor(opts.inventory), owner, (msg) => x.io.err(`[WARNING]: ${msg}\n`));
    } catch (err) {
      if (!(err instanceof LockedError)) throw err;
      x.io.err(`tsplay: ${err.message}\n`);
      return EXIT.invalid;
    }
  }
  const journal = x.journal && !opts.validateOnly ? new JournalWriter(x.journal) : undefined;
  let stopped: string | undefined;
  try {
    const code = await runPlaybook({ ...opts, hostLock: x.lock ? owner : undefined }, (e) => {
      journal?.handle(e);
      renderer.handle(e);
      if (e.type === 'run-end' && e.stopped) stopped = e.stopped.reason;
    });
    await renderer.close();
    if (stopped && journal) {
      const rollback = rollbackNote(opts.playbook);
      x.io.err(`tsplay: stopped (${stopped}). Journal: ${journal.path}\n  resume with: tsplay resume ${journal.path}\n${rollback ? `  or roll back (the playbook's header says): ${rollback}\n` : ''}`);
    }
    return code;
  } finally {
    release();
  }
}

/** The playbook header's "# Rolling back: ..." paragraph (continuation lines joined), if it has one. */
export function rollbackNote(playbook: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(playbook, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^#\s*Rolling back[^:]*:/.test(l));
  if (at < 0) return undefined;
  const parts = [lines[at]!.replace(/^#\s*Rolling back[^:]*:\s*/, '')];
  for (const l of lines.slice(at + 1)) {
    if (!/^#\s{2,}\S/.test(l)) break;
    parts.push(l.replace(/^#\s+/, ''));
  }
  return parts.join(' ').trim() || undefined;
}
