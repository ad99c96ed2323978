import type { BlockTask, Play } from '../playbook/model.js';
import { parseDuration } from '../util/duration.js';
import type { EventSink } from './events.js';
import type { RunOptions } from './options.js';

/** The section being run: declared by a play (possibly spanning consecutive plays) or by a block. */
interface ActiveSection {
  name: string;
  started: number;
  play: number;
  /** Plays of a play-level section (indexes); empty for a block section. */
  plays: number[];
  /** The block that declared it (block sections only). */
  block?: BlockTask | undefined;
  /** Set when a second Ctrl-C asked for a rollback inside it. */
  rolledBack: boolean;
}

/** Why a section may not start, or undefined when it may. */
export type SectionRefusal = string | undefined;

/**
 * Critical sections (a play, consecutive plays with the same `critical` name, or a block marked `critical`): a deadline
 * or a first Ctrl-C never stops inside one, a section whose declared or measured duration does not fit before the
 * deadline does not start, and a second Ctrl-C inside one fails its running tasks so the rescue of the block they are
 * in (the rollback) runs; where there is no rescue, the section runs on and only a third Ctrl-C kills it.
 */
export class CriticalSections {
  private active: ActiveSection | undefined;
  /** Block bodies with a rescue currently being walked inside the active section. */
  private rescuable = 0;
  private interruptCtl = new AbortController();
  /** The run's hard abort as the engine applies it (commands in flight listen to it). */
  readonly hard = new AbortController();

  constructor(
    private readonly opts: Pick<RunOptions, 'deadline' | 'signal' | 'abort' | 'kill' | 'sectionHistory'>,
    private readonly emit: EventSink,
  ) {
    opts.abort?.addEventListener('abort', () => this.onAbort(), { once: true });
    opts.kill?.addEventListener('abort', () => this.onKill(), { once: true });
    if (opts.abort?.aborted) this.onAbort();
    if (opts.kill?.aborted) this.onKill();
  }

  /** Set when a kill (third Ctrl-C) came inside a section: its name. */
  killedIn: string | undefined;

  private history: Record<string, number> | undefined;

  /** The measured duration of a section in earlier runs (the history is read on first use). */
  private measured(name: string): number | undefined {
    const h = this.opts.sectionHistory;
    this.history ??= typeof h === 'function' ? h() : (h ?? {});
    return this.history[name];
  }

  private onKill(): void {
    this.killedIn ??= this.active?.name;
    this.hard.abort(this.opts.kill?.reason);
  }

  /** Why the run stopped when a signal ended it (for run-end). */
  stopReason(): string {
    return this.killedIn !== undefined ? `killed inside critical section "${this.killedIn}"` : 'interrupted';
  }

  /** True while a critical section runs. */
  get inSection(): boolean {
    return this.active !== undefined;
  }

  /** The name of the running section, if any. */
  get section(): string | undefined {
    return this.active?.name;
  }

  /** A stop (Ctrl-C, deadline) may take effect now: never inside a section. */
  mayStop(): boolean {
    return this.active === undefined;
  }

  /** The signal the next task's commands listen to: a rollback request also ends them inside a rescuable block body. */
  taskSignal(): AbortSignal {
    if (this.active && this.rescuable > 0) return AbortSignal.any([this.hard.signal, this.interruptCtl.signal]);
    return this.hard.signal;
  }

  /** True when a second Ctrl-C asked to roll back and the body being walked must end (its hosts go to the rescue). */
  rollbackRequested(): boolean {
    return this.rescuable > 0 && this.interruptCtl.signal.aborted;
  }

