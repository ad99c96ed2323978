import type { Problem } from '../errors/problem.js';
import { expandHostRange, hasRange, splitHostPort } from '../inventory/ranges.js';
import { appendBlock, appendIndex, contentLines, hostTokens, iniSections, keyOf, plain, type IniSection } from './ini-lines.js';
import { describeTarget, type Assignment, type Edit, type EditResult, type VarTarget } from './types.js';
import { iniHostValue } from './values.js';

/** The lines of an INI file being edited; every line not inserted or removed keeps its bytes. */
interface IniFile {
  file: string;
  lines: string[];
  /** `\r` for CRLF files, else empty: appended to new lines. */
  eol: string;
}

/** A host line that declares the host, directly or through a range. */
interface HostLine {
  index: number;
  section: IniSection;
  range: boolean;
}

/** Applies one edit to an INI inventory, inserting or removing lines (or words of host lines) only. */
export function editIni(file: string, text: string, edit: Edit): EditResult {
  const f: IniFile = { file, lines: text.split('\n'), eol: text.includes('\r\n') ? '\r' : '' };
  const problems = apply(f, edit);
  return problems.length ? { problems } : { text: f.lines.join('\n') };
}

function apply(f: IniFile, edit: Edit): Problem[] {
  switch (edit.kind) {
    case 'add-host': {
      const words = [edit.host, ...edit.vars.map((a) => `${a.key}=${hostLineValue(a)}`)];
      insertInSection(f, edit.group, edit.group === 'all' || edit.group === 'ungrouped' ? 'preamble' : 'hosts', words.join(' '));
      return [];
    }
    case 'remove-host': {
      const { found, problems } = directLines(f, edit.host, edit.group);
      for (const h of [...found].reverse()) f.lines.splice(h.index, 1);
      return problems;
    }
    case 'add-group': {
      const declared = iniSections(f.lines).some((s) => s.name === edit.group && s.kind !== 'vars');
      if (!declared) appendBlock(f.lines, [`[${edit.group}]`], f.eol);
      if (edit.parent) insertInSection(f, edit.parent, 'children', edit.group);
      return [];
    }
    case 'set-var':
      return 'host' in edit.target ? setHostVars(f, edit.target.host, edit.vars) : setGroupVars(f, edit.target.group, edit.vars);
    case 'unset-var':
      return unsetVars(f, edit.target, edit.keys);
  }
}

/** Adds a line at the end of the first matching section, or in a new section at the end of the file. */
function insertInSection(f: IniFile, group: string, kind: 'hosts' | 'preamble' | 'vars' | 'children', line: string): void {
  const sections = iniSections(f.lines);
  const s =
    kind === 'preamble'
      ? (sections.find((x) => x.name === group && x.kind === 'hosts' && x.header >= 0) ?? sections[0])
      : sections.find((x) => x.name === group && x.kind === kind && x.header >= 0);
  if (!s) return appendBlock(f.lines, [kind === 'hosts' ? `[${group}]` : `[${group}:${kind}]`, line], f.eol);
  if (s.header >= 0 || contentLines(f.lines, s).length) return void f.lines.splice(appendIndex(f.lines, s), 0, line + f.eol);
  let at = s.end;
  while (at > 0 && plain(f.lines[at - 1] ?? '').trim() === '') at--;
  const beforeHeader = plain(f.lines[at] ?? '').trim() !== '';
  f.lines.splice(at, 0, line + f.eol, ...(beforeHeader ? [f.eol] : []));
}

