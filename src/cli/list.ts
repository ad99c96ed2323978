import type { Prepared } from '../engine/prepare.js';
import type { TaskNode } from '../playbook/model.js';
import { tagsAllow } from '../engine/selection.js';
import { isGatheringFacts } from '../playbook/gather-facts.js';

/** `--list-hosts`: each play with the hosts it would run on. */
export function listHosts(p: Prepared): string[] {
  return p.plays.flatMap((play, i) => {
    const hosts = p.playHosts[i] ?? [];
    return [`play #${i + 1} (${play.hosts.join(':')}): ${play.name}  HOSTS (${hosts.length}):`, ...hosts.map((h) => `    ${h}`)];
  });
}

/** `--list-tasks`: each play with the tasks that the tag filters select, with their tags. */
export function listTasks(p: Prepared, tags: string[], skipTags: string[]): string[] {
  const out: string[] = [];
  p.plays.forEach((play, i) => {
    out.push(`play #${i + 1} (${play.hosts.join(':')}): ${play.name}`);
    const visit = (nodes: TaskNode[], depth: number) => {
      for (const t of nodes) {
        if (t.kind === 'block' && t.include !== undefined) {
          // an include_tasks/include_role: one task, as ansible-playbook --list-tasks shows it
          if (tagsAllow(t.tags, tags, skipTags)) out.push(`${'  '.repeat(depth + 1)}${t.include}\tTAGS: [${t.tags.join(', ')}]`);
        } else if (t.kind === 'block') {
          out.push(`${'  '.repeat(depth + 1)}block: ${t.title}`);
          visit(t.block, depth + 1);
          for (const [part, nodes] of [['rescue', t.rescue], ['always', t.always]] as const) {
            if (nodes.length === 0) continue;
            out.push(`${'  '.repeat(depth + 2)}${part}:`);
            visit(nodes, depth + 2);
          }
        } else if (tagsAllow(t.tags, tags, skipTags) && !isGatheringFacts(t)) {
          out.push(`${'  '.repeat(depth + 1)}${t.title}\tTAGS: [${t.tags.join(', ')}]`);
        }
      }
    };
    visit(play.tasks, 1);
  });
  return out;
}