  /**
   * Called by the block walker around the rescue and always of a block: when they answer a rollback request, the
   * section ends there (rolled back) and the stop the operator asked for takes effect after them.
   */
  async afterBody<T>(rollback: boolean, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      if (rollback && this.active) this.end(this.active.play, 'done');
      if (rollback) this.rollbackEnded = true;
    }
  }

  /** True when the body that just ended was interrupted for a rollback (read right after inRescuableBody). */
  get lastBodyRolledBack(): boolean {
    return this.bodyRolledBack;
  }

  private bodyRolledBack = false;

  /** A rollback (second Ctrl-C) ended a section: the run stops. */
  rollbackEnded = false;

  /** Called by the block walker around a block body that has a rescue. */
  async inRescuableBody<T>(fn: () => Promise<T>): Promise<T> {
    this.bodyRolledBack = false;
    // counted outside sections too: a section that starts inside this body rolls back through its rescue
    this.rescuable++;
    try {
      return await fn();
    } finally {
      this.rescuable--;
      // the rescue this request was for runs next with a fresh signal
      this.bodyRolledBack = this.interruptCtl.signal.aborted;
      if (this.bodyRolledBack) this.interruptCtl = new AbortController();
    }
  }

  /**
   * Before a play: starts a play-level section (checked against the deadline) or continues the one running.
   * Returns why the section may not start (the run stops before it), or undefined.
   */
  beforePlay(plays: Play[], index: number, title: string, resumedInside: boolean): SectionRefusal {
    const play = plays[index];
    this.pending = undefined;
    if (!play || this.active) return undefined;
    const name = sectionName(play.keywords.critical, title);
    if (name === undefined) return undefined;
    const span = sectionPlays(plays, index, name);
    const declared = sumDurations(span.map((i) => plays[i]?.keywords.duration));
    const refusal = resumedInside ? undefined : this.refusal(name, declared);
    if (refusal) return refusal;
    const section = { name, started: Date.now(), play: index, plays: span, rolledBack: false };
    const from = sectionStart(play.keywords.critical);
    // `from`: the section starts with that task (a resume past it is already inside)
    if (from !== undefined && !resumedInside) this.pending = { section, from, declared };
    else this.start(section, declared, resumedInside);
    return undefined;
  }

  /** A play-level section that starts at a named task (`critical: {name, from}`), until that task comes. */
  private pending: { section: ActiveSection; from: string; declared: number | undefined } | undefined;

  /** Before a task of the play starts: the pending section starts when this is its `from` task. */
  beforeTask(title: string): void {
    const p = this.pending;
    if (!p || this.active || title !== p.from) return;
    this.pending = undefined;
    this.start({ ...p.section, started: Date.now() }, p.declared, false);
  }

  /** After a play: ends a play-level section when this was its last play, or when the run does not go on. */
  afterPlay(index: number, goesOn: boolean, failed: boolean): void {
    // a `from` task that never ran (skipped, the play failed before it): the following plays are not in a section
    this.pending = undefined;
    const s = this.active;
    if (!s || s.plays.length === 0) return;
    if (!goesOn || failed || s.plays[s.plays.length - 1] === index) this.end(index, failed ? 'failed' : 'done');
  }

  /** Ends any section still open (the run stops or ends). */
  close(play: number, failed: boolean): void {
    this.end(play, failed ? 'failed' : 'done');
  }

  /** True when the play after `index` still belongs to the running play-level section. */
  continuesAfter(index: number): boolean {
    const s = this.active;
    return s?.plays.includes(index + 1) ?? false;
  }

  /** Runs a block: a critical one (outside any section) is a section of its own, checked against the deadline first. */
  async block(block: BlockTask, play: number, run: () => Promise<{ failed: boolean }>, resumedInside: boolean): Promise<SectionRefusal> {
    const name = sectionName(block.keywords.critical, block.title);
    if (name === undefined || this.active) {
      await run();
      return undefined;
    }
    const declared = block.keywords.duration ? parseDuration(block.keywords.duration) : undefined;
    const refusal = resumedInside ? undefined : this.refusal(name, declared);
    if (refusal) return refusal;
    this.start({ name, started: Date.now(), play, plays: [], block, rolledBack: false }, declared, resumedInside);
    let failed = true;
    try {
      failed = (await run()).failed;
    } finally {
      // a rollback for an enclosing block's rescue: the section ends once that rescue has run (afterBody)
      if (!this.rollbackRequested()) this.end(play, failed ? 'failed' : 'done');
    }
    return undefined;
  }

  /** Why a section of this expected duration may not start before the deadline. */
  private refusal(name: string, declared: number | undefined): SectionRefusal {
    const deadline = this.opts.deadline;
    if (!deadline) return undefined;
    const measured = this.measured(name);
    const need = Math.max(declared ?? 0, measured ?? 0);
    const left = deadline.getTime() - Date.now();
    if (declared === undefined && measured === undefined) {
      this.emit({
        type: 'warning',
        message: `critical section "${name}" declares no duration and was never measured: it starts and runs to its end, even past the deadline ${deadline.toISOString()} (declare "duration:" on it)`,
      });
      return left > 0 ? undefined : `deadline ${deadline.toISOString()} reached before critical section "${name}"`;
    }
    if (Date.now() + need <= deadline.getTime()) return undefined;
    const basis = [
      declared !== undefined ? `declared ${human(declared)}` : '',
      measured !== undefined ? `measured ${human(measured)} in an earlier run` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `critical section "${name}" needs about ${human(need)} (${basis}) but the deadline ${deadline.toISOString()} is ${human(Math.max(0, left))} away: not started, nothing in it was done`;
  }

  private start(s: ActiveSection, expected: number | undefined, resumed: boolean): void {
    this.active = s;
    const measured = this.measured(s.name);
    this.emit({
      type: 'section-start',
      section: s.name,
      play: s.play,
      ...(expected !== undefined ? { expectedMs: expected } : {}),
      ...(measured !== undefined ? { measuredMs: measured } : {}),
      ...(resumed ? { resumed: true } : {}),
    });
    // A second Ctrl-C that came before the section started already stopped the run (hard abort outside sections).
  }

  private end(play: number, outcome: 'done' | 'failed'): void {
    const s = this.active;
    if (!s) return;
    this.active = undefined;
    this.rescuable = 0;
    this.emit({
      type: 'section-end',
      section: s.name,
      play,
      durationMs: Date.now() - s.started,
      outcome: s.rolledBack ? 'rolled-back' : outcome,
    });
  }

  /** Second Ctrl-C: outside a section it kills running commands; inside, it rolls back where a rescue exists, else it waits. */
  private onAbort(): void {
    const s = this.active;
    if (!s) {
      this.hard.abort(this.opts.abort?.reason);
      return;
    }
    if (this.rescuable > 0) {
      s.rolledBack = true;
      this.emit({
        type: 'warning',
        message: `second interrupt inside critical section "${s.name}": stopping its running tasks and rolling back (the rescue of the block they are in)`,
      });
      this.interruptCtl.abort(new Error(`interrupted inside critical section "${s.name}": rolling back`));
      return;
    }
    this.emit({
      type: 'warning',
      message: `second interrupt inside critical section "${s.name}", which has no rollback at this point: it runs to its end (interrupt again to kill its running commands and leave it half-done)`,
    });
  }
}

