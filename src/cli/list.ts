import type { Prepared } from '../engine/prepare.js';
import { tagsAllow } from '../engine/selection.js';
import { isGatheringFacts } from '../playbook/gather-facts.js';
import { walkTasks, type TaskPlace } from '../playbook/task-walk.js';

/** `--list-hosts`: each play with the hosts it would run on. */
export function listHosts(p: Prepared): string[] {
  return p.plays.flatMap((play, i) => {
    const hosts = p.playHosts[i] ?? [];
    return [`play #${i + 1} (${play.hosts.join(':')}): ${play.name}  HOSTS (${hosts.length}):`, ...hosts.map((h) => `    ${h}`)];
  });
}

/** Indentation of a listed task: one step inside a block's body, two inside its rescue or always (under their header). */
function indent(at: TaskPlace): string {
  return '  '.repeat(2 + at.path.reduce((n, p) => n + (p.section === 'block' ? 1 : 2), 0));
}

/** `--list-tasks`: each play with the tasks that the tag filters select, with their tags. */
export function listTasks(p: Prepared, tags: string[], skipTags: string[]): string[] {
  const out: string[] = [];
  p.plays.forEach((play, i) => {
    out.push(`play #${i + 1} (${play.hosts.join(':')}): ${play.name}`);
    walkTasks(play.tasks, (t, at) => {
      const section = at.path.at(-1)?.section;
      // the first task of a rescue or always: the section's header, one step in from its tasks
      if (section !== undefined && section !== 'block' && at.index === 0) out.push(`${indent(at).slice(2)}${section}:`);
      if (t.kind === 'block' && t.include !== undefined) {
        // an include_tasks/include_role: one task, as ansible-playbook --list-tasks shows it
        if (tagsAllow(t.tags, tags, skipTags)) out.push(`${indent(at)}${t.include}\tTAGS: [${t.tags.join(', ')}]`);
        return 'skip';
      }
      if (t.kind === 'block') out.push(`${indent(at)}block: ${t.title}`);
      else if (tagsAllow(t.tags, tags, skipTags) && !isGatheringFacts(t)) out.push(`${indent(at)}${t.title}\tTAGS: [${t.tags.join(', ')}]`);
      return undefined;
    });
  });
  return out;
}
