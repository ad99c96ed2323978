// Every template string and every condition of a play is compiled before anything runs.
import type { Problem } from '../errors/problem.js';
import { parseExpression } from '../expr/index.js';
import type { TaskNode } from '../playbook/model.js';
import { playTasks, walkTasks } from '../playbook/task-walk.js';
import { MODULE_REGISTRY } from '../tasks/registry.js';
import { checkTemplate } from '../template/index.js';
import { keyLoc } from './locate.js';
import type { PlayRule } from './rule.js';
import { asList, eachString } from './values.js';

const CONDITION_KEYS = ['when', 'until', 'failed_when', 'changed_when'] as const;

/** Syntax-checks every template string and every condition of a play; a condition written with {{ }} adds Ansible's warning. */
export const templates: PlayRule = {
  name: 'templates',
  each: 'play',
  check: ({ play, warnings }) => {
    const problems: Problem[] = [];
    const condition = (c: string, t: TaskNode, field: string, key: string) => {
      const r = parseExpression(c);
      if (r.warning !== undefined) warnings.push({ message: r.warning, loc: keyLoc(t, key), task: t.title });
      return r.problems.map((p) => ({ ...p, loc: p.loc ?? keyLoc(t, key), task: t.title, message: `${field}: ${p.message}` }));
    };
    eachString(play.keywords.vars, (s) => problems.push(...checkTemplate(s, { loc: play.loc, field: 'vars' })));
    for (const field of ['serial', 'any_errors_fatal', 'become', 'gather_facts', 'check_mode', 'no_log', 'strategy'] as const) {
      eachString(play.keywords[field], (s) => problems.push(...checkTemplate(s, { loc: play.loc, field })));
    }
    walkTasks(playTasks(play), (t) => {
      const where = { loc: t.loc, task: t.title };
      for (const key of CONDITION_KEYS)
        for (const c of asList(t.keywords[key])) if (typeof c === 'string') problems.push(...condition(c, t, key, key));
      const { when: _w, until: _u, failed_when: _f, changed_when: _c, ...rest } = t.keywords;
      eachString(rest, (s, field) => problems.push(...checkTemplate(s, { ...where, loc: keyLoc(t, field), field })));
      if (t.kind === 'block') return;
      const raw = t.module === 'meta' ? [] : (MODULE_REGISTRY[t.module].rawArgs ?? []);
      const args = t.args && typeof t.args === 'object' && !Array.isArray(t.args) ? (t.args as Record<string, unknown>) : { _: t.args };
      for (const [key, v] of Object.entries(args)) {
        if (!raw.includes(key))
          eachString(v, (s) => problems.push(...checkTemplate(s, { ...where, loc: keyLoc(t, t.module), field: t.module })));
        else
          for (const c of Array.isArray(v) ? v : [v])
            if (typeof c === 'string') problems.push(...condition(c, t, `${t.module}.${key}`, t.module));
      }
    });
    return problems;
  },
};
