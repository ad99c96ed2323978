import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EngineEvent } from '../engine/events.js';

/** Appends the run's events (already redacted by the engine) to a JSON-lines journal; live output is left out. */
export class JournalWriter {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, '', { mode: 0o600 });
  }

  /** Writes one event synchronously, so the journal is complete up to the last event even after a crash. */
  handle(e: EngineEvent): void {
    if (e.type === 'host-output') return;
    appendFileSync(this.path, `${JSON.stringify({ ...e, ts: new Date().toISOString() })}\n`);
  }
}

/** Default journal path: `.tsplay/runs/<UTC time>-<playbook name>.jsonl` under the current directory. */
export function defaultJournalPath(playbook: string, now = new Date()): string {
  const name = playbook.split('/').pop()?.replace(/\.ya?ml$/, '') ?? 'run';
  return `.tsplay/runs/${now.toISOString().replace(/[:.]/g, '-')}-${name}.jsonl`;
}
