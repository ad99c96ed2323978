import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RunOptions } from '../engine/options.js';
import { runPlaybook } from '../engine/run.js';
import { dirname } from 'node:path';
import type { EngineEvent } from '../engine/events.js';
import { sectionHistory } from '../journal/history.js';
import { readJournal } from '../journal/reader.js';
import { JournalWriter } from '../journal/writer.js';
import { shellQuote } from '../util/shell-quote.js';
import { deadlineNote } from './deadline.js';
import { acquireControllerLock, lockPathFor, ownerNow } from '../lock/controller-lock.js';
import { JsonLinesRenderer } from '../ui/json-lines.js';
import { PlainRenderer } from '../ui/plain.js';
import type { Output, Renderer } from '../ui/writer.js';

/** How a run is shown and recorded. */
export interface ExecuteOptions {
  mode: 'tty' | 'plain' | 'json';
  io: Output;
  journal: string | undefined;
  lock: boolean;
  /** The inventory sources as the operator gave them (shown in hints); default: the run's. */
  inventoryShown?: string[] | undefined;
}

/** Takes the inventory lock, runs with the chosen renderer and journal, prints how to resume when it stopped early. */
export async function execute(opts: RunOptions, x: ExecuteOptions): Promise<number> {
  // listr2 is loaded only for the live terminal view
  const renderer: Renderer =
    x.mode === 'json'
      ? new JsonLinesRenderer(x.io)
      : x.mode === 'tty'
        ? new (await import('../ui/listr.js')).ListrRenderer(x.io)
        : new PlainRenderer(x.io, opts.verbosity);
  const owner = ownerNow(opts.playbook, randomUUID());
  let release = () => {};
  if (x.lock && !opts.validateOnly) {
    // a LockedError goes up to the CLI's one error handler (exit 5)
    release = acquireControllerLock(lockPathFor(opts.inventory), owner, (msg) => x.io.err(`[WARNING]: ${msg}\n`));
  }
  const journal = x.journal && !opts.validateOnly ? new JournalWriter(x.journal) : undefined;
  // earlier runs' journals are read only when a critical section is met (most runs have none)
  const given = opts.sectionHistory;
  const history = (): Record<string, number> => ({
    ...(journal ? sectionHistory(dirname(journal.path), opts.playbook, journal.path) : {}),
    ...(typeof given === 'function' ? given() : given),
  });
  let end: Extract<EngineEvent, { type: 'run-end' }> | undefined;
  if (opts.deadline && !opts.validateOnly) x.io.err(deadlineNote(opts.deadline));
  try {
    const code = await runPlaybook(
      { ...opts, hostLock: x.lock ? owner : undefined, journal: journal?.path, sectionHistory: history },
      (e) => {
        journal?.handle(e);
        renderer.handle(e);
        if (e.type === 'run-end') end = e;
      },
    );
    await renderer.close();
    if (journal?.written) x.io.err(endNote(journal.path, end, opts.playbook, x.inventoryShown ?? opts.inventory));
    return code;
  } finally {
    release();
  }
}

/** What the operator reads at the end of a run: where the journal is, and after a stop how to resume or roll back. */
export function endNote(
  path: string,
  end: Extract<EngineEvent, { type: 'run-end' }> | undefined,
  playbook: string,
  inventory: string[],
): string {
  const stopped = end?.stopped;
  if (!stopped) return `tsplay: journal: ${path}\n`;
  let masked: string[] = [];
  try {
    masked = readJournal(path).maskedVars;
  } catch {
    masked = [];
  }
  const resume = [`tsplay resume ${path}`, ...masked.map((k) => `-e ${k}=...`), ...(stopped.needsConfirmation ? ['--yes'] : [])].join(' ');
  const rollback = stopped.changedSomething ? rollbackNote(playbook, inventory) : undefined;
  return (
    `tsplay: stopped (${stopped.reason}). Journal: ${path}\n  resume with: ${resume}\n` +
    (rollback
      ? `  or roll back (the playbook's header says): ${rollback}\n`
      : stopped.changedSomething
        ? ''
        : '  nothing was changed on any host\n')
  );
}

/** The playbook header's "# Rolling back: ..." paragraph (continuation lines joined), if it has one. */
export function rollbackNote(playbook: string, inventory: string[] = []): string | undefined {
  let text: string;
  try {
    text = readFileSync(playbook, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^#\s*Rolling back[^:]*:/.test(l));
  if (at < 0) return undefined;
  const parts = [(lines[at] ?? '').replace(/^#\s*Rolling back[^:]*:\s*/, '')];
  for (const l of lines.slice(at + 1)) {
    if (!/^#\s{2,}\S/.test(l)) break;
    parts.push(l.replace(/^#\s+/, ''));
  }
  const note = parts.join(' ').trim();
  // the header's placeholder stands for the inventory this run was given
  const inv = inventory.map((i) => `-i ${shellQuote(i)}`).join(' ');
  return (inv ? note.replace(/-i\s+(?:<inventory>|INVENTORY\b|INV\b)/g, inv) : note) || undefined;
}
