import { EXIT } from '../engine/run.js';
import { LockedError } from '../errors/locked-error.js';
import { StoreError } from '../errors/store-error.js';
import { UsageError } from '../errors/usage-error.js';

/** What the CLI prints for an error that reached it, and the exit code it returns. */
export interface ErrorExit {
  message: string;
  code: number;
}

/**
 * The one place that maps errors to the CLI's message and exit code: usage, argument, lock and store errors exit 5
 * with a one-line message (`tsplay SUB: ...`); anything else is an internal error (EXIT.internal, with its stack).
 */
export function errorExit(err: unknown, sub: string | undefined): ErrorExit {
  if (err instanceof UsageError || err instanceof StoreError)
    return { message: `tsplay ${sub ?? ''}: ${err.message}\n`, code: EXIT.invalid };
  if (err instanceof LockedError) return { message: `tsplay: ${err.message}\n`, code: EXIT.invalid };
  if (err instanceof TypeError && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
    return { message: `tsplay: ${err.message} (see tsplay --help)\n`, code: EXIT.invalid };
  }
  return { message: `tsplay: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`, code: EXIT.internal };
}
