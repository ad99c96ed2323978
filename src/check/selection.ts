// Rules about the command-line options that select tasks: --tags, --skip-tags and --start-at-task.
import type { Problem } from '../errors/problem.js';
import { playTasks, walkTasks } from '../playbook/task-walk.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { RunRule } from './rule.js';

const SPECIAL_TAGS = ['all', 'always', 'never', 'tagged', 'untagged'];

/** A tag given to --tags / --skip-tags that no task has is a typo that would run (or skip) the wrong tasks. */
export const tags: RunRule = {
  name: 'tags',
  check: ({ plays, opts }) => {
    if (!plays.length) return [];
    const have = new Set<string>();
    for (const p of plays) walkTasks(playTasks(p), (t) => t.tags.forEach((g) => have.add(g)));
    const problems: Problem[] = [];
    for (const [option, given] of [
      ['--tags', opts.tags],
      ['--skip-tags', opts.skipTags],
    ] as const) {
      for (const tag of given) {
        if (have.has(tag) || SPECIAL_TAGS.includes(tag)) continue;
        const hint =
          didYouMean(tag, have) ??
          (have.size ? `the playbook's tags are: ${[...have].sort().join(', ')}` : 'no task of this playbook has tags');
        problems.push({ message: `${option}: no task has the tag "${tag}"`, hint });
      }
    }
    return problems;
  },
};

/** --start-at-task must name a task (the run would otherwise skip every task). */
export const startAtTask: RunRule = {
  name: 'start-at-task',
  check: ({ plays, opts }) => {
    const name = opts.startAtTask;
    if (name === undefined) return [];
    const titles: string[] = [];
    for (const p of plays) walkTasks(p.tasks, (t) => void (t.kind === 'module' && titles.push(t.title)));
    if (titles.includes(name)) return [];
    return [{ message: `--start-at-task: no task is named "${name}"`, hint: didYouMean(name, titles) }];
  },
};
