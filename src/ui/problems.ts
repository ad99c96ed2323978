import { formatProblem, type Problem } from '../errors/problem.js';

/** The block shown when input is invalid: every problem on its own line, then a count. */
export function problemLines(problems: Problem[]): string[] {
  const lines = problems.map((p) => `ERROR: ${formatProblem(p)}`);
  lines.push(`${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing was run and no host was contacted.`);
  return lines;
}
