import type { LineinfileArgs } from '../generated/playbook.js';
import { pyRegex, pySub } from '../expr/regex.js';
import { shellQuote } from '../util/shell-quote.js';
import { backupStep, bool, failed, plannedModule, type Plan, type Step } from './plan.js';
import { attrSteps, contentDiff, parseTextFile, readLines, rewriteStep, textFileProbe, type TextFile, textFilePath } from './text-file.js';
import { ok } from './result.js';

/** `lineinfile`: makes sure a line is in a file (or not), replacing the line a regexp/search_string matches; as ansible-core's. */
export const lineinfileModule = plannedModule<LineinfileArgs>({
  name: 'lineinfile',
  readOnly: false,
  probe: (a) => textFileProbe(textFilePath(a)),
  plan(a, probe, env): Plan {
    const path = textFilePath(a);
    const regexp = a.regexp ?? a.regex;
    const line = a.line ?? a.value;
    if (!path) return failed('missing required arguments: path');
    const conflict = exclusive(a, regexp);
    if (conflict) return failed(conflict);
    let file: TextFile;
    try {
      file = parseTextFile(probe);
    } catch (e) {
      return failed((e as Error).message);
    }
    if (file.kind === 'dir') return failed(`Path ${path} is a directory !`, { rc: 256 });
    try {
      if ((a.state ?? 'present') === 'absent') {
        if (regexp === undefined && a.search_string === undefined && line === undefined)
          return failed('one of line, search_string, or regexp is required with state=absent');
        return absent(a, path, file, regexp, line, env.check);
      }
      if (bool(a.backrefs) && regexp === undefined) return failed('regexp is required with backrefs=true');
      if (line === undefined) return failed('line is required with state=present');
      return present(a, path, file, regexp, line, env.check);
    } catch (e) {
      return failed((e as Error).message);
    }
  },
});

function exclusive(a: LineinfileArgs, regexp: string | undefined): string | undefined {
  const pairs: [string, unknown, string, unknown][] = [
    ['insertbefore', a.insertbefore, 'insertafter', a.insertafter],
    ['regexp', regexp, 'search_string', a.search_string],
    ['backrefs', a.backrefs, 'search_string', a.search_string],
  ];
  for (const [n1, v1, n2, v2] of pairs) if (v1 !== undefined && v2 !== undefined) return `parameters are mutually exclusive: ${n1}|${n2}`;
  return undefined;
}

/** The line without its line ending (Python's rstrip(b'\r\n')). */
function bare(l: string): string {
  return l.replace(/[\r\n]+$/, '');
}

