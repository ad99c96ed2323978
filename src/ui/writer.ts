/** Where a renderer writes (stdout/stderr in the CLI, buffers in tests). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** A renderer consumes engine events and may need to finish (flush, stop live views). */
export interface Renderer {
  handle(event: import('../engine/events.js').EngineEvent): void;
  close(): Promise<void>;
}
