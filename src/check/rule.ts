// The shape of a check rule and the one runner that runs the table and collects every problem at once.
import type { Problem } from '../errors/problem.js';
import type { CheckContext, PlayCheckContext } from './context.js';

/** A rule about the whole run. */
export interface RunRule {
  name: string;
  check: (ctx: CheckContext) => Problem[];
}

/** A rule about one play, run for each play in turn (consecutive play rules are run play by play). */
export interface PlayRule {
  name: string;
  each: 'play';
  check: (ctx: PlayCheckContext) => Problem[];
}

/** A rule that reaches out (the object store): run last, and only when no other rule found a problem. */
export interface WhenValidRule {
  name: string;
  whenValid: true;
  check: (ctx: CheckContext) => Promise<Problem[]>;
}

/** One named rule of the table. */
export type Rule = RunRule | PlayRule | WhenValidRule;

/** Runs every rule of `rules` in order and returns all their problems, in file and position order. */
export async function runRules(rules: readonly Rule[], ctx: CheckContext): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const step of steps(rules)) {
    if (!Array.isArray(step)) problems.push(...step.check(ctx));
    // a run of play rules: all of them on the first play, then on the next (problems come play by play)
    else ctx.plays.forEach((play, index) => step.forEach((r) => problems.push(...r.check({ ...ctx, play, index }))));
  }
  const late = rules.filter((r): r is WhenValidRule => 'whenValid' in r);
  if (problems.length === 0) for (const rule of late) problems.push(...(await rule.check(ctx)));
  return byPosition(problems);
}

/** The table without its when-valid rules, consecutive play rules grouped. */
function steps(rules: readonly Rule[]): Array<RunRule | PlayRule[]> {
  const out: Array<RunRule | PlayRule[]> = [];
  for (const r of rules) {
    if ('whenValid' in r) continue;
    const last = out.at(-1);
    if (!('each' in r)) out.push(r);
    else if (Array.isArray(last)) last.push(r);
    else out.push([r]);
  }
  return out;
}

/** Problems of one file together (files in the order first seen) by line and column; problems without a place (CLI options) last, in order. */
function byPosition(problems: Problem[]): Problem[] {
  const files = [...new Set(problems.flatMap((p) => (p.loc ? [p.loc.file] : [])))];
  const key = (p: Problem): [number, number, number, number] =>
    p.loc ? [0, files.indexOf(p.loc.file), p.loc.line, p.loc.col] : [1, 0, 0, 0];
  return problems
    .map((p, i) => ({ p, i, k: key(p) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.k[3] - b.k[3] || a.i - b.i)
    .map((x) => x.p);
}
