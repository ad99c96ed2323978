// Keyword inheritance, resolved once while the playbook is normalised: every task and block carries what applies to
// it from the play and the blocks (imports, includes, roles) around it. Templated values stay templates: the engine
// renders them per host when the task runs.
import type { SourceLocation } from '../errors/problem.js';
import type { PlaybookEntry, Task } from '../generated/playbook.js';

/** Keywords a task takes from the blocks around it when it does not set them itself (the innermost value wins). */
export const INHERITED_KEYWORDS = [
  'become',
  'become_user',
  'no_log',
  'check_mode',
  'timeout',
  'delegate_to',
  'delegate_facts',
  'ignore_errors',
  'ignore_unreachable',
  'run_once',
  'throttle',
  'any_errors_fatal',
] as const;

/** One of INHERITED_KEYWORDS. */
export type InheritedKeyword = (typeof INHERITED_KEYWORDS)[number];

/** One `when` condition that applies to a task, with where it is written. */
export interface Condition {
  /** The condition as written (an expression or a boolean). */
  test: string | boolean;
  loc: SourceLocation;
  /** Written on an include around the task: judged once where the include is reached, not again for each of its tasks. */
  atInclude?: true;
}

/** The variables a run-time include loop sets on each pass: its item (`loop_var`) and its `index_var`. */
export interface LoopNames {
  item: string;
  index?: string;
}

/** The vars of one block (or of the task itself). */
export interface VarLayer {
  vars: Record<string, unknown>;
  /** The layer of an include whose loop is rendered at run time: each pass adds its item (and index) here. */
  loop?: LoopNames;
  /**
   * Include parameters (the vars of an include_tasks / include_role, role parameters): above registered results and
   * set_fact, below extra vars, as ansible-core ranks them; other layers are block and task vars.
   */
  params?: true;
}

/** The keywords that apply to a task or block: its own, those of the blocks around it, then the play's. */
export interface EffectiveKeywords extends Pick<Task, InheritedKeyword> {
  /** The `when` conditions of the enclosing blocks, outermost first, then the node's own (all must hold). */
  when: Condition[];
  /** Vars of the enclosing blocks, outermost first, then the node's own (later wins). */
  vars: VarLayer[];
  /** The environment of the play, the blocks and the node merged (later wins); values may be templates. */
  environment: Record<string, unknown>;
}

/** What the tasks of a list inherit: the tags and keywords of the play and the blocks around them. */
export interface Enclosing {
  tags: string[];
  keywords: EffectiveKeywords;
}

/** The keywords written on a node that take part in inheritance (loop_control: the names a run-time loop's pass sets). */
export type OwnKeywords = Pick<Task, InheritedKeyword | 'when' | 'vars' | 'environment' | 'loop_control'>;

/** Where a node's own keywords are written, and whether its loop is rendered at run time. */
export interface KeywordSite {
  /** The node's location (a condition's, when its own is not known). */
  loc: SourceLocation;
  /** Where each of the node's `when` conditions is written, in order. */
  whenLocs?: SourceLocation[];
  /** An include whose loop is rendered at run time (its vars layer receives the item). */
  runTimeLoop?: boolean;
  /** The node's vars are include parameters (VarLayer.params). */
  params?: boolean;
}

/** The play keywords its tasks inherit. */
const PLAY_INHERITED = ['become', 'become_user', 'ignore_unreachable', 'no_log', 'check_mode'] as const;

/** What every task of a play inherits from the play itself (become, become_user, ignore_unreachable, no_log, check_mode, environment). */
export function playKeywords(play: Pick<PlaybookEntry, (typeof PLAY_INHERITED)[number] | 'environment'>): EffectiveKeywords {
  const out: EffectiveKeywords = { when: [], vars: [], environment: { ...(play.environment ?? {}) } };
  for (const key of PLAY_INHERITED) if (play[key] !== undefined) Object.assign(out, { [key]: play[key] });
  return out;
}

/** A node's effective keywords: what it inherits (OUTER) with its own keywords (OWN) applied. */
export function applyKeywords(outer: EffectiveKeywords, own: OwnKeywords, site: KeywordSite): EffectiveKeywords {
  const when = conditionList(own.when).map((test, i): Condition => ({ test, loc: site.whenLocs?.[i] ?? site.loc }));
  const vars = (own.vars ?? {}) as Record<string, unknown>;
  const flags = {
    ...(site.runTimeLoop ? { loop: loopNames(own.loop_control) } : {}),
    ...(site.params ? { params: true as const } : {}),
  };
  const layer: VarLayer[] = site.runTimeLoop || Object.keys(vars).length > 0 ? [{ vars, ...flags }] : [];
  const out: EffectiveKeywords = {
    ...outer,
    when: [...outer.when, ...when],
    vars: [...outer.vars, ...layer],
    environment: { ...outer.environment, ...(own.environment ?? {}) },
  };
  for (const key of INHERITED_KEYWORDS) if (own[key] !== undefined) Object.assign(out, { [key]: own[key] });
  return out;
}

/**
 * What the nodes inside a block inherit: the block's effective keywords (K), except that the `when` of an include
 * (include_tasks, include_role) is judged once where the include is reached, as in Ansible, not for each included task.
 */
export function insideBlock(k: EffectiveKeywords, own: OwnKeywords, include: boolean): EffectiveKeywords {
  const n = conditionList(own.when).length;
  if (!include || n === 0) return k;
  const first = k.when.length - n;
  return { ...k, when: k.when.map((c, i) => (i >= first ? { ...c, atInclude: true as const } : c)) };
}

/** The conditions a node's own run judges (those of the includes around it were judged where the include was reached). */
export function conditionsToJudge(k: EffectiveKeywords): Array<string | boolean> {
  return k.when.filter((c) => !c.atInclude).map((c) => c.test);
}

/** Every condition that applies to a node, includes' too (for checks before the run). */
export function allConditions(k: EffectiveKeywords): Array<string | boolean> {
  return k.when.map((c) => c.test);
}

/** The names a loop's pass sets, from its `loop_control` (`item` unless renamed). */
function loopNames(lc: Task['loop_control']): LoopNames {
  return { item: lc?.loop_var ?? 'item', ...(lc?.index_var ? { index: lc.index_var } : {}) };
}

/** A `when` as written (one condition or a list), as a list. */
function conditionList(when: Task['when']): Array<string | boolean> {
  if (when === undefined) return [];
  return Array.isArray(when) ? when : [when];
}

/** Keywords of an include_tasks / include_role that apply to the include itself only (ansible-core does not pass them on). */
const INCLUDE_OWN = ['ignore_errors', 'no_log', 'run_once', 'timeout'] as const;

/**
 * What the tasks of an include_tasks / include_role inherit, from the include's effective keywords K (OUTER: what
 * the include itself inherits): its vars and its `when` (judged at the include), not its ignore_errors, no_log,
 * run_once or timeout, as ansible-core; then its `apply:` keywords (APPLY), as a block around the included tasks.
 */
export function includedKeywords(
  k: EffectiveKeywords,
  outer: EffectiveKeywords,
  apply?: { keywords: OwnKeywords; loc: SourceLocation },
): EffectiveKeywords {
  const out: EffectiveKeywords = { ...k };
  for (const key of INCLUDE_OWN) {
    if (outer[key] === undefined) delete out[key];
    else Object.assign(out, { [key]: outer[key] });
  }
  return apply ? applyKeywords(out, apply.keywords, { loc: apply.loc }) : out;
}
