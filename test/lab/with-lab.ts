import { labDown, labUp, type Lab } from './lab.js';
import { killRecordedSync } from './pids.js';

/**
 * The one way integration tests get a lab: a fresh lab for fn, always torn down afterwards, also
 * when fn throws or the test process is interrupted (SIGINT/SIGTERM) or exits early.
 */
export async function withLab<T>(fn: (lab: Lab) => Promise<T>): Promise<T> {
  const onSignal = (sig: NodeJS.Signals): void => {
    void labDown().finally(() => process.kill(process.pid, sig));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', killRecordedSync); // last resort; hosts.ts kills the namespaces on exit itself
  try {
    return await fn(await labUp({ fresh: true }));
  } finally {
    await labDown();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', killRecordedSync);
  }
}
