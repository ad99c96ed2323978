import { createTransport } from '../transports/index.js';
import { Limiter } from '../util/limit.js';
import { ConnectionPool } from './connections.js';
import type { RunContext } from './context.js';
import type { EngineEvent, EventSink, HostRecap } from './events.js';
import { newHostState, type HostState } from './host-state.js';
import { confirm } from './module-context.js';
import type { RunOptions } from './options.js';
import { play as playStart } from './play-gate.js';
import { runPlay } from './play.js';
import { prepare } from './prepare.js';
import { Redactor } from './redact.js';
import { TaskSelection } from './selection.js';

/** ansible-playbook's exit codes. */
export const EXIT = { ok: 0, failed: 2, unreachable: 4, invalid: 5, internal: 250 } as const;

/** Validates everything, then runs the playbook, emitting events; resolves to ansible-playbook's exit code. Never prints, never exits. */
export async function runPlaybook(opts: RunOptions, sink: EventSink): Promise<number> {
  const started = Date.now();
  const redactor = new Redactor();
  const emit: EventSink = (e: EngineEvent) => sink(redactor.value(e));
  const prepared = await prepare(opts);
  redactor.add(...prepared.secrets, ...secretEnv());
  if (prepared.problems.length > 0) {
    emit({ type: 'validation-failed', problems: prepared.problems });
    emit({ type: 'run-end', exitCode: EXIT.invalid, durationMs: Date.now() - started });
    return EXIT.invalid;
  }
  if (opts.validateOnly) return EXIT.ok;
  const controller = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
  const hosts = new Map<string, HostState>();
  for (const name of new Set(prepared.playHosts.flat())) hosts.set(name, newHostState(name, prepared.inventory.hosts.get(name)?.vars ?? {}));
  const rc: RunContext = {
    opts,
    inventory: prepared.inventory,
    hosts,
    emit,
    redactor,
    connections: new ConnectionPool(prepared.specs, opts.transportFactory ?? createTransport, opts.forks, signal),
    forks: new Limiter(Math.max(1, opts.forks)),
    signal,
    varsFiles: prepared.varsFiles,
  };
  emit({ type: 'run-start', playbook: opts.playbook, check: opts.check, hosts: [...hosts.keys()], time: new Date().toISOString() });
  try {
    for (const [i, play] of prepared.plays.entries()) {
      const targets = (prepared.playHosts[i] ?? []).map((h) => hosts.get(h)).filter((h): h is HostState => h !== undefined);
      if (!(await playStart(rc, play, confirm))) break;
      const aborted = await runPlay(rc, play, i, targets, new TaskSelection(opts));
      if (aborted || signal.aborted) break;
    }
  } finally {
    await rc.connections.closeAll();
  }
  const recap: Record<string, HostRecap> = Object.fromEntries([...hosts].map(([n, h]) => [n, h.recap]));
  emit({ type: 'recap', hosts: recap });
  const code = exitCode([...hosts.values()], signal.aborted);
  emit({ type: 'run-end', exitCode: code, durationMs: Date.now() - started });
  return code;
}

function exitCode(hosts: HostState[], interrupted: boolean): number {
  if (hosts.some((h) => h.recap.failed > 0 || h.failed)) return EXIT.failed;
  if (hosts.some((h) => h.unreachable)) return EXIT.unreachable;
  return interrupted ? EXIT.failed : EXIT.ok;
}

/** Object-store secrets from the environment (the seed's ECS_* names and AWS_*) are never shown. */
function secretEnv(): string[] {
  return ['ECS_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].map((k) => process.env[k]).filter((v): v is string => Boolean(v));
}
