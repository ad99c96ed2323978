import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readInput } from '../util/read-input.js';

/** How many of the newest journals in a directory are read for measured durations. */
const NEWEST = 40;

/**
 * The longest duration (ms) of each critical section that ran to its end in earlier runs of the same playbook,
 * from the journals in `dir` (the newest few): what a deadline judges a section by when it declares less.
 */
export function sectionHistory(dir: string, playbook: string, skip?: string): Record<string, number> {
  const want = resolve(playbook);
  const out: Record<string, number> = {};
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => join(dir, f))
      .filter((f) => resolve(f) !== (skip && resolve(skip)));
  } catch {
    return out;
  }
  const newest = files
    .map((f) => ({ f, t: mtime(f) }))
    .sort((a, b) => b.t - a.t)
    .slice(0, NEWEST);
  for (const { f } of newest) {
    const read = readInput(f, 'journal', undefined, Number.POSITIVE_INFINITY);
    if (read.text === undefined) continue;
    const text = read.text;
    let same = false;
    const resumed = new Set<string>();
    for (const line of text.split('\n')) {
      // only run-start and section events matter: the others (most of a journal, host results with their output)
      // are not parsed
      if (!line.includes('"type":"run-start"') && !line.includes('"type":"section-')) continue;
      let e: { type?: string; inputs?: { playbook?: string }; section?: string; durationMs?: number; outcome?: string; resumed?: boolean };
      try {
        e = JSON.parse(line) as typeof e;
      } catch {
        break;
      }
      if (e.type === 'run-start') {
        same = e.inputs?.playbook === want;
        resumed.clear();
      } else if (e.type === 'section-start' && e.resumed && e.section) resumed.add(e.section);
      // a section entered in its middle by a resume ran only part of its length
      else if (
        same &&
        e.type === 'section-end' &&
        e.outcome === 'done' &&
        !resumed.has(e.section ?? '') &&
        typeof e.section === 'string' &&
        typeof e.durationMs === 'number'
      ) {
        out[e.section] = Math.max(out[e.section] ?? 0, e.durationMs);
      }
    }
  }
  return out;
}

function mtime(f: string): number {
  try {
    return statSync(f).mtimeMs;
  } catch {
    return 0;
  }
}
