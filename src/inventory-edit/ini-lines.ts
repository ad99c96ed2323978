/** A section of an INI inventory: `[name]`, `[name:vars]`, `[name:children]`, or the lines before the first header. */
export interface IniSection {
  name: string;
  kind: 'hosts' | 'vars' | 'children';
  /** Index of the header line; -1 for the lines before the first header (hosts of `ungrouped`). */
  header: number;
  /** Index after the section's last line (the next header, or the line count). */
  end: number;
}

/** A word of a host line with its span in the line (quotes kept). */
export interface Token {
  text: string;
  start: number;
  end: number;
}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;

/** The text of a line without a trailing CR. */
export function plain(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** True for lines that declare something (not blank, not a `#`/`;` comment). */
export function isContent(line: string): boolean {
  const t = plain(line).trim();
  return t !== '' && !t.startsWith('#') && !t.startsWith(';');
}

/** The sections of a file in order, starting with the header-less preamble. */
export function iniSections(lines: readonly string[]): IniSection[] {
  const out: IniSection[] = [{ name: 'ungrouped', kind: 'hosts', header: -1, end: lines.length }];
  lines.forEach((line, i) => {
    const m = SECTION.exec(plain(line).trim());
    if (!m) return;
    const last = out[out.length - 1];
    if (last) last.end = i;
    const kind = m[2] === 'vars' || m[2] === 'children' ? m[2] : 'hosts';
    out.push({ name: m[1] ?? '', kind, header: i, end: lines.length });
  });
  return out;
}

/** Line indexes of a section's content lines (not blank, not comments). */
export function contentLines(lines: readonly string[], s: IniSection): number[] {
  const out: number[] = [];
  for (let i = s.header + 1; i < s.end; i++) if (isContent(lines[i] ?? '')) out.push(i);
  return out;
}

/** Where a new line of the section goes: after its last content line, else right after its header. */
export function appendIndex(lines: readonly string[], s: IniSection): number {
  const content = contentLines(lines, s);
  return (content[content.length - 1] ?? s.header) + 1;
}

/** The words of a host line up to its comment, like shlex with comments (quotes and backslashes respected). */
export function hostTokens(line: string): Token[] {
  const text = plain(line);
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (i >= text.length || text.charAt(i) === '#') break;
    const start = i;
    let quote = '';
    for (; i < text.length; i++) {
      const c = text.charAt(i);
      if (quote) {
        if (c === quote) quote = '';
        else if (c === '\\' && quote === '"') i++;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '\\') i++;
      else if (/\s/.test(c) || c === '#') break;
    }
    out.push({ text: text.slice(start, Math.min(i, text.length)), start, end: Math.min(i, text.length) });
    if (text.charAt(i) === '#') break;
  }
  return out;
}

/** The variable name of a `key=value` word or `[g:vars]` line, or undefined. */
export function keyOf(text: string): string | undefined {
  const eq = text.indexOf('=');
  return eq > 0 ? text.slice(0, eq).trim() : undefined;
}

/** Inserts `block` as new lines at the end of the file, after one blank line (keeps a final newline as it was). */
export function appendBlock(lines: string[], block: string[], eol: string): void {
  let last = lines.length - 1;
  while (last >= 0 && plain(lines[last] ?? '').trim() === '') last--;
  const add = block.map((l) => l + eol);
  lines.splice(last + 1, 0, ...(last >= 0 ? [eol, ...add] : add));
}
