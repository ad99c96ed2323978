import { setTimeout as sleep } from 'node:timers/promises';
import type { ModuleResult } from '../tasks/module.js';
import { renderValue } from '../template/index.js';
import { attempt, type AttemptOutcome } from './attempt.js';
import { firstFalse } from './conditions.js';
import type { HostStatus } from './events.js';
import type { HostState } from './host-state.js';
import { keywordBool } from './keyword-values.js';
import { publishResult, type TaskFlags } from './publish.js';
import { hostScope } from './scope.js';
import { applyInventoryChanges } from './inventory-changes.js';
import { loopItems } from '../playbook/loop-items.js';
import { conditionsToJudge } from '../playbook/effective-keywords.js';
import type { HostTaskInput } from './host-task-input.js';

export type { HostTaskInput } from './host-task-input.js';

/** Runs a task on a host (when, loop, until, register, notify) and records the outcome; returns its status. */
export async function runHostTask(i: HostTaskInput): Promise<HostStatus> {
  const started = Date.now();
  const k = i.task.keywords;
  let outcome: AttemptOutcome;
  let flags: TaskFlags = { noLog: false, ignoreErrors: false, ignoreUnreachable: false };
  try {
    flags = taskFlags(i);
    outcome = await evaluateTask(i);
  } catch (err) {
    outcome = { result: { failed: true, changed: false, msg: err instanceof Error ? err.message : String(err) }, unreachable: false };
  }
  const { result } = outcome;
  if (i.task.module === 'add_host' || i.task.module === 'group_by')
    applyInventoryChanges(i.rc, i.host.name, result, k.changed_when !== undefined);
  i.rc.redactor.addSecretKeys(result); // a result (or set_fact) with secret-named keys
  if (flags.noLog) {
    const { text, words } = noLogSecrets(i.task.module, result);
    i.rc.redactor.add(...text.filter((s) => s.length >= 8));
    i.rc.redactor.addWhole(...text.filter((s) => s.length < 8), ...words.filter((s) => s.length >= 8));
  }
  if (k.register) i.host.registered[k.register] = result;
  const facts = result['ansible_facts'];
  i.host.lastFacts = {};
  if (facts && typeof facts === 'object' && !result.failed) {
    let to: HostState | undefined;
    try {
      to = factsHost(i);
    } catch {
      to = i.host; // delegate_facts could not be resolved: the facts stay with the host the task ran for
    }
    if (to) Object.assign(to.facts, facts);
    i.host.lastFacts = facts as Record<string, unknown>;
    if (flags.noLog) i.rc.redactor.addDeep(facts);
  }
  return publishResult(i, outcome, Date.now() - started, flags);
}

/** The host whose facts a task's ansible_facts update: with delegate_facts, the delegated host (none when it is not in the run). */
function factsHost(i: HostTaskInput): HostState | undefined {
  const { delegate_to: delegate, delegate_facts: delegateFacts } = i.task.effective;
  if (delegate === undefined || delegateFacts === undefined || delegateFacts === false) return i.host;
  const vars = hostScope(i.rc, i.play, i.host, { authored: i.authored, batch: i.batch });
  const where = { loc: i.task.loc, task: i.task.title, host: i.host.name };
  if (!keywordBool(delegateFacts, vars, 'delegate_facts', where)) return i.host;
  return i.rc.hosts.get(String(renderValue(delegate, vars, { ...where, field: 'delegate_to' })));
}

/** no_log, ignore_errors and ignore_unreachable of a task on this host (a {{ template }} is rendered with the host's scope). */
function taskFlags(i: HostTaskInput): TaskFlags {
  const { no_log: noLog, ignore_errors: ignore, ignore_unreachable: unreachable } = i.task.effective;
  if (typeof noLog !== 'string' && typeof ignore !== 'string' && typeof unreachable !== 'string')
    return { noLog: noLog === true, ignoreErrors: ignore === true, ignoreUnreachable: unreachable === true };
  const vars = hostScope(i.rc, i.play, i.host, { authored: i.authored, batch: i.batch });
  const where = { loc: i.task.loc, task: i.task.title, host: i.host.name };
  return {
    noLog: Boolean(keywordBool(noLog, vars, 'no_log', where)),
    ignoreErrors: Boolean(keywordBool(ignore, vars, 'ignore_errors', where)),
    ignoreUnreachable: Boolean(keywordBool(unreachable, vars, 'ignore_unreachable', where)),
  };
}

