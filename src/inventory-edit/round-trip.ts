import { parseDocument } from 'yaml';
import { parseIniValue } from '../inventory/ini-value.js';
import { IntegralFloat, pyFloat } from '../inventory/py-float.js';
import { YAML11_OPTIONS } from '../inventory/yaml11.js';

/** How a `k=v` value is written so that reading the file back (as Ansible reads it) gives the value given. */
export interface Written {
  /** The value for the YAML editor: typed (an IntegralFloat for 3.0), or the text itself when it must be a quoted string. */
  yaml: unknown;
  /** The text for an INI line (before host-line shell quoting). */
  ini: string;
  /** Why the text was quoted (the plain reading would have changed it), for a note. */
  quotedBecause?: string | undefined;
}

/**
 * The value as typed stays typed when its plain reading shows the same text again (2379, true, 3.0, a plain word);
 * otherwise (0644 → 420, 1.10 → 1.1, yes → true, ~ → null, a {{ template }} → a mapping) it is written as a quoted
 * string, so it reads back exactly as given. Flow lists and mappings ([a, b], {k: v}) without templates stay typed.
 */
export function writtenValue(text: string): Written {
  const yamlPlain = plainYaml(text);
  const yamlOk =
    !text.includes('{{') &&
    (sameText(yamlPlain, text) || (/^\s*[[{]/.test(text) && yamlPlain !== undefined && typeof yamlPlain === 'object'));
  const iniPlain = parseIniValue(text);
  const iniOk =
    text !== '' &&
    (sameText(iniPlain, text) ||
      (typeof iniPlain === 'string' && iniPlain === text) ||
      (/^\s*[[{]/.test(text) && typeof iniPlain === 'object' && iniPlain !== null && !text.includes('{{')));
  const shown = (v: unknown): string => (v instanceof IntegralFloat ? pyFloat(v.value) : JSON.stringify(v));
  return {
    yaml: yamlOk ? yamlPlain : text,
    ini: iniOk ? text : pyString(text),
    quotedBecause: yamlOk ? undefined : text.includes('{{') ? 'a template stays a string' : `unquoted, YAML 1.1 reads ${shown(yamlPlain)}`,
  };
}

function plainYaml(text: string): unknown {
  if (text.includes('{{')) return undefined;
  const doc = parseDocument(`v: ${text}`, YAML11_OPTIONS);
  if (doc.errors.length) return undefined;
  const data = doc.toJS() as { v?: unknown } | null;
  return data?.v;
}

/** True when a scalar reads back as a value whose canonical text is `text` again. */
function sameText(v: unknown, text: string): boolean {
  if (typeof v === 'string') return v === text;
  if (typeof v === 'boolean') return String(v) === text || (v ? 'True' : 'False') === text;
  if (v instanceof IntegralFloat) return pyFloat(v.value) === text;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) === text : pyFloat(v) === text || String(v) === text;
  return false;
}

/** A Python string literal (what ast.literal_eval reads back as `text`). */
function pyString(text: string): string {
  if (!text.includes("'")) return `'${text.replace(/\\/g, '\\\\')}'`;
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
