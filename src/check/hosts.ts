// Rules about which hosts the run targets: --limit and each play's `hosts:` pattern.
import type { Problem } from '../errors/problem.js';
import type { CheckContext } from './context.js';
import type { RunRule } from './rule.js';

/** An inventory that could not be read has no hosts: "pattern matches no host" would only repeat that. */
function patternsMeaningful(ctx: CheckContext): boolean {
  return ctx.read.inventory.length === 0 || ctx.inventory.hosts.size > 0;
}

/** --limit must be a valid pattern that matches hosts. */
export const limitPattern: RunRule = {
  name: 'limit-pattern',
  check: (ctx) => (patternsMeaningful(ctx) ? (ctx.limited?.problems ?? []).map((p) => ({ ...p, message: `--limit: ${p.message}` })) : []),
};

/** Each play's `hosts:` must be a valid pattern; a play whose pattern matches nothing is skipped with a warning. */
export const playHosts: RunRule = {
  name: 'play-hosts',
  check: (ctx) => {
    if (!patternsMeaningful(ctx)) return [];
    const problems: Problem[] = [];
    ctx.plays.forEach((play, i) => {
      const m = ctx.matches[i];
      if (!m) return;
      const at = (p: Problem) => p.loc ?? play.hostsLoc ?? play.loc;
      problems.push(...m.problems.map((p) => ({ ...p, loc: at(p) })));
      ctx.warnings.push(...(m.warnings ?? []).map((p) => ({ ...p, message: `play "${play.name}" skipped: ${p.message}`, loc: at(p) })));
      ctx.warnings.push(...(m.deferred ?? []).map((p) => ({ ...p, message: `play "${play.name}": ${p.message}`, loc: at(p) })));
    });
    return problems;
  },
};

/** A --limit that leaves a play without hosts is a mistake, not a way to skip the play. */
export const limitExcludesPlay: RunRule = {
  name: 'limit-excludes-play',
  check: (ctx) => {
    const { limited } = ctx;
    if (!patternsMeaningful(ctx) || !limited || limited.problems.length) return [];
    return ctx.plays.flatMap((play, i) =>
      ctx.playHosts[i]?.length === 0 && play.hosts.length > 0 && !ctx.rematch[i]
        ? [{ message: `no host of play "${play.name}" is in --limit ${ctx.opts.limit ?? ''}`, loc: play.hostsLoc ?? play.loc }]
        : [],
    );
  },
};
