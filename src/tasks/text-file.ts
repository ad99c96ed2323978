// The shared probe and attribute handling of the modules that edit a text file in place (lineinfile, replace,
// blockinfile): one read-only command prints the file's kind, mode and owner, then its content.
import { shellQuote } from '../util/shell-quote.js';
import { octalMode } from './path-probe.js';
import { writeStep, type Diff, type Probe, type Step } from './plan.js';

/** What the probe found at the path. */
export interface TextFile {
  kind: 'absent' | 'dir' | 'file';
  /** 4-digit octal. */
  mode?: string;
  owner?: string;
  group?: string;
  /** `uid:gid`, kept when the file is rewritten. */
  ids?: string;
  content: string;
}

/** The file-attribute arguments every file module takes (Ansible's add_file_common_args). */
export interface FileAttrs {
  mode?: string | number | undefined;
  owner?: string | undefined;
  group?: string | undefined;
}

/** Prints `absent`, `dir`, or `file MODE OWNER GROUP UID:GID` and then the content. */
export function textFileProbe(path: string): string {
  const p = shellQuote(path);
  return `if [ -d ${p} ]; then echo dir; elif [ -e ${p} ]; then stat -L -c 'file %a %U %G %u:%g' -- ${p} && cat -- ${p}; else echo absent; fi`;
}

/** Parses textFileProbe's output (throws with the host's message when the file cannot be read). */
export function parseTextFile(probe: Probe): TextFile {
  if (probe.code !== 0) throw new Error(probe.stderr.trim() || `cannot read the file (exit code ${String(probe.code)})`);
  const nl = probe.stdout.indexOf('\n');
  const head = nl < 0 ? probe.stdout : probe.stdout.slice(0, nl);
  if (head === 'absent') return { kind: 'absent', content: '' };
  if (head === 'dir') return { kind: 'dir', content: '' };
  const [, mode = '644', owner = '', group = '', ids = ''] = head.split(' ');
  return { kind: 'file', mode: mode.padStart(4, '0'), owner, group, ids, content: probe.stdout.slice(nl + 1) };
}

/** Python's readlines(): lines with their `\n`, the last one possibly without. */
export function readLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The `(content)` diff Ansible's file modules report. */
export function contentDiff(path: string, before: string, after: string): Diff {
  return { before, after, before_header: `${path} (content)`, after_header: `${path} (content)` };
}

/** Steps (chmod/chown) and the attribute diff for mode/owner/group that differ from what the file has. */
export function attrSteps(path: string, want: FileAttrs, have: TextFile): { steps: Step[]; diff: Diff } {
  const diff: Diff = { before: {}, after: {}, before_header: `${path} (file attributes)`, after_header: `${path} (file attributes)` };
  const before = diff.before as Record<string, string>;
  const after = diff.after as Record<string, string>;
  const steps: Step[] = [];
  const p = shellQuote(path);
  const mode = octalMode(want.mode);
  if (mode !== undefined && mode !== have.mode) {
    before['mode'] = have.mode ?? '';
    after['mode'] = mode;
    steps.push({ command: `chmod ${mode} -- ${p}` });
  }
  if (want.owner !== undefined && want.owner !== have.owner) {
    before['owner'] = have.owner ?? '';
    after['owner'] = want.owner;
    steps.push({ command: `chown ${shellQuote(want.owner)} -- ${p}` });
  }
  if (want.group !== undefined && want.group !== have.group) {
    before['group'] = have.group ?? '';
    after['group'] = want.group;
    steps.push({ command: `chgrp ${shellQuote(want.group)} -- ${p}` });
  }
  if (Object.keys(before).length === 0)
    return { steps, diff: { before_header: `${path} (file attributes)`, after_header: `${path} (file attributes)` } };
  return { steps, diff };
}

/** The step that writes the new content, keeping the file's mode and owner (0644 for a new file, or `mode`). */
export function rewriteStep(path: string, content: string, have: TextFile, want: FileAttrs): Step {
  return writeStep(path, content, octalMode(want.mode) ?? have.mode ?? '0644', have.ids);
}

/** The file argument of the line-edit modules under any of Ansible's names (canonicalisation normally leaves only `path`). */
export function textFilePath(a: { path?: string; dest?: string; destfile?: string; name?: string }): string {
  return a.path ?? a.dest ?? a.destfile ?? a.name ?? '';
}
