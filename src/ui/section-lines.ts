import type { EngineEvent } from '../engine/events.js';
import { duration } from './recap.js';

/** The line shown when a critical section starts or ends (plain and live views alike). */
export function sectionLine(e: Extract<EngineEvent, { type: 'section-start' | 'section-end' }>): string {
  if (e.type === 'section-start') {
    const expected = [
      e.expectedMs !== undefined ? `declared ${duration(e.expectedMs)}` : '',
      e.measuredMs !== undefined ? `measured ${duration(e.measuredMs)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `CRITICAL SECTION [${e.section}] ${e.resumed ? 'resumed' : 'started'}${expected ? ` (${expected})` : ''}: a deadline or one Ctrl-C does not stop inside it`;
  }
  const how = e.outcome === 'done' ? 'finished' : e.outcome === 'rolled-back' ? 'rolled back' : 'failed';
  return `CRITICAL SECTION [${e.section}] ${how} after ${duration(e.durationMs)}`;
}