async function evaluateTask(i: HostTaskInput): Promise<AttemptOutcome> {
  const k = i.task.keywords;
  const authored = i.authored;
  const base = hostScope(i.rc, i.play, i.host, { authored, batch: i.batch, role: i.task.role });
  const conds = conditionsToJudge(i.task.effective);
  const transport = () => transportFor(i, base);
  if (k.loop === undefined) {
    const falseCond = firstFalse(conds, base);
    if (falseCond !== undefined) return skipped(falseCond);
    return attempt({ rc: i.rc, play: i.play, task: i.task, host: i.host.name, vars: base, taskId: i.taskId, transport });
  }
  const rendered = renderValue(k.loop, base, { loc: i.task.loc, task: i.task.title, host: i.host.name, field: 'loop' });
  const items = k.loop_with ? loopItems(k.loop_with, rendered) : rendered;
  if (!Array.isArray(items))
    return { result: { failed: true, changed: false, msg: `"loop" must give a list, got ${typeof items}` }, unreachable: false };
  const results: ModuleResult[] = [];
  const loopVar = k.loop_control?.loop_var ?? 'item';
  for (const [index, item] of items.entries()) {
    const loop = loopInfo(items, index, k.loop_control);
    const data: Record<string, unknown> = { [loopVar]: item, ansible_loop: loop };
    if (k.loop_control?.index_var) data[k.loop_control.index_var] = index;
    const vars = hostScope(i.rc, i.play, i.host, { authored, batch: i.batch, data, role: i.task.role });
    const falseCond = firstFalse(conds, vars);
    const out =
      falseCond !== undefined
        ? skipped(falseCond)
        : await attempt({ rc: i.rc, play: i.play, task: i.task, host: i.host.name, vars, taskId: i.taskId, transport });
    if (out.unreachable) return out;
    const indexVar = k.loop_control?.index_var;
    results.push({
      ...out.result,
      [loopVar]: item,
      ansible_loop_var: loopVar,
      ...(indexVar ? { [indexVar]: index, ansible_index_var: indexVar } : {}),
      ...(k.loop_control?.extended ? { ansible_loop: loop } : {}),
    });
    if (k.loop_control?.pause) await sleep(k.loop_control.pause * 1000, undefined, { signal: i.rc.signal });
  }
  return { result: loopResult(results), unreachable: false };
}

/** Result keys that describe how a module ran rather than what it read or printed. */
const RUN_FACTS = new Set([
  'changed',
  'failed',
  'skipped',
  'rc',
  'start',
  'end',
  'delta',
  'attempts',
  'ansible_loop_var',
  'ansible_facts',
  'skip_reason',
  'false_condition',
  'check_mode',
  'unreachable',
  'timed_out',
]);

/**
 * What a no_log task read or printed becomes secret for the rest of the run, so a later `debug` of its registered
 * result shows `********` (values under 8 characters, and command's argv words, only where a whole string equals
 * them; argv words under 8 characters such as `printf` not at all). Not: numbers, run facts (rc, timings), loop
 * items, and command/shell's `msg` ("non-zero return code 1" is no secret and would be masked everywhere).
 */
function noLogSecrets(module: string, r: ModuleResult, out: string[] = [], words: string[] = []): { text: string[]; words: string[] } {
  const loopVar = typeof r['ansible_loop_var'] === 'string' ? r['ansible_loop_var'] : undefined;
  const visit = (v: unknown, depth: number): void => {
    if (typeof v === 'string') out.push(v);
    else if (depth < 50 && v !== null && typeof v === 'object') for (const x of Object.values(v)) visit(x, depth + 1);
  };
  for (const [key, v] of Object.entries(r)) {
    if (RUN_FACTS.has(key) || key === loopVar || (key === 'msg' && (module === 'command' || module === 'shell'))) continue;
    if (key === 'cmd' && Array.isArray(v)) {
      words.push(...v.filter((w): w is string => typeof w === 'string'));
      continue;
    }
    if (key === 'results' && Array.isArray(v)) {
      for (const item of v) if (item && typeof item === 'object') noLogSecrets(module, item as ModuleResult, out, words);
      continue;
    }
    visit(v, 0);
  }
  return { text: out, words };
}

/** ansible_loop for one item: index, first, last, length; with loop_control.extended also revindex, allitems, previtem, nextitem. */
function loopInfo(
  items: unknown[],
  index: number,
  lc: { extended?: boolean; extended_allitems?: boolean } | undefined,
): Record<string, unknown> {
  const info: Record<string, unknown> = {
    index: index + 1,
    index0: index,
    first: index === 0,
    last: index === items.length - 1,
    length: items.length,
  };
  if (!lc?.extended) return info;
  Object.assign(info, { revindex: items.length - index, revindex0: items.length - index - 1 });
  if (lc.extended_allitems !== false) info['allitems'] = items;
  if (index > 0) info['previtem'] = items[index - 1];
  if (index < items.length - 1) info['nextitem'] = items[index + 1];
  return info;
}

function loopResult(results: ModuleResult[]): ModuleResult {
  const failed = results.filter((r) => r.failed);
  return {
    changed: results.some((r) => r.changed),
    failed: failed.length > 0,
    skipped: results.length > 0 && results.every((r) => r.skipped),
    results,
    msg: failed.length ? `${failed.length} of ${results.length} items failed` : `All items completed`,
  };
}

function skipped(cond: string | boolean): AttemptOutcome {
  return {
    result: { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: cond },
    unreachable: false,
  };
}

/** The host's connection, or the delegate's (delegate_to: another inventory host, or localhost). */
async function transportFor(i: HostTaskInput, vars: Record<string, unknown>) {
  const delegate = i.task.effective.delegate_to;
  if (delegate === undefined) return i.rc.connections.get(i.host.name);
  const name = String(renderValue(delegate, vars, { loc: i.task.loc, task: i.task.title, host: i.host.name, field: 'delegate_to' }));
  return i.rc.connections.get(name);
}
