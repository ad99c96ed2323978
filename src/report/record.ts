import { UsageError } from '../errors/usage-error.js';
import type { EngineEvent, HostRecap, HostStatus, RunInputs } from '../engine/events.js';

type Ev = EngineEvent & { ts?: string };

/** One task on one host, as the run record shows it. */
export interface RecordStep {
  /** Milliseconds from the start of the run segment. */
  atMs: number;
  play: string;
  task: string;
  host: string;
  status: HostStatus;
  durationMs: number;
  msg: string;
  /** The command it ran (or would run in check mode), already masked by the engine. */
  command?: string | undefined;
  item?: string | undefined;
}

/** A critical section of the run: how long the work inside it (the downtime it stands for) took. */
export interface RecordSection {
  name: string;
  startedAt: string;
  durationMs?: number | undefined;
  outcome: 'done' | 'failed' | 'rolled-back' | 'unfinished';
  expectedMs?: number | undefined;
}

/** One process of the run: the first run or one resume of it. */
export interface RecordSegment {
  startedAt: string;
  resumed: boolean;
  hosts: string[];
  check: boolean;
  steps: RecordStep[];
  sections: RecordSection[];
  warnings: string[];
  recap: Record<string, HostRecap>;
  exitCode?: number | undefined;
  durationMs?: number | undefined;
  stopped?: string | undefined;
  complete?: boolean | undefined;
}

/** Everything a change ticket needs from one journal. */
export interface RunRecord {
  journal: string;
  inputs: RunInputs;
  segments: RecordSegment[];
  /** Old data dirs kept on hosts (where to look before deleting them). */
  kept: Array<{ host: string; path: string }>;
  /** How the work ended: complete, stopped (resumable), failed, or unknown (the process was killed). */
  outcome: 'complete' | 'stopped' | 'failed' | 'unfinished';
}

const KEPT = /(\/[\w./-]+\.tsplay-\d{8}T\d{6})\b/g;

/** Builds the run record from a journal's events (a run and its resumptions, in order); a UsageError when they hold no run. */
export function buildRecord(journal: string, events: Ev[]): RunRecord {
  const first = events.find((e) => e.type === 'run-start');
  if (first?.type !== 'run-start') throw new UsageError(`${journal}: no run-start event: not a tsplay journal`);
  const segments: RecordSegment[] = [];
  const kept = new Map<string, { host: string; path: string }>();
  let seg: RecordSegment | undefined;
  let t0 = 0;
  let play = '';
  const tasks = new Map<string, { module: string }>();
  for (const e of events) {
    const at = e.ts ? Date.parse(e.ts) : NaN;
    switch (e.type) {
      case 'run-start':
        seg = {
          startedAt: e.time,
          resumed: segments.length > 0,
          hosts: e.hosts,
          check: e.check,
          steps: [],
          sections: [],
          warnings: [],
          recap: {},
        };
        segments.push(seg);
        t0 = Date.parse(e.time);
        break;
      case 'play-start':
        play = e.play;
        break;
      case 'task-start':
        tasks.set(e.taskId, { module: e.module });
        break;
      case 'host-result': {
        if (!seg) break;
        const cmd = e.result['cmd'];
        const command = Array.isArray(cmd) ? cmd.join(' ') : typeof cmd === 'string' ? cmd : undefined;
        seg.steps.push({
          atMs: Number.isNaN(at) ? 0 : at - t0 - e.durationMs,
          play,
          task: e.task,
          host: e.host,
          status: e.status,
          durationMs: e.durationMs,
          msg: e.msg,
          command,
          item: e.item,
        });
        for (const m of JSON.stringify(e.result).matchAll(KEPT)) if (m[1]) kept.set(`${e.host} ${m[1]}`, { host: e.host, path: m[1] });
        const facts = e.result['ansible_facts'] as Record<string, unknown> | undefined;
        const dir = facts?.['kept_data_dir'];
        if (typeof dir === 'string') kept.set(`${e.host} ${dir}`, { host: e.host, path: dir });
        break;
      }
      case 'warning':
        seg?.warnings.push(`${e.host ? `${e.host}: ` : ''}${e.message}`);
        break;
      case 'section-start':
        seg?.sections.push({ name: e.section, startedAt: e.ts ?? '', outcome: 'unfinished', expectedMs: e.expectedMs });
        break;
      case 'section-end': {
        const s = [...(seg?.sections ?? [])].reverse().find((x) => x.name === e.section && x.outcome === 'unfinished');
        if (s) Object.assign(s, { durationMs: e.durationMs, outcome: e.outcome });
        break;
      }
      case 'recap':
        if (seg) seg.recap = e.hosts;
        break;
      case 'run-end':
        if (seg)
          Object.assign(seg, {
            exitCode: e.exitCode,
            durationMs: e.durationMs,
            stopped: e.stopped?.reason,
            complete: e.complete ?? (e.exitCode === 0 && !e.stopped),
          });
        break;
      default:
        break;
    }
  }
  const last = segments[segments.length - 1];
  const outcome =
    last?.exitCode === undefined
      ? 'unfinished'
      : last.complete && last.exitCode === 0
        ? 'complete'
        : last.stopped
          ? 'stopped'
          : last.exitCode === 0
            ? 'complete'
            : 'failed';
  const sorted = [...kept.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.path < b.path ? -1 : 1));
  return { journal, inputs: first.inputs, segments, kept: sorted, outcome };
}

/** 850 ms, 12.3 s, 4 min 05 s. */
export function dur(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** What the outcome means for the operator, in one sentence. */
export function outcomeText(r: RunRecord): string {
  const last = r.segments[r.segments.length - 1];
  switch (r.outcome) {
    case 'complete':
      return `Complete: every play ran to its end (exit code ${last?.exitCode ?? 0}).`;
    case 'stopped':
      return `Stopped early (${last?.stopped ?? 'stopped'}), exit code ${last?.exitCode ?? '?'}: the work is unfinished; continue with tsplay resume ${r.journal}.`;
    case 'failed':
      return `Failed (exit code ${last?.exitCode ?? '?'}): see the failed tasks below.`;
    default:
      return 'Unfinished: the process ended without a run-end event (killed or crashed); tsplay resume continues after the last completed task.';
  }
}
