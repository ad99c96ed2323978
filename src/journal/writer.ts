import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { eventLine, type EngineEvent } from '../engine/events.js';

/**
 * Appends the run's events (already redacted by the engine) to a JSON-lines journal; live output is left out.
 * Nothing is written before the run starts: a run (or a resume) refused at validation leaves the journal as it was,
 * so a stopped run stays resumable.
 */
export class JournalWriter {
  private started = false;

  constructor(readonly path: string) {}

  /** Writes one event synchronously, so the journal is complete up to the last event even after a crash. */
  handle(e: EngineEvent): void {
    if (e.type === 'host-output' || e.type === 'host-progress') return;
    if (e.type === 'run-start' && !this.started) {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, '', { mode: 0o600 });
      this.started = true;
    }
    if (!this.started) return;
    appendFileSync(this.path, `${JSON.stringify(eventLine(e))}\n`);
  }

  /** True once the run started and the journal holds it. */
  get written(): boolean {
    return this.started;
  }
}

/** Default journal path: `.tsplay/runs/<UTC time>-<playbook name>.jsonl` under the current directory. */
export function defaultJournalPath(playbook: string, now = new Date()): string {
  const name =
    playbook
      .split('/')
      .pop()
      ?.replace(/\.ya?ml$/, '') ?? 'run';
  return `.tsplay/runs/${now.toISOString().replace(/[:.]/g, '-')}-${name}.jsonl`;
}
