import type { Problem } from '../errors/problem.js';
import { didYouMean } from '../util/did-you-mean.js';
import { compileExpr, matches, parsePattern, type PatternPart } from './pattern-syntax.js';
import type { Inventory } from './types.js';

const SPECIAL = ['.', '?', '*', '[', '~'];

/** Names that add_host or group_by may create while the run goes, known before it starts. */
export interface RuntimeNames {
  /** Literal host and group names those tasks create. */
  names: Set<string>;
  /** Some of those tasks name their host or group with a template: any plain name may come to exist. */
  templated: boolean;
}

/** How matchHosts judges a pattern that matches no host. */
export interface MatchOptions {
  /** A play's pattern: names the inventory has that match no host are warnings (the play is skipped). */
  emptyIsWarning?: boolean;
  /**
   * Names add_host/group_by may create (with emptyIsWarning): a part naming one of them is no problem (the play's
   * hosts are matched again once the inventory changed); with a templated name, a plain unknown name is `deferred`
   * (a warning to show) rather than a problem. Names matching nothing else stay typos.
   */
  runtime?: RuntimeNames;
}

/**
 * Hosts matching an Ansible pattern, in inventory order. A pattern (or a part of it) that matches no host is a problem;
 * with `emptyIsWarning`, one that names only known groups and hosts yet matches none (an empty group, `a:&b` with no
 * host in both) is a warning instead, as ansible-playbook skips such a play (a name the inventory lacks stays a problem).
 */
export function matchHosts(
  inv: Inventory,
  pattern: string | string[],
  opts: MatchOptions = {},
): { hosts: string[]; problems: Problem[]; warnings?: Problem[]; deferred?: Problem[]; later?: boolean } {
  const shown = Array.isArray(pattern) ? pattern.join(',') : pattern;
  const parts = parsePattern(pattern);
  if (parts.length === 0) return { hosts: [], problems: [{ message: `empty host pattern "${shown}"`, hint: 'use "all" for every host' }] };
  const problems: Problem[] = [];
  // problems that only say "matches no host" of names the inventory has (warnings for a play's pattern)
  const empty = new Set<Problem>();
  // parts naming what add_host/group_by may create (only with opts.runtime)
  const deferred = new Map<Problem, boolean>();
  let selected = new Set<string>();
  for (const part of parts) {
    const found = matchPart(inv, part, problems, empty, opts.emptyIsWarning ? opts.runtime : undefined, deferred);
    if (part.op === 'union') for (const h of found) selected.add(h);
    else if (part.op === 'intersect') selected = new Set([...selected].filter((h) => found.includes(h)));
    else for (const h of found) selected.delete(h);
  }
  const hosts = [...inv.hosts.keys()].filter((h) => selected.has(h));
  if (hosts.length === 0 && problems.length === 0) {
    const p = { message: `pattern "${shown}" matches no host` };
    problems.push(p);
    empty.add(p);
  }
  if (!opts.emptyIsWarning) return { hosts, problems };
  const shownLater = [...deferred].filter(([, show]) => show).map(([p]) => p);
  const hard = problems.filter((p) => !deferred.has(p));
  // with a real problem (a name the inventory lacks) the empty parts stay problems too: the pattern is wrong
  if (hard.some((p) => !empty.has(p))) return { hosts, problems: hard, warnings: [], deferred: shownLater, later: deferred.size > 0 };
  return { hosts, problems: [], warnings: hard, deferred: shownLater, later: deferred.size > 0 };
}

/** Hosts of one part (in inventory order), reporting unknown names, empty groups, ambiguity, bad regex or subscript. */
function matchPart(
  inv: Inventory,
  part: PatternPart,
  problems: Problem[],
  empty: Set<Problem>,
  runtime: RuntimeNames | undefined,
  deferred: Map<Problem, boolean>,
): string[] {
  let re: RegExp;
  try {
    re = compileExpr(part.expr);
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '');
    problems.push({ message: `pattern "${part.text}" is not a valid regular expression: ${why.charAt(0).toLowerCase()}${why.slice(1)}` });
    return [];
  }
  const groups = [...inv.groups.keys()].filter((g) => matches(re, g));
  const special = SPECIAL.some((c) => part.expr.includes(c));
  const named = groups.length === 0 || special ? [...inv.hosts.keys()].filter((h) => matches(re, h)) : [];
  if (!special && groups.length === 1 && inv.hosts.has(part.expr)) ambiguity(inv, part, problems);
  const wanted = new Set(named);
  for (const h of inv.hosts.values()) if (h.groups.some((g) => groups.includes(g))) wanted.add(h.name);
  let hosts = [...inv.hosts.keys()].filter((h) => wanted.has(h));
  if (groups.length === 0 && named.length === 0) {
    if (runtime && !special && (runtime.names.has(part.expr) || runtime.templated)) {
      const known = runtime.names.has(part.expr);
      const p = {
        message: `pattern "${part.text}" names no host or group of the inventory${known ? '' : ': a templated group_by or add_host may create it at run time'}`,
      };
      problems.push(p);
      deferred.set(p, !known);
      return [];
    }
    const local = ['localhost', '127.0.0.1', '::1'].includes(part.expr);
    const hint = local
      ? 'there is no implicit localhost: use -i localhost, or declare "localhost ansible_connection=local"'
      : didYouMean(part.expr.replace(/^~/, ''), [...inv.groups.keys(), ...inv.hosts.keys(), ...(runtime?.names ?? [])]);
    problems.push({ message: `pattern "${part.text}" matches no host`, hint });
    return [];
  }
  if (part.subscript) hosts = subscript(hosts, part, problems);
  else if (hosts.length === 0 && part.op !== 'exclude') {
    const p = {
      message: `pattern "${part.text}" matches no host (group${groups.length > 1 ? 's' : ''} ${groups.map((g) => `"${g}"`).join(', ')} ${groups.length > 1 ? 'are' : 'is'} empty)`,
    };
    problems.push(p);
    // an empty group that add_host or group_by fills (or may fill) in an earlier play: matched again then
    if (runtime && (runtime.templated || groups.some((g) => runtime.names.has(g)))) deferred.set(p, false);
    else empty.add(p);
  }
  return hosts;
}

function ambiguity(inv: Inventory, part: PatternPart, problems: Problem[]): void {
  const members = [...inv.hosts.values()].filter((h) => h.groups.includes(part.expr)).map((h) => h.name);
  if (members.length === 1 && members[0] === part.expr) return;
  problems.push({
    message: `pattern "${part.text}" is ambiguous: "${part.expr}" is both a group and a host`,
    hint: 'rename the group or the host; Ansible warns "Found both group and host with same name"',
  });
}

/** Applies `[i]` / `[i:j]` (inclusive) / `[i:]`, with negative single indexes counting from the end. */
function subscript(hosts: string[], part: PatternPart, problems: Problem[]): string[] {
  const [start, end] = part.subscript ?? [0, undefined];
  const from = start < 0 ? hosts.length + start : start;
  const to = end === undefined ? hosts.length - 1 : start < 0 ? from : end;
  const picked = from >= 0 ? hosts.slice(from, to + 1) : [];
  if (picked.length === 0) {
    problems.push({
      message: `pattern "${part.text}" selects nothing: "${part.expr}" has ${hosts.length} host${hosts.length === 1 ? '' : 's'}`,
      hint: 'subscripts count from 0',
    });
  }
  return picked;
}
