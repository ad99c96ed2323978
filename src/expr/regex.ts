// Python regular expressions (what Ansible content is written for) run on JavaScript's engine: the syntax that
// differs is translated ((?P<name>...), (?P=name), \A, \Z, leading (?i)/(?m)/(?s)), and re.sub's replacement
// text (\1, \g<name>, \n) is interpreted as Python does.
import { isMapping, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

/** Flags a caller asks for (the ignorecase / multiline parameters of the regex filters and tests). */
export interface RegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
}

function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let src = pattern;
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(src); m; m = /^\(\?([aiLmsux]+)\)/.exec(src)) {
    for (const f of m[1] ?? '') {
      if (f === 'x') throw new ValueProblem('verbose regular expressions ((?x)) are not supported');
      if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    }
    src = src.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src.charAt(i);
    if (c === '\\') {
      const n = src.charAt(i + 1);
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else out += c + n;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (src.charAt(i + 1) === '^') out += src.charAt(++i);
      if (src.charAt(i + 1) === ']') out += `\\${src.charAt(++i)}`;
    } else if (src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end;
    } else {
      out += c;
    }
  }
  return { source: out, flags };
}

/** Compiles a Python regular expression; `extra` adds JavaScript flags (g, y). Errors name the caller. */
export function pyRegex(pattern: unknown, who: string, f: RegexFlags = {}, extra = ''): RegExp {
  if (typeof pattern !== 'string') throw new ValueProblem(`${who}: the pattern must be a string, got ${typeName(pattern)}`);
  const { source, flags } = translate(pattern);
  let all = flags + extra;
  if (f.ignorecase && !all.includes('i')) all += 'i';
  if (f.multiline && !all.includes('m')) all += 'm';
  try {
    return new RegExp(source, all);
  } catch (e) {
    throw new ValueProblem(
      `${who}: invalid regular expression ${JSON.stringify(pattern)} (${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')})`,
    );
  }
}

const REPL_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Python re.sub: every match replaced; `\1`, `\g<1>`, `\g<name>` insert groups (unmatched ones as ''). */
export function pySub(re: RegExp, value: string, replacement: string, count = 0): string {
  let done = 0;
  return value.replace(re, (...m: unknown[]) => {
    if (count > 0 && done >= count) return String(m[0]);
    done++;
    const groups = m.at(-1);
    const group = (ref: string): string => {
      const g = /^\d+$/.test(ref) ? m[Number(ref)] : isMapping(groups) ? groups[ref] : undefined;
      if (/^\d+$/.test(ref) && Number(ref) > countGroups(m, groups))
        throw new ValueProblem(`regex_replace: invalid group reference ${ref}`);
      return typeof g === 'string' ? g : '';
    };
    return replacement.replace(/\\g<(\w+)>|\\(\d{1,2})|\\(.)/gs, (all, name?: string, num?: string, esc?: string) => {
      if (name !== undefined) return group(name);
      if (num !== undefined) return group(num);
      const e = esc ?? '';
      if (REPL_ESCAPES[e] !== undefined) return REPL_ESCAPES[e];
      if (/[A-Za-z]/.test(e)) throw new ValueProblem(`regex_replace: bad escape \\${e} in the replacement`);
      return all;
    });
  });
}

/** Number of capture groups in a replace callback's arguments (match, groups..., offset, string[, named]). */
function countGroups(m: unknown[], groups: unknown): number {
  return m.length - (isMapping(groups) ? 4 : 3);
}

/** Python's re.escape: every character that has a meaning in a pattern gets a backslash. */
export function pyEscape(s: string): string {
  return s.replace(
    /[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g,
    (c) => ({ '\t': '\\t', '\n': '\\n', '\r': '\\r', '\v': '\\v', '\f': '\\f' })[c] ?? `\\${c}`,
  );
}
