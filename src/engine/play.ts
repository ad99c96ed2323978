import type { Play } from '../playbook/model.js';
import { toList } from '../playbook/normalize.js';
import { batches } from './batches.js';
import type { RunContext } from './context.js';
import { playTitle } from './play-title.js';
import { isActive, type HostState } from './host-state.js';
import type { TaskSelection } from './selection.js';
import { runTask, walk, type PlayControl } from './walk.js';

/** Runs one play on its hosts: serial batches, linear or free strategy, then the notified handlers per batch. Returns why it aborted, if it did. */
export async function runPlay(rc: RunContext, play: Play, index: number, hosts: HostState[], selection: TaskSelection): Promise<string | undefined> {
  const strategy = play.keywords.strategy ?? 'linear';
  rc.emit({ type: 'play-start', play: playTitle(play, rc.varsFiles, rc.opts.extraVars), index, hosts: hosts.map((h) => h.name), strategy });
  const list = batches(hosts.filter(isActive), play.keywords.serial as number | string | Array<number | string> | undefined);
  let aborted: string | undefined;
  for (const [n, batch] of list.entries()) {
    // a stop (Ctrl-C, deadline) never falls between the batches of a critical section
    if ((rc.stop.aborted || rc.signal.aborted) && rc.critical.mayStop()) break;
    if (list.length > 1) rc.emit({ type: 'batch-start', play: playTitle(play, rc.varsFiles, rc.opts.extraVars), batch: n + 1, batches: list.length, hosts: batch.map((h) => h.name) });
    const ctl: PlayControl = { play, index, batch, selection, idSuffix: '' };
    if (strategy === 'free') {
      await Promise.all(batch.map((h) => walk(rc, { ...ctl, idSuffix: `@${h.name}` }, play.tasks, [h], [])));
    } else await walk(rc, ctl, play.tasks, batch, []);
    await runHandlers(rc, ctl);
    aborted = ctl.aborted;
    if (aborted) break;
  }
  rc.emit({ type: 'play-end', play: playTitle(play, rc.varsFiles, rc.opts.extraVars), ...(aborted ? { aborted } : {}) });
  return aborted;
}

/** Runs each handler (in definition order) on the batch hosts that notified it by name or listen topic. */
async function runHandlers(rc: RunContext, ctl: PlayControl): Promise<void> {
  for (const handler of ctl.play.handlers) {
    // a role's handler answers to `role : name` too; of handlers with the same name the last one answers, as in Ansible
    const name = handler.keywords.name;
    const last = name !== undefined && ctl.play.handlers.findLast((h) => h.keywords.name === name) === handler;
    const names = [last ? (name ?? '') : '', handler.role ? handler.title : '', ...toList(handler.keywords.listen)].filter(Boolean);
    const hosts = ctl.batch.filter((h) => isActive(h) && names.some((n) => h.notified.has(n)));
    await runTask(rc, ctl, handler, hosts, [], true);
  }
  for (const h of ctl.batch) h.notified.clear();
}
