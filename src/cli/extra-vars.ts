import { readFileSync } from 'node:fs';
import { parse as parseYamlText } from 'yaml';
import type { Problem } from '../errors/problem.js';
import { splitWords } from '../util/split-words.js';

/** Parses `-e` values in order (later wins): `k=v k2=v2`, a JSON/YAML mapping, or `@file`. */
export function parseExtraVars(values: string[]): { vars: Record<string, unknown>; problems: Problem[] } {
  const vars: Record<string, unknown> = {};
  const problems: Problem[] = [];
  values.forEach((raw, n) => {
    const where = `-e #${n + 1}`;
    try {
      Object.assign(vars, parseOne(raw.trim()));
    } catch (err) {
      problems.push({ message: `${where} ("${preview(raw)}"): ${err instanceof Error ? err.message : String(err)}` });
    }
  });
  return { vars, problems };
}

function parseOne(raw: string): Record<string, unknown> {
  if (raw.startsWith('@')) {
    const file = raw.slice(1);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    return mapping(parseYamlText(text), file);
  }
  if (raw.startsWith('{')) return mapping(JSON.parse(raw), 'JSON');
  const out: Record<string, unknown> = {};
  for (const word of splitWords(raw)) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`expected key=value, got "${word}"`);
    const key = word.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`invalid variable name "${key}"`);
    out[key] = word.slice(eq + 1);
  }
  return out;
}

function mapping(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what} must be a mapping of variables`);
  return v as Record<string, unknown>;
}

function preview(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
