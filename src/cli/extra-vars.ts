import { readInput } from '../util/read-input.js';
import { isSecretName, MASK } from '../engine/redact.js';
import type { Problem } from '../errors/problem.js';
import { parseYaml } from '../util/yaml-source.js';
import { splitWords } from '../util/split-words.js';

/** Parses `-e` values in order (later wins): `k=v k2=v2`, a JSON/YAML mapping, or `@file`. */
export function parseExtraVars(values: string[]): { vars: Record<string, unknown>; problems: Problem[] } {
  const vars: Record<string, unknown> = {};
  const problems: Problem[] = [];
  values.forEach((raw, n) => {
    const where = `-e #${n + 1}`;
    const value = raw.trim();
    const r = value.startsWith('@') ? fromFile(value.slice(1), where) : fromText(value, `${where} ("${preview(raw)}")`);
    problems.push(...r.problems);
    if (r.vars) Object.assign(vars, r.vars);
  });
  return { vars, problems };
}

type Parsed = { vars?: Record<string, unknown>; problems: Problem[] };

/** `@file`: a YAML/JSON mapping; problems inside the file carry its file:line:col. */
function fromFile(file: string, where: string): Parsed {
  const read = readInput(file, 'variables file');
  if (read.problem) return { problems: [{ ...read.problem, message: `${where}: ${read.problem.message}` }] };
  const text = read.text;
  const { source, problems } = parseYaml(file, text);
  if (problems.length) return { problems: problems.map((p) => ({ ...p, message: `${where}: ${p.message}` })) };
  const data: unknown = source.doc.toJS();
  if (!isMapping(data))
    return {
      problems: [
        { message: `${where}: variables file ${file} must be a mapping of variable names to values`, loc: { file, line: 1, col: 1 } },
      ],
    };
  return { vars: data, problems: [] };
}

/** `{...}` JSON, or `k=v` words. */
function fromText(raw: string, where: string): Parsed {
  if (raw.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (err) {
      return { problems: [{ message: `${where}: not valid JSON: ${jsonError(err, raw)}` }] };
    }
    if (!isMapping(data)) return { problems: [{ message: `${where}: JSON must be a mapping of variables` }] };
    return { vars: data, problems: [] };
  }
  let words: string[];
  try {
    words = splitWords(raw);
  } catch (err) {
    return { problems: [{ message: `${where}: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  const vars: Record<string, unknown> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    // After `db_password=two words`, "words" is part of the password: not shown when the -e sets a secret.
    const got = namesSecret(raw) ? 'a word without "="' : `"${word}"`;
    if (eq <= 0)
      return {
        problems: [
          { message: `${where}: expected key=value, got ${got}`, hint: 'write -e NAME=VALUE, -e \'{"NAME": VALUE}\' or -e @FILE' },
        ],
      };
    const key = word.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      const fixed = key.replace(/[^A-Za-z0-9_]/g, '_');
      const hint = /^[A-Za-z_]/.test(fixed) ? `did you mean "${fixed}"?` : undefined;
      return {
        problems: [{ message: `${where}: invalid variable name "${key}" (letters, digits and _, not starting with a digit)`, hint }],
      };
    }
    vars[key] = word.slice(eq + 1);
  }
  return { vars, problems: [] };
}

/** V8's JSON.parse message without its wording of the position (which changes between Node versions), plus the column. */
function jsonError(err: unknown, raw: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = /at position (\d+)/.exec(msg)?.[1];
  const what = (msg.split(/ in JSON| at position|,? "/)[0] ?? msg).trim();
  if (pos !== undefined) return `${what} at column ${Number(pos) + 1}`;
  return /end of (JSON|data) input/i.test(msg) ? `unexpected end (at column ${raw.length + 1})` : what;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

/** The -e text as messages show it: values of secret-looking names (`db_password=…`, `"api_token": …`) masked. */
function preview(s: string): string {
  const masked = s
    // an unquoted value runs to the next `name=` (a password with a space must not show its second half)
    .replace(/([A-Za-z_][A-Za-z0-9_]*)=('[^']*'?|"(?:[^"\\]|\\.)*"?|(?:(?!\s+[A-Za-z_][A-Za-z0-9_]*=).)*)/g, (all, k: string) =>
      isSecretName(k) ? `${k}=${MASK}` : all,
    )
    .replace(/"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\s]*)/g, (all, k: string, colon: string) =>
      isSecretName(k) ? `"${k}"${colon}"${MASK}"` : all,
    );
  return masked.length > 40 ? `${masked.slice(0, 37)}...` : masked;
}

/** True when the -e text assigns a secret-looking name. */
function namesSecret(s: string): boolean {
  return [...s.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)].some((m) => isSecretName(m[1] ?? ''));
}
