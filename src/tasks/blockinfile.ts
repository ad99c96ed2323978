import type { BlockinfileArgs } from '../generated/playbook.js';
import { pyRegex } from '../expr/regex.js';
import { shellQuote } from '../util/shell-quote.js';
import { backupStep, bool, failed, plannedModule, type Plan, type Step } from './plan.js';
import { attrSteps, contentDiff, parseTextFile, readLines, rewriteStep, textFileProbe, type TextFile, textFilePath } from './text-file.js';
import { ok } from './result.js';

/** `blockinfile`: inserts, updates or removes a block of lines between `# BEGIN/END ANSIBLE MANAGED BLOCK` markers; as ansible-core's. */
export const blockinfileModule = plannedModule<BlockinfileArgs>({
  name: 'blockinfile',
  readOnly: false,
  probe: (a) => textFileProbe(textFilePath(a)),
  plan(a, probe, env): Plan {
    const path = textFilePath(a);
    if (!path) return failed('missing required arguments: path');
    if (a.insertafter !== undefined && a.insertbefore !== undefined)
      return failed('parameters are mutually exclusive: insertbefore|insertafter');
    let file: TextFile;
    try {
      file = parseTextFile(probe);
    } catch (e) {
      return failed((e as Error).message);
    }
    if (file.kind === 'dir') return failed(`Path ${path} is a directory !`, { rc: 256 });
    try {
      return plan(a, path, file, env.check);
    } catch (e) {
      return failed((e as Error).message);
    }
  },
});

function plan(a: BlockinfileArgs, path: string, file: TextFile, check: boolean): Plan {
  const exists = file.kind === 'file';
  if (!exists && !bool(a.create)) return failed(`Path ${path} does not exist !`, { rc: 257 });
  const present = (a.state ?? 'present') === 'present';
  if (!present && !exists) return { result: ok({ msg: `File ${path} not present` }), steps: [] };
  const original = exists ? file.content : undefined;
  const lines = readLines(file.content);
  let insertafter = a.insertafter;
  const insertbefore = a.insertbefore;
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  const insSrc =
    insertafter !== undefined && insertafter !== 'EOF'
      ? insertafter
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? insertbefore
        : undefined;
  const insRe =
    insSrc !== undefined ? pyRegex(insSrc, `blockinfile ${insertafter !== undefined ? 'insertafter' : 'insertbefore'}`) : undefined;
  const marker = a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK';
  const marker0 = `${marker.split('{mark}').join(a.marker_begin ?? 'BEGIN')}\n`;
  const marker1 = `${marker.split('{mark}').join(a.marker_end ?? 'END')}\n`;
  let block = a.block ?? a.content ?? '';
  let blockLines: string[] = [];
  if (present && block) {
    if (!block.endsWith('\n')) block += '\n';
    blockLines = [marker0, ...readLines(block), marker1];
  }
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => {
    if (l === marker0) n0 = i;
    if (l === marker1) n1 = i;
  });
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (insRe) {
      if (insRe.flags.includes('m') && original !== undefined) {
        const m = insRe.exec(original);
        if (m) n0 = (original.slice(0, insertafter !== undefined ? m.index + m[0].length : m.index).match(/\n/g) ?? []).length;
      } else lines.forEach((l, i) => insRe.test(l.replace(/\n$/, '')) && (n0 = i));
      if (n0 === undefined) n0 = lines.length;
      else if (insertafter !== undefined) n0 += 1;
    } else if (insertbefore !== undefined) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) lines.splice(n0, n1 - n0 + 1);
  else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  const prev = lines[n0 - 1];
  if (n0 > 0 && prev !== undefined && !prev.endsWith('\n')) lines[n0 - 1] = `${prev}\n`;
  lines.splice(n0, 0, ...blockLines);
  const result = lines.join('');
  let changed = original !== result;
  let msg = !changed ? '' : original === undefined ? 'File created' : blockLines.length === 0 ? 'Block removed' : 'Block inserted';
  const diff = contentDiff(path, original ?? '', result);
  const steps: Step[] = [];
  if (changed) {
    if (!exists && path.includes('/')) steps.push({ command: `mkdir -p -- ${shellQuote(path.slice(0, path.lastIndexOf('/')) || '/')}` });
    if (bool(a.backup) && exists) steps.push(backupStep(path));
    steps.push(rewriteStep(path, result, file, a));
  }
  if (check && !exists) return { result: { changed, msg }, steps, diff };
  const attrs = attrSteps(path, a, exists ? file : { ...file, mode: '0644' });
  steps.push(...attrs.steps);
  if (attrs.steps.length > 0) {
    msg += `${changed ? ' and ' : ''}ownership, perms or SE linux context changed`;
    changed = true;
  }
  return { result: { changed, msg }, steps, diff: [diff, attrs.diff] };
}
