import { unifiedHunks } from '../util/line-diff.js';

/** The `--diff` view of a result's `diff` (one entry or a list): unified diffs as ansible-playbook prints them. */
export function diffText(diff: unknown): string[] {
  const entries = (Array.isArray(diff) ? diff : [diff]).filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null);
  return entries.flatMap(entryLines);
}

function asText(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return `${JSON.stringify(v, null, 4)}\n`;
}

function entryLines(d: Record<string, unknown>): string[] {
  if (d['before'] === undefined && d['after'] === undefined) return [];
  const before = asText(d['before']);
  const after = asText(d['after']);
  if (before === after) return [];
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.at(-1) === '') a.pop();
  if (b.at(-1) === '') b.pop();
  const head = [
    `--- before${d['before_header'] ? `: ${String(d['before_header'])}` : ''}`,
    `+++ after${d['after_header'] ? `: ${String(d['after_header'])}` : ''}`,
  ];
  return [...head, ...unifiedHunks(a, b)];
}
