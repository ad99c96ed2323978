import { main } from '../../src/cli/main.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { eventSchemaProblems } from './event-schema.js';

/** What one in-process CLI run produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed events when run with `--output json`. */
  events: Array<EngineEvent & { ts: string }>;
}

/** Runs the tsplay CLI in-process with captured output (no TTY). */
export async function tsplay(argv: string[], opts: { signal?: AbortSignal } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { io: { out: (s) => (stdout += s), err: (s) => (stderr += s) }, isTTY: false, signal: opts.signal });
  const events = argv.includes('json')
    ? stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as EngineEvent & { ts: string })
    : [];
  const bad = eventSchemaProblems(events);
  if (bad.length) throw new Error(`--output json events do not match schema/events.schema.json:\n${bad.join('\n')}`);
  return { code, stdout, stderr, events };
}

/** host-result events of a run, as `task/host → status`. */
export function statuses(run: CliRun): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of run.events) if (e.type === 'host-result') out[`${e.task}/${e.host}`] = e.status;
  return out;
}
