/* Generated from schema/events.schema.json by scripts/gen-types.mjs: do not edit. */

/**
 * One line of `tsplay run --output json` (and of a run journal): an engine event plus its timestamp `ts`. Stable: fields are only ever added.
 */
export type EngineEventLine = {
  type:
    | 'run-start'
    | 'validation-failed'
    | 'play-start'
    | 'batch-start'
    | 'task-start'
    | 'host-output'
    | 'host-progress'
    | 'host-retry'
    | 'host-result'
    | 'task-end'
    | 'warning'
    | 'play-end'
    | 'section-start'
    | 'section-end'
    | 'recap'
    | 'run-end';
  /**
   * When the event was written (UTC ISO 8601).
   */
  ts: string;
};
