import type { Problem } from '../errors/problem.js';

/** A host or a group whose variables an edit changes. */
export type VarTarget = { host: string } | { group: string };

/** One variable assignment from the command line: the name, its text for INI and its value for YAML (both read back as given). */
export interface Assignment {
  key: string;
  /** What an INI file gets (a Python string literal when the plain text would read back differently). */
  text: string;
  /** What a YAML file gets: typed, or the given text as a string. */
  value: unknown;
  /** The text after `=` as given on the command line. */
  given?: string | undefined;
  /** Set when the value is written quoted so it reads back as given: why. */
  quotedBecause?: string | undefined;
}

/** One inventory edit, as asked for on the command line. */
export type Edit =
  | { kind: 'add-host'; host: string; group: string; vars: Assignment[]; create: boolean }
  | { kind: 'remove-host'; host: string; group?: string | undefined }
  | { kind: 'add-group'; group: string; parent?: string | undefined; create: boolean }
  | { kind: 'set-var'; target: VarTarget; vars: Assignment[] }
  | { kind: 'unset-var'; target: VarTarget; keys: string[] };

/** What an editor produced: the new file text, or why the edit is refused. */
export type EditResult = { text: string; problems?: undefined } | { text?: undefined; problems: Problem[] };

/** The file an edit applies to and its format. */
export interface EditTarget {
  /** As given with -i (used in messages). */
  file: string;
  /** Absolute path. */
  path: string;
  format: 'yaml' | 'ini';
}

/** How a target is named in messages: `host "x"` / `group "y"`. */
export function describeTarget(t: VarTarget): string {
  return 'host' in t ? `host "${t.host}"` : `group "${t.group}"`;
}
