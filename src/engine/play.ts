import type { Play } from '../playbook/model.js';
import { batches } from './batches.js';
import type { RunContext } from './context.js';
import { keywordBool } from './keyword-values.js';
import { playTitle } from './play-title.js';
import { isActive, type HostState } from './host-state.js';
import { renderValue } from '../template/index.js';
import { hostScope } from './scope.js';
import type { TaskSelection } from './selection.js';
import { runHandlers, walk, type PlayControl } from './walk.js';

/** Runs one play on its hosts: serial batches, linear or free strategy, then the notified handlers per batch. Returns why it aborted, if it did. */
export async function runPlay(
  rc: RunContext,
  play: Play,
  index: number,
  hosts: HostState[],
  selection: TaskSelection,
): Promise<string | undefined> {
  let aborted: string | undefined;
  let strategy: 'linear' | 'free' = 'linear';
  try {
    // a templated strategy is resolved when the play starts, with its first host (ansible-core: with the play's vars)
    const s = playValue(rc, play, hosts, 'strategy', play.keywords.strategy ?? 'linear');
    if (s !== 'linear' && s !== 'free')
      throw new Error(`${play.loc.file}:${play.loc.line}:${play.loc.col}: "strategy" must be linear or free, got ${JSON.stringify(s)}`);
    strategy = s;
  } catch (err) {
    aborted = err instanceof Error ? err.message : String(err);
  }
  rc.emit({ type: 'play-start', play: playTitle(play, rc.varsFiles, rc.opts.extraVars), index, hosts: hosts.map((h) => h.name), strategy });
  for (const h of hosts) h.ended = false;
  let list: HostState[][] = [];
  if (aborted !== undefined) {
    rc.emit({ type: 'warning', message: aborted });
    return aborted;
  }
  try {
    list = batches(
      hosts.filter(isActive),
      playValue(rc, play, hosts, 'serial', play.keywords.serial) as number | string | Array<number | string> | undefined,
    );
  } catch (err) {
    aborted = err instanceof Error ? err.message : String(err);
    rc.emit({ type: 'warning', message: aborted });
  }
  for (const [n, batch] of list.entries()) {
    // a stop (Ctrl-C, deadline) never falls between the batches of a critical section
    if ((rc.stop.aborted || rc.signal.aborted) && rc.critical.mayStop()) break;
    if (list.length > 1)
      rc.emit({
        type: 'batch-start',
        play: playTitle(play, rc.varsFiles, rc.opts.extraVars),
        batch: n + 1,
        batches: list.length,
        hosts: batch.map((h) => h.name),
      });
    const ctl: PlayControl = { play, index, batch, selection, idSuffix: '' };
    try {
      ctl.anyErrorsFatal = Boolean(
        keywordBool(
          play.keywords.any_errors_fatal,
          batch[0] ? hostScope(rc, play, batch[0], { batch: batch.map((h) => h.name) }) : {},
          'any_errors_fatal',
          { loc: play.loc, task: '', host: batch[0]?.name ?? '' },
        ),
      );
    } catch (err) {
      aborted = err instanceof Error ? err.message : String(err);
      rc.emit({ type: 'warning', message: aborted });
      break;
    }
    if (strategy === 'free') {
      await Promise.all(batch.map((h) => walk(rc, { ...ctl, idSuffix: `@${h.name}` }, play.tasks, [h])));
    } else await walk(rc, ctl, play.tasks, batch);
    if (!ctl.ended) await runHandlers(rc, ctl);
    aborted = ctl.aborted;
    if (aborted || ctl.ended) break;
  }
  for (const h of hosts) h.ended = false;
  rc.emit({ type: 'play-end', play: playTitle(play, rc.varsFiles, rc.opts.extraVars), ...(aborted ? { aborted } : {}) });
  return aborted;
}

/** A play keyword that may be a {{ template }} (serial), rendered with the first host's scope. */
function playValue(rc: RunContext, play: Play, hosts: HostState[], field: string, v: unknown): unknown {
  const first = hosts[0];
  if (typeof v !== 'string' || !v.includes('{{') || !first) return v;
  const rendered = renderValue(v, hostScope(rc, play, first, { batch: hosts.map((h) => h.name) }), {
    loc: play.loc,
    task: '',
    host: first.name,
    field,
  });
  return typeof rendered === 'string' && /^\d+$/.test(rendered.trim()) ? Number(rendered) : rendered;
}
