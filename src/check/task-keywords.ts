// Rules about single task keywords whose mistakes would only show (or silently misbehave) when the task runs.
import type { Problem } from '../errors/problem.js';
import { expressionNames, parseExpression } from '../expr/index.js';
import { playTasks, walkTasks } from '../playbook/task-walk.js';
import { keyLoc } from './locate.js';
import type { PlayRule } from './rule.js';

/** `ignore_errors` written as a string must be a boolean spelling: anything else (even a template) would silently be false. */
export const booleanStrings: PlayRule = {
  name: 'boolean-strings',
  each: 'play',
  check: ({ play }) => {
    const problems: Problem[] = [];
    walkTasks(playTasks(play), (t) => {
      const v = t.keywords.ignore_errors;
      // booleans written as yes/no/on/off are booleans by now (ansible-forms); a {{ template }} is resolved per host
      if (typeof v !== 'string' || /^\s*\{\{.*\}\}\s*$/s.test(v)) return;
      problems.push({
        message: `"ignore_errors" must be true or false, got ${JSON.stringify(v)}`,
        loc: keyLoc(t, 'ignore_errors'),
        task: t.title,
        hint: 'write true or false, or a {{ template }} giving one',
      });
    });
    return problems;
  },
};

/** `until` is evaluated against this task's result, which it can only see through the task's `register`. */
export const untilRegister: PlayRule = {
  name: 'until-register',
  each: 'play',
  check: ({ play }) => {
    const problems: Problem[] = [];
    walkTasks(playTasks(play), (t) => {
      const until = t.keywords.until;
      if (typeof until !== 'string' || t.keywords.register !== undefined) return;
      const { expr } = parseExpression(until);
      const root = expr ? [...expressionNames(expr.ast).used][0] : undefined;
      problems.push({
        message: '"until" needs "register" on the same task: the condition sees this task\'s result only through its registered name',
        loc: keyLoc(t, 'until'),
        task: t.title,
        hint: root ? `add "register: ${root}"` : 'add "register: NAME" and test NAME in the condition',
      });
    });
    return problems;
  },
};
