/** Where in an input file something is (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** One user-facing problem with the input: what is wrong, where, and how to fix it. */
export interface Problem {
  message: string;
  loc?: SourceLocation | undefined;
  host?: string | undefined;
  task?: string | undefined;
  hint?: string | undefined;
}

/** Renders `file:line:col` for a location. */
export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** Renders one problem as a single line: `file:line:col: [host] [task] message (hint)`. */
export function formatProblem(p: Problem): string {
  const parts: string[] = [];
  if (p.loc) parts.push(`${formatLocation(p.loc)}:`);
  if (p.host) parts.push(`host ${p.host}:`);
  if (p.task) parts.push(`task "${p.task}":`);
  parts.push(p.message);
  if (p.hint) parts.push(`(${p.hint})`);
  return parts.join(' ');
}
