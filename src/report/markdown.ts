import { dur, outcomeText, type RunRecord } from './record.js';

const cell = (s: unknown): string =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');

/** The run record as Markdown (for a ticket system that takes text). */
export function renderMarkdown(r: RunRecord): string {
  const out: string[] = [`# Run record: ${r.inputs.playbook.split('/').pop() ?? r.inputs.playbook}`, '', `**${outcomeText(r)}**`, ''];
  out.push(
    `- Playbook: \`${r.inputs.playbook}\``,
    `- Inventory: \`${r.inputs.inventory.join(', ')}\``,
    `- Check mode: ${r.inputs.check ? 'yes' : 'no'}`,
    `- Started: ${r.segments[0]?.startedAt ?? ''}`,
    `- Runs: ${r.segments.length}`,
    `- Journal: \`${r.journal}\``,
    '',
  );
  const sections = r.segments.flatMap((s) => s.sections);
  out.push('## Critical sections', '');
  if (!sections.length) out.push('None ran.', '');
  else {
    out.push('| Section | Started | Took (downtime) | Declared | Outcome |', '| --- | --- | --- | --- | --- |');
    for (const s of sections)
      out.push(`| ${cell(s.name)} | ${cell(s.startedAt)} | ${dur(s.durationMs)} | ${dur(s.expectedMs)} | ${s.outcome} |`);
    out.push('');
  }
  out.push('## What changed where', '');
  const changed = r.segments.flatMap((s) => s.steps.filter((x) => x.status === 'changed'));
  if (!changed.length) out.push('Nothing was changed on any host.', '');
  else {
    out.push('| Host | Task | Command |', '| --- | --- | --- |');
    for (const c of changed) out.push(`| ${cell(c.host)} | ${cell(c.task)} | \`${cell(c.command ?? '')}\` |`);
    out.push('');
  }
  out.push('## Kept data dirs', '');
  if (!r.kept.length) out.push('None recorded.', '');
  else out.push(...r.kept.map((k) => `- ${k.host}: \`${k.path}\``), '');
  for (const [i, s] of r.segments.entries()) {
    out.push(`## Timeline${r.segments.length > 1 ? ` (${i === 0 ? 'first run' : `resume ${i}`})` : ''}`, '');
    out.push(
      `Started ${s.startedAt}; ${s.exitCode === undefined ? 'no end recorded' : `exit code ${s.exitCode} after ${dur(s.durationMs)}`}${s.stopped ? `; stopped: ${s.stopped}` : ''}.`,
      '',
    );
    out.push('| At | Task | Host | Status | Took | Command / message |', '| --- | --- | --- | --- | --- | --- |');
    for (const x of s.steps)
      out.push(
        `| +${dur(Math.max(0, x.atMs))} | ${cell(x.task)} | ${cell(x.host)} | ${x.status} | ${dur(x.durationMs)} | \`${cell(x.command ?? x.msg)}\` |`,
      );
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
