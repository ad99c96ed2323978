import type { Problem } from '../errors/problem.js';
import { shlexSplit } from '../inventory/ini-value.js';
import { writtenValue } from './round-trip.js';
import type { Assignment } from './types.js';

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GROUP_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Characters that would end or split a host definition in either format. */
const BAD_HOST = /[\s#=,'"{}]|^\[|^-|:$/;

/** Parses `k=v` arguments; every bad one is a problem. */
export function parseAssignments(args: readonly string[]): { vars: Assignment[]; problems: Problem[] } {
  const vars: Assignment[] = [];
  const problems: Problem[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq === -1 ? arg : arg.slice(0, eq);
    if (eq === -1) problems.push({ message: `expected k=v, got "${arg}"` });
    else if (!VAR_NAME.test(key)) problems.push(badVarName(key));
    else if (/[\r\n]/.test(arg))
      problems.push({
        message: `the value of "${key}" contains a line break`,
        hint: 'inventory values are single-line here; edit the file for multi-line values',
      });
    else {
      const text = arg.slice(eq + 1);
      const w = writtenValue(text);
      vars.push({ key, text: w.ini, value: w.yaml, given: text, ...(w.quotedBecause ? { quotedBecause: w.quotedBecause } : {}) });
    }
  }
  return { vars, problems };
}

/** Checks variable names given to unset-var. */
export function checkVarNames(keys: readonly string[]): Problem[] {
  return keys.filter((k) => !VAR_NAME.test(k)).map(badVarName);
}

function badVarName(key: string): Problem {
  return { message: `invalid variable name "${key}"`, hint: 'letters, digits and _, not starting with a digit' };
}

/** Why a host name cannot be used, or undefined when it is fine. */
export function hostNameProblem(name: string): Problem | undefined {
  if (name && !BAD_HOST.test(name)) return undefined;
  return { message: `invalid host name "${name}"`, hint: 'no spaces, quotes, # = , { }; not starting with [ or -' };
}

/** Why a group name cannot be used, or undefined when it is fine. */
export function groupNameProblem(name: string): Problem | undefined {
  if (GROUP_NAME.test(name)) return undefined;
  return { message: `invalid group name "${name}"`, hint: 'letters, digits, _ . and -' };
}

/** A value for an INI host line: as given when it stays one shell-like word, else quoted the way Ansible's shlex reads it. */
export function iniHostValue(text: string): string {
  const split = shlexSplit(`k=${text}`);
  if (text !== '' && 'tokens' in split && split.tokens.length === 1 && !/#/.test(text)) return text;
  if (!text.includes("'")) return `'${text}'`;
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
