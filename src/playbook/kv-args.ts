// Ansible's k=v free-form arguments (`debug: var=x`, `file: path=/x state=directory`), split the way
// ansible-core's parsing/splitter.py does: on whitespace outside quotes and outside {{ }}, {% %} and {# #}.

/** Options a free-form command/shell line may carry as k=v (everything else is part of the command). */
export const COMMAND_OPTIONS: readonly string[] = [
  'creates',
  'removes',
  'chdir',
  'executable',
  'warn',
  'stdin',
  'stdin_add_newline',
  'strip_empty_ends',
];

/** Splits a k=v argument string into words, keeping quotes and Jinja blocks inside their word (as split_args). */
export function splitArgs(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const two = s.slice(i, i + 2);
    if (quote === undefined && (two === '{{' || two === '{%' || two === '{#')) {
      depth++;
      cur += two;
      i++;
      continue;
    }
    if (depth > 0 && (two === '}}' || two === '%}' || two === '#}')) {
      depth--;
      cur += two;
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < s.length && quote !== undefined) {
      cur += c + (s[i + 1] as string);
      i++;
      continue;
    }
    if (depth === 0 && (c === '"' || c === "'")) {
      if (quote === undefined && (cur === '' || cur.endsWith('='))) quote = c;
      else if (quote === c) quote = undefined;
      cur += c;
      continue;
    }
    if (quote === undefined && depth === 0 && /\s/.test(c)) {
      if (cur !== '') words.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (quote !== undefined) throw new Error(`unbalanced quote (${quote}) in "${s}"`);
  if (depth > 0) throw new Error(`unbalanced jinja2 block in "${s}"`);
  if (cur !== '') words.push(cur);
  return words;
}

/** Removes one pair of matching outer quotes, as Ansible's unquote. */
export function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) return s.slice(1, -1);
  return s;
}

/** A parsed k=v string: the options, and the words that are not k=v (the free-form part). */
export interface KvArgs {
  options: Record<string, string>;
  raw: string[];
}

/**
 * Parses k=v arguments as ansible-core's parse_kv: `k=v` becomes an option (value unquoted); a word without `=`
 * (or, with `freeForm`, any k=v whose key is not one of COMMAND_OPTIONS) stays in `raw`, as written.
 */
export function parseKv(s: string, freeForm = false): KvArgs {
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const word of splitArgs(s)) {
    const pos = equalsAt(word);
    if (pos < 0) {
      raw.push(word.replace(/\\=/g, '='));
      continue;
    }
    const key = word.slice(0, pos).trim();
    if ((freeForm && !COMMAND_OPTIONS.includes(key)) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      raw.push(word);
      continue;
    }
    options[key] = unquote(word.slice(pos + 1).trim());
  }
  return { options, raw };
}

/** Index of the first `=` not escaped by a backslash and not inside quotes or {{ }}, or -1. */
function equalsAt(word: string): number {
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c === '"' || c === "'" || word.startsWith('{{', i)) return -1;
    if (c === '=' && word[i - 1] !== '\\') return i;
  }
  return -1;
}
