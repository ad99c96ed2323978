import { eventLine, type EngineEvent } from '../engine/events.js';
import type { Output, Renderer } from './writer.js';

/** One JSON object per line per event (`--output json`), for scripts. */
export class JsonLinesRenderer implements Renderer {
  constructor(private readonly io: Output) {}

  handle(e: EngineEvent): void {
    this.io.out(`${JSON.stringify(eventLine(e))}\n`);
  }

  async close(): Promise<void> {}
}
