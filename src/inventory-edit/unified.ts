import { unifiedHunks } from '../util/line-diff.js';

/** A unified diff (`--- a`, `+++ b`, `@@ -l,n +l,n @@` hunks with 3 lines of context); empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, name: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  if (before.endsWith('\n')) a.pop();
  if (after.endsWith('\n')) b.pop();
  return `${[`--- ${name}`, `+++ ${name} (edited)`, ...unifiedHunks(a, b)].join('\n')}\n`;
}
