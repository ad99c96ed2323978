// Handler names must be unique in a play; every notify must name a handler (or a listen topic).
import type { Problem } from '../errors/problem.js';
import type { ModuleTask } from '../playbook/model.js';
import { playTasks, walkTasks } from '../playbook/task-walk.js';
import { didYouMean } from '../util/did-you-mean.js';
import { keyLoc } from './locate.js';
import type { PlayRule } from './rule.js';
import { asList } from './values.js';

/** Two handlers with one name, and a notify that names no handler. */
export const handlers: PlayRule = {
  name: 'handlers',
  each: 'play',
  check: ({ play }) => {
    const problems: Problem[] = [];
    const first = new Map<string, ModuleTask>();
    for (const h of play.handlers) {
      // handlers of roles are told apart by `role : name` (two roles may both have a "restart"; the last one answers)
      const name = h.role && h.keywords.name !== undefined ? h.title : h.keywords.name;
      if (name === undefined) continue;
      const earlier = first.get(name);
      if (!earlier) first.set(name, h);
      else {
        problems.push({
          message: `two handlers are named "${name}" (the other is at line ${earlier.loc.line}): a notify would run both`,
          loc: keyLoc(h, 'name'),
          hint: 'give each handler its own name; to run several handlers on one notify, give them the same "listen:" topic',
        });
      }
    }
    const known = [
      ...first.keys(),
      ...play.handlers.flatMap((h) => [
        ...(h.role && h.keywords.name !== undefined ? [h.keywords.name] : []),
        ...asList(h.keywords.listen),
      ]),
    ];
    walkTasks(playTasks(play), (t) => {
      for (const n of asList(t.keywords.notify)) {
        if (known.includes(n)) continue;
        const hint =
          didYouMean(n, known) ??
          (known.length ? `the handlers of this play are: ${known.map((k) => `"${k}"`).join(', ')}` : 'this play has no handlers');
        problems.push({ message: `notify: no handler named "${n}" in play "${play.name}"`, loc: keyLoc(t, 'notify'), task: t.title, hint });
      }
    });
    return problems;
  },
};
