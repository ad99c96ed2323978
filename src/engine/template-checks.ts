import type { Problem } from '../errors/problem.js';
import { parseExpression } from '../expr/index.js';
import type { Play, TaskNode } from '../playbook/model.js';
import { MODULE_REGISTRY } from '../tasks/registry.js';
import { checkTemplate } from '../template/index.js';

const CONDITION_KEYS = ['when', 'until', 'failed_when', 'changed_when'] as const;

/** Syntax-checks every template string and every condition of a play before anything runs; a condition written with {{ }} adds Ansible's warning to `warnings`. */
export function checkPlayTemplates(play: Play, warnings: Problem[] = []): Problem[] {
  const problems: Problem[] = [];
  const condition = (c: string, t: TaskNode, field: string, key: string) => {
    const r = parseExpression(c);
    if (r.warning !== undefined) warnings.push({ message: r.warning, loc: keyLoc(t, key), task: t.title });
    return located(r.problems, t, field, key);
  };
  strings(play.keywords.vars, (s) => problems.push(...checkTemplate(s, { loc: play.loc, field: 'vars' })));
  for (const field of ['serial', 'any_errors_fatal', 'become', 'gather_facts', 'check_mode', 'no_log'] as const) {
    strings(play.keywords[field], (s) => problems.push(...checkTemplate(s, { loc: play.loc, field })));
  }
  const visit = (nodes: TaskNode[]) => {
    for (const t of nodes) {
      const where = { loc: t.loc, task: t.title };
      for (const key of CONDITION_KEYS) {
        const v = t.keywords[key];
        for (const c of v === undefined ? [] : Array.isArray(v) ? v : [v]) {
          if (typeof c === 'string') problems.push(...condition(c, t, key, key));
        }
      }
      const { when: _w, until: _u, failed_when: _f, changed_when: _c, ...rest } = t.keywords;
      strings(rest, (s, field) => problems.push(...checkTemplate(s, { ...where, loc: keyLoc(t, field), field })));
      if (t.kind === 'block') {
        visit(t.block);
        visit(t.rescue);
        visit(t.always);
        continue;
      }
      const raw = t.module === 'meta' ? [] : (MODULE_REGISTRY[t.module].rawArgs ?? []);
      const args = t.args && typeof t.args === 'object' && !Array.isArray(t.args) ? (t.args as Record<string, unknown>) : { _: t.args };
      for (const [key, v] of Object.entries(args)) {
        if (!raw.includes(key)) strings(v, (s) => problems.push(...checkTemplate(s, { ...where, loc: keyLoc(t, t.module), field: t.module })));
        else for (const c of Array.isArray(v) ? v : [v]) if (typeof c === 'string') problems.push(...condition(c, t, `${t.module}.${key}`, t.module));
      }
    }
  };
  visit(play.tasks);
  visit(play.handlers);
  return problems;
}

function located(problems: Problem[], t: TaskNode, field: string, key: string): Problem[] {
  return problems.map((p) => ({ ...p, loc: p.loc ?? keyLoc(t, key), task: t.title, message: `${field}: ${p.message}` }));
}

/** Where the value of a task's key (the first part of a field path like `environment.X`) is written, else the task. */
export function keyLoc(t: TaskNode, field: string): Problem['loc'] {
  return t.keyLocs?.[field.split('.')[0] ?? field] ?? t.loc;
}

/** Calls `fn` on every string inside a value, with the key path it was found at. */
function strings(v: unknown, fn: (s: string, field: string) => void, field = ''): void {
  if (typeof v === 'string') fn(v, field);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, fn, field));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, fn, field ? `${field}.${k}` : k);
}