/** A `critical` value as written: true, a section name, or {name, from}. */
export type CriticalValue = boolean | string | { name: string; from: string } | undefined;

/** The section a `critical` value declares: its own name for a string or {name}, the play/block name for true. */
export function sectionName(critical: CriticalValue, fallback: string): string | undefined {
  if (critical === undefined || critical === false) return undefined;
  if (typeof critical === 'object') return critical.name;
  return typeof critical === 'string' ? critical : fallback;
}

/** The task a play-level section starts at (`critical: {name, from}`), if any. */
export function sectionStart(critical: CriticalValue): string | undefined {
  return typeof critical === 'object' ? critical.from : undefined;
}

/** The indexes of the consecutive plays from `index` that belong to section `name`. */
function sectionPlays(plays: Play[], index: number, name: string): number[] {
  const out = [index];
  for (let i = index + 1; i < plays.length; i++) {
    const p = plays[i];
    if (!p || typeof p.keywords.critical !== 'string' || p.keywords.critical !== name) break;
    out.push(i);
  }
  return out;
}

/** The sum of declared durations; undefined when none is declared. */
function sumDurations(list: Array<string | undefined>): number | undefined {
  const ms = list.map((d) => (d ? parseDuration(d) : undefined)).filter((x): x is number => x !== undefined);
  return ms.length ? ms.reduce((a, b) => a + b, 0) : undefined;
}

/** 90 s, 4m30s, 1h05m. */
export function human(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
