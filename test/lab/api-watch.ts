// Watches the lab's API from outside, as its users see it: the API is down while no master's kube-apiserver
// answers /healthz with 200 (a client behind a load balancer reaches whichever master is up).
import { apiserverStatus } from './health.js';
import { sleep } from './pids.js';
import { members } from './topology.js';

/** What the watch saw: every window in which no kube-apiserver answered 200 (ms since the epoch). */
export interface ApiDowntime {
  windows: Array<{ start: number; end: number }>;
  /** Sum of the windows, ms. */
  totalMs: number;
  /** How many polls were made (one per interval, every master at once). */
  polls: number;
}

/** A running watch. */
export interface ApiWatch {
  /** Resolves once the API has been down and is up again (at most timeoutMs; rejects after). */
  backUp(timeoutMs?: number): Promise<void>;
  /** Ends the watch and returns what it saw. */
  stop(): Promise<ApiDowntime>;
}

/** Starts polling every master's /healthz each `intervalMs` (default 50); stop() ends the watch and returns the downtime. */
export function watchApi(intervalMs = 50): ApiWatch {
  let running = true;
  let polls = 0;
  let downSince: number | undefined;
  const windows: ApiDowntime['windows'] = [];
  const loop = (async () => {
    while (running) {
      const t = Date.now();
      const codes = await Promise.all(members.map((m) => apiserverStatus(m)));
      polls++;
      const up = codes.some((c) => c === 200);
      if (!up && downSince === undefined) downSince = t;
      if (up && downSince !== undefined) {
        windows.push({ start: downSince, end: t });
        downSince = undefined;
      }
      await sleep(Math.max(0, intervalMs - (Date.now() - t)));
    }
  })();
  return {
    async backUp(timeoutMs = 300_000) {
      const end = Date.now() + timeoutMs;
      while (windows.length === 0 || downSince !== undefined) {
        if (Date.now() > end) throw new Error(`the API did not come back within ${timeoutMs / 1000} s`);
        await sleep(intervalMs);
      }
    },
    async stop() {
      running = false;
      await loop;
      if (downSince !== undefined) windows.push({ start: downSince, end: Date.now() });
      return { windows, totalMs: windows.reduce((s, w) => s + w.end - w.start, 0), polls };
    },
  };
}