/** Host lines that declare `host` (in `group`'s sections when given); a host only reachable through a range is a problem. */
function directLines(f: IniFile, host: string, group?: string): { found: HostLine[]; problems: Problem[] } {
  const all: HostLine[] = [];
  for (const section of iniSections(f.lines)) {
    if (section.kind !== 'hosts') continue;
    if (group !== undefined && section.name !== group && !(section.header === -1 && (group === 'all' || group === 'ungrouped'))) continue;
    for (const index of contentLines(f.lines, section)) {
      const def = splitHostPort(hostTokens(f.lines[index] ?? '')[0]?.text ?? '').host;
      if (def === host) all.push({ index, section, range: false });
      else if (hasRange(def) && expandHostRange(def).hosts?.includes(host)) all.push({ index, section, range: true });
    }
  }
  const problems: Problem[] = all
    .filter((h) => h.range)
    .map((h) => ({
      message: `host "${host}" comes from a range in [${h.section.name}]; tsplay does not expand ranges`,
      loc: { file: f.file, line: h.index + 1, col: 1 },
      hint: 'rewrite the range as separate host lines first',
    }));
  const found = all.filter((h) => !h.range);
  if (!found.length && !problems.length)
    problems.push({ message: `host "${host}" is not ${group ? `in group "${group}"` : 'declared'} in ${f.file}` });
  return { found, problems };
}

function setHostVars(f: IniFile, host: string, vars: Assignment[]): Problem[] {
  const { found, problems } = directLines(f, host);
  if (problems.length) return problems;
  for (const a of vars) {
    const word = `${a.key}=${hostLineValue(a)}`;
    const having = found.filter((h) => hostTokens(f.lines[h.index] ?? '').some((t) => keyOf(t.text) === a.key));
    for (const h of having) {
      const line = f.lines[h.index] ?? '';
      const tok = hostTokens(line)
        .slice(1)
        .find((t) => keyOf(t.text) === a.key);
      if (tok) f.lines[h.index] = line.slice(0, tok.start) + word + line.slice(tok.end);
    }
    const first = found[0];
    if (!having.length && first) {
      const line = f.lines[first.index] ?? '';
      const end = hostTokens(line).at(-1)?.end ?? 0;
      f.lines[first.index] = `${line.slice(0, end)} ${word}${line.slice(end)}`;
    }
  }
  return [];
}

/** The lines of `[group:vars]` sections that set `key`. */
function groupVarLines(f: IniFile, group: string, key: string): number[] {
  return iniSections(f.lines)
    .filter((s) => s.name === group && s.kind === 'vars')
    .flatMap((s) => contentLines(f.lines, s).filter((i) => keyOf(plain(f.lines[i] ?? '')) === key));
}

function setGroupVars(f: IniFile, group: string, vars: Assignment[]): Problem[] {
  for (const a of vars) {
    const having = groupVarLines(f, group, a.key);
    for (const i of having) {
      const line = plain(f.lines[i] ?? '');
      const valueAt = /=\s*/.exec(line);
      f.lines[i] = `${line.slice(0, (valueAt?.index ?? line.length) + (valueAt?.[0].length ?? 0))}${a.text}${f.eol}`;
    }
    if (!having.length) insertInSection(f, group, 'vars', `${a.key}=${a.text}`);
  }
  return [];
}

function unsetVars(f: IniFile, target: VarTarget, keys: string[]): Problem[] {
  const problems: Problem[] = [];
  const hostLines = 'host' in target ? directLines(f, target.host) : undefined;
  if (hostLines?.problems.length) return hostLines.problems;
  for (const key of keys) {
    let removed = 0;
    if (hostLines) {
      for (const h of hostLines.found) {
        const line = f.lines[h.index] ?? '';
        const tok = hostTokens(line)
          .slice(1)
          .find((t) => keyOf(t.text) === key);
        if (!tok) continue;
        let start = tok.start;
        while (start > 0 && /[ \t]/.test(line.charAt(start - 1))) start--;
        f.lines[h.index] = line.slice(0, start) + line.slice(tok.end);
        removed++;
      }
    } else if ('group' in target) {
      const lines = groupVarLines(f, target.group, key);
      for (const i of [...lines].reverse()) f.lines.splice(i, 1);
      removed = lines.length;
    }
    if (!removed) problems.push({ message: `variable "${key}" is not set on ${describeTarget(target)} in ${f.file}` });
  }
  return problems;
}

/** A host-line value: shell words first (shlex), then a Python literal, so a quoted literal ('1.10') is quoted again for shlex. */
function hostLineValue(a: Assignment): string {
  return a.given !== undefined && a.text !== a.given ? `"${a.text.replace(/[\\"]/g, (c) => `\\${c}`)}"` : iniHostValue(a.text);
}