function present(a: LineinfileArgs, path: string, file: TextFile, regexp: string | undefined, line: string, check: boolean): Plan {
  if (file.kind === 'absent' && !bool(a.create)) return failed(`Destination ${path} does not exist !`, { rc: 257 });
  const lines = readLines(file.content);
  const firstmatch = bool(a.firstmatch);
  const re = regexp !== undefined ? pyRegex(regexp, 'lineinfile regexp') : undefined;
  let insAfter = a.insertafter;
  const insBefore = a.insertbefore;
  if (insAfter === undefined && insBefore === undefined) insAfter = 'EOF';
  const insSrc =
    insAfter !== undefined && insAfter !== 'BOF' && insAfter !== 'EOF'
      ? insAfter
      : insBefore !== undefined && insBefore !== 'BOF'
        ? insBefore
        : undefined;
  const insRe = insSrc !== undefined ? pyRegex(insSrc, 'lineinfile insertafter/insertbefore') : undefined;
  const index = [-1, -1];
  let match: RegExpExecArray | boolean | null = null;
  let matchedLine = '';
  if (re) {
    for (const [n, l] of lines.entries()) {
      const m = re.exec(l.replace(/\n$/, ''));
      if (m) {
        index[0] = n;
        match = m;
        matchedLine = l.replace(/\n$/, '');
        if (firstmatch) break;
      }
    }
  }
  if (a.search_string !== undefined) {
    for (const [n, l] of lines.entries()) {
      if (l.includes(a.search_string)) {
        index[0] = n;
        match = true;
        if (firstmatch) break;
      }
    }
  }
  if (!match) {
    for (const [n, l] of lines.entries()) {
      if (line === bare(l)) {
        index[0] = n;
      } else if (insRe?.test(l.replace(/\n$/, ''))) {
        if (insAfter !== undefined) {
          index[1] = n + 1;
          if (firstmatch) break;
        }
        if (insBefore !== undefined) {
          index[1] = n;
          if (firstmatch) break;
        }
      }
    }
  }
  let msg = '';
  let changed = false;
  const add = (at: number): void => {
    lines.splice(at, 0, `${line}\n`);
    msg = 'line added';
    changed = true;
  };
  const i0 = index[0] ?? -1;
  const i1 = index[1] ?? -1;
  if (i0 !== -1) {
    let newLine = bool(a.backrefs) && re && match && typeof match !== 'boolean' ? expand(re, matchedLine, match, line) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[i0] !== newLine) {
      lines[i0] = newLine;
      msg = 'line replaced';
      changed = true;
    }
  } else if (bool(a.backrefs)) {
    // backrefs: no match, nothing to do
  } else if (insBefore === 'BOF' || insAfter === 'BOF') {
    add(0);
  } else if (insAfter === 'EOF' || i1 === -1) {
    const last = lines.at(-1);
    if (last !== undefined && !/[\n\r]$/.test(last)) lines.push('\n');
    add(lines.length);
  } else if (insAfter !== undefined && i1 !== -1) {
    if (lines.length === i1) {
      if (bare(lines[i1 - 1] ?? '') !== line) add(lines.length);
    } else if (line !== bare(lines[i1] ?? '')) add(i1);
  } else {
    add(i1);
  }
  return finish(a, path, file, lines.join(''), changed, msg, {}, check);
}

/** Python's match.expand(template) for the line that matched. */
function expand(re: RegExp, text: string, m: RegExpExecArray, template: string): string {
  const out = pySub(new RegExp(re.source, re.flags.replace('g', '')), text, template, 1);
  const suffix = text.length - (m.index + m[0].length);
  return out.slice(m.index, out.length - suffix);
}

function absent(
  a: LineinfileArgs,
  path: string,
  file: TextFile,
  regexp: string | undefined,
  line: string | undefined,
  check: boolean,
): Plan {
  if (file.kind === 'absent') return { result: ok({ msg: 'file not present' }), steps: [] };
  const re = regexp !== undefined ? pyRegex(regexp, 'lineinfile regexp') : undefined;
  const lines = readLines(file.content);
  const kept = lines.filter((l) => {
    const hit = re ? re.test(l.replace(/\n$/, '')) : a.search_string !== undefined ? l.includes(a.search_string) : line === bare(l);
    return !hit;
  });
  const found = lines.length - kept.length;
  return finish(a, path, file, kept.join(''), found > 0, found > 0 ? `${found} line(s) removed` : '', { found }, check);
}

/** Writes the new content (with a backup) and fixes the attributes; Ansible's result and diff list. */
function finish(
  a: LineinfileArgs,
  path: string,
  file: TextFile,
  after: string,
  contentChanged: boolean,
  contentMsg: string,
  extra: Record<string, unknown>,
  check: boolean,
): Plan {
  let changed = contentChanged;
  let msg = contentMsg;
  const diff = contentDiff(path, file.content, after);
  const steps: Step[] = [];
  if (changed && bool(a.backup) && file.kind === 'file') steps.push(backupStep(path, 'backup'));
  if (changed) steps.push(rewriteStep(path, after, file, a));
  if (file.kind === 'absent') {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (changed && dir) steps.unshift({ command: `mkdir -p -- ${shellQuote(dir)}` });
    // in check mode Ansible stops here; otherwise it compares the attributes with the new file's (0644 under umask 022)
    if (check || !changed) return { result: { ...extra, changed, msg, backup: '' }, steps, diff };
  }
  const attrs = attrSteps(path, a, file.kind === 'absent' ? { ...file, mode: '0644' } : file);
  steps.push(...attrs.steps);
  if (attrs.steps.length > 0) {
    msg += `${changed ? ' and ' : ''}ownership, perms or SE linux context changed`;
    changed = true;
  }
  return { result: { ...extra, changed, msg, backup: '' }, steps, diff: [diff, attrs.diff] };
}
