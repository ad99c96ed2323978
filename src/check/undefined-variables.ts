// Variables that nothing can define, found before the run: each would fail its task whenever it runs.
import type { Problem } from '../errors/problem.js';
import { BUILTIN_NAMES, expressionNames, parseExpression } from '../expr/index.js';
import type { Play } from '../playbook/model.js';
import { allConditions } from '../playbook/effective-keywords.js';
import { inRescue, playTasks, walkTasks } from '../playbook/task-walk.js';
import { MODULE_REGISTRY } from '../tasks/registry.js';
import { templateVariables } from '../template/index.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { CheckContext } from './context.js';
import { dynamicNames } from './dynamic-names.js';
import { keyLoc } from './locate.js';
import type { RunRule } from './rule.js';
import { asList, eachString } from './values.js';

/** Keys of an unread task that may define variables nobody can list (set_fact, include_vars, roles, imports...). */
const DEFINES_VARIABLES =
  /(^|\.)(set_fact|include_vars|import_tasks|include_tasks|import_role|include_role|include|setup|gather_facts|add_host|group_by|set_stats)$/;

/** Play keywords whose {{ templates }} are rendered when the play runs. */
const PLAY_RENDERED_KEYWORDS = ['serial', 'any_errors_fatal', 'become', 'gather_facts', 'check_mode', 'no_log', 'strategy'] as const;

/** Task keywords whose strings are rendered when the task runs (module arguments are checked separately). */
const RENDERED_KEYWORDS = [
  'loop',
  'environment',
  'timeout',
  'delegate_to',
  'become_user',
  'retries',
  'delay',
  'run_once',
  'no_log',
  'become',
  'check_mode',
  'ignore_errors',
  'delegate_facts',
  'throttle',
  'any_errors_fatal',
] as const;

/**
 * Whether every variable a play can see is known: its vars files were read, and no task that could not be read
 * might define variables (an unknown module only hides its `register`, which is still counted).
 */
function variablesKnown(play: Play, unreadable: ReadonlySet<string>): boolean {
  if ([...play.varsFiles, ...play.defaultsFiles].some((f) => unreadable.has(f))) return false;
  return !(play.unread ?? []).some((u) => u.keys.some((k) => DEFINES_VARIABLES.test(k)));
}

/**
 * Variables that nothing can define: not the inventory (any host), -e, the play's vars / vars_files / defaults_files,
 * an enclosing block's or the task's vars, a loop, a `register` or `set_fact` anywhere in the playbook, a module's
 * facts, nor the engine. Only names a template or condition reads on every evaluation count (`default x`,
 * `x is defined` and names in the task's `when` guard them), so what is reported fails whenever the task runs.
 * Judged only when what could define them was read: the inventory and -e (else not at all), each play's vars files
 * and tasks (else not for that play).
 */
export const undefinedVariables: RunRule = {
  name: 'undefined-variables',
  check: (ctx) => (ctx.read.inventory.length === 0 && ctx.read.input.length === 0 ? undefinedIn(ctx) : []),
};

