import type { ReplaceArgs } from '../generated/playbook.js';
import { pyRegex, pySub } from '../expr/regex.js';
import { backupStep, bool, failed, plannedModule, type Plan, type Step } from './plan.js';
import { attrSteps, parseTextFile, rewriteStep, textFileProbe, type TextFile, textFilePath } from './text-file.js';
import { ok } from './result.js';

/** `replace`: replaces every match of a (Python) regular expression in a file, optionally between `after` and `before`; as ansible-core's. */
export const replaceModule = plannedModule<ReplaceArgs>({
  name: 'replace',
  readOnly: false,
  probe: (a) => textFileProbe(textFilePath(a)),
  plan(a, probe): Plan {
    const path = textFilePath(a);
    if (!path) return failed('missing required arguments: path');
    let file: TextFile;
    try {
      file = parseTextFile(probe);
    } catch (e) {
      return failed(`Unable to read the contents of ${path}: ${(e as Error).message}`);
    }
    if (file.kind === 'dir') return failed(`Path ${path} is a directory !`, { rc: 256 });
    if (file.kind === 'absent') return failed(`Path ${path} does not exist !`, { rc: 257 });
    try {
      return plan(a, path, file);
    } catch (e) {
      return failed((e as Error).message);
    }
  },
});

function plan(a: ReplaceArgs, path: string, file: TextFile): Plan {
  const contents = file.content;
  const pattern =
    a.after && a.before
      ? `${a.after}(?P<subsection>.*?)${a.before}`
      : a.after
        ? `${a.after}(?P<subsection>.*)`
        : a.before
          ? `(?P<subsection>.*)${a.before}`
          : '';
  let section = contents;
  let range: [number, number] = [0, contents.length];
  if (pattern) {
    const m = pyRegex(`(?s)${pattern}`, 'replace after/before', {}, 'd').exec(contents);
    const where = m?.indices?.groups?.['subsection'];
    if (!m || !where)
      return {
        result: { rc: 0, ...ok({ msg: `Pattern for before/after params did not match the given file: ${pattern}` }) },
        steps: [],
      };
    range = where;
    section = contents.slice(where[0], where[1]);
  }
  const re = pyRegex(a.regexp, 'replace regexp', { multiline: true }, 'g');
  const count = [...section.matchAll(re)].length;
  const replaced = pySub(re, section, a.replace ?? '');
  const steps: Step[] = [];
  let msg = '';
  let changed = false;
  const after = contents.slice(0, range[0]) + replaced + contents.slice(range[1]);
  if (count > 0 && replaced !== section) {
    msg = `${count} replacements made`;
    changed = true;
    if (bool(a.backup)) steps.push(backupStep(path));
    steps.push(rewriteStep(path, after, file, a));
  }
  const attrs = attrSteps(path, a, file);
  steps.push(...attrs.steps);
  if (attrs.steps.length > 0) {
    msg += `${changed ? ' and ' : ''}ownership, perms or SE linux context changed`;
    changed = true;
  }
  const diff = changed && after !== contents ? { before_header: path, before: contents, after_header: path, after } : undefined;
  return { result: { rc: 0, changed, msg }, steps, diff };
}