function undefinedIn(ctx: CheckContext): Problem[] {
  const { plays, inventory } = ctx;
  const global = new Set<string>([...ctx.engine.variables, ...BUILTIN_NAMES]);
  for (const h of inventory.hosts.values()) for (const k of Object.keys(h.vars)) global.add(k);
  for (const g of inventory.groups.values()) for (const k of Object.keys(g.vars)) global.add(k);
  for (const vars of inventory.laterGroupVars?.values() ?? []) for (const k of Object.keys(vars)) global.add(k);
  for (const k of Object.keys(ctx.opts.extraVars)) global.add(k);
  for (const k of dynamicNames(plays)) global.add(k);
  const problems: Problem[] = [];
  for (const play of plays) {
    if (!variablesKnown(play, ctx.unreadableFiles)) continue;
    const playKnown = new Set(global);
    for (const k of Object.keys(play.keywords.vars ?? {})) playKnown.add(k);
    for (const f of [...play.defaultsFiles, ...play.varsFiles, ...(play.roleDefaults ?? []), ...(play.roleVars ?? [])])
      for (const k of Object.keys(ctx.varsFiles.get(f) ?? {})) playKnown.add(k);
    // play keywords given as {{ templates }} (resolved with the first host of the play or batch)
    for (const key of PLAY_RENDERED_KEYWORDS) {
      const v = play.keywords[key];
      if (typeof v !== 'string') continue;
      for (const name of templateVariables(v)) {
        if (playKnown.has(name)) continue;
        problems.push({
          message: `undefined variable "${name}" in template ${JSON.stringify(v)} in play keyword ${key}: nothing defines it (inventory, -e, play vars, vars files)`,
          loc: play.loc,
          hint: didYouMean(name, playKnown) ?? `define it in the play's vars or with -e`,
        });
      }
    }
    walkTasks(playTasks(play), (t, at) => {
      const known = new Set(playKnown);
      if (inRescue(at)) for (const v of ctx.engine.rescueVariables) known.add(v);
      if (t.role) for (const v of ['role_name', 'role_path']) known.add(v);
      // the task's own role's defaults and vars (those of a role only a templated include_role picks are not the play's)
      for (const f of [...(t.role?.defaults ?? []), ...(t.role?.vars ?? [])])
        for (const k of Object.keys(ctx.varsFiles.get(f) ?? {})) known.add(k);
      // the vars of the task and its blocks; an include looping at run time gives its tasks the loop variables
      for (const layer of t.effective.vars) {
        for (const v of Object.keys(layer.vars)) known.add(v);
        if (layer.loop) for (const v of [layer.loop.item, layer.loop.index]) if (v) known.add(v);
      }
      // Names a `when` of the task or its blocks mentions guard the task's templates (they only render when it holds).
      const conditions = allConditions(t.effective);
      const whenNames = new Set<string>();
      for (const c of conditions) if (typeof c === 'string') for (const id of c.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) whenNames.add(id);
      if (t.keywords.loop !== undefined) {
        const lc = t.keywords.loop_control;
        for (const v of [lc?.loop_var ?? 'item', lc?.index_var, 'ansible_loop', 'ansible_loop_var']) if (v) known.add(v);
      }
      const report = (name: string, what: string, field: string, shown: string): void => {
        problems.push({
          message: `undefined variable "${name}" in ${what} ${shown} in ${field}: nothing defines it (inventory, -e, play vars, vars files, block or task vars, register, set_fact)`,
          loc: keyLoc(t, field),
          task: t.title,
          hint: didYouMean(name, known) ?? `define it, or write {{ ${name} | default('...') }} if it is optional`,
        });
      };
      // Conditions: a name tested with "is defined" or given a default anywhere in them is guarded in all of them.
      // (Conditions of enclosing blocks only guard here: they are reported at the block itself.)
      const conds: Array<{ c: string; field: string; own: boolean }> = [];
      const inherited = conditions.slice(0, conditions.length - asList(t.keywords.when).length);
      for (const c of inherited) if (typeof c === 'string') conds.push({ c, field: 'when', own: false });
      for (const key of ['when', 'failed_when', 'changed_when'] as const)
        for (const c of asList(t.keywords[key])) if (typeof c === 'string') conds.push({ c, field: key, own: true });
      if (typeof t.keywords.until === 'string' && t.keywords.register !== undefined)
        conds.push({ c: t.keywords.until, field: 'until', own: true });
      if (t.kind === 'module' && t.module === 'assert' && t.args && typeof t.args === 'object') {
        for (const c of asList((t.args as { that?: unknown }).that))
          if (typeof c === 'string') conds.push({ c, field: 'assert', own: true });
      }
      const parsed = conds.map((x) => {
        const { expr } = parseExpression(x.c);
        return { ...x, names: expr ? expressionNames(expr.ast) : undefined };
      });
      const guarded = new Set(parsed.flatMap((p) => [...(p.names?.guarded ?? [])]));
      for (const p of parsed) {
        if (!p.own) continue;
        for (const name of p.names?.used ?? [])
          if (!known.has(name) && !guarded.has(name)) report(name, 'condition', p.field, JSON.stringify(p.c));
      }
      const template = (s: string, field: string): void => {
        for (const name of templateVariables(s))
          if (!known.has(name) && !guarded.has(name) && !whenNames.has(name)) report(name, 'template', field, JSON.stringify(s));
      };
      for (const key of RENDERED_KEYWORDS) eachString(t.keywords[key], (s) => template(s, key));
      // the name of an include chosen at run time
      if (t.kind === 'block' && t.choose) template(t.choose.template, t.choose.key);
      if (t.kind !== 'module') return;
      const raw = t.module === 'meta' ? [] : (MODULE_REGISTRY[t.module].rawArgs ?? []);
      const args = t.args && typeof t.args === 'object' && !Array.isArray(t.args) ? (t.args as Record<string, unknown>) : { _: t.args };
      for (const [key, v] of Object.entries(args)) if (!raw.includes(key)) eachString(v, (s) => template(s, t.module));
    });
  }
  return problems;
}
