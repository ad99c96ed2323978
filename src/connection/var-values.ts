import { homedir } from 'node:os';

/** A string var (numbers are accepted and stringified); undefined when absent or empty. */
export function stringVar(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** Ansible's boolean spellings: true/false, yes/no, on/off, 1/0 (strings from INI included); undefined when unparseable. */
export function boolVar(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v !== 'string') return undefined;
  if (/^(true|yes|on|1|y)$/i.test(v.trim())) return true;
  if (/^(false|no|off|0|n)$/i.test(v.trim())) return false;
  return undefined;
}

/** A whole number var (numeric strings accepted); NaN when present but not an integer. */
export function intVar(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : NaN;
}

/** Expands a leading `~/` to the controller user's home. */
export function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? `${homedir()}${p.slice(1)}` : p;
}

/** The first of several var names that is set, with its name (for messages). */
export function firstVar(vars: Record<string, unknown>, names: string[]): { name: string; value: unknown } | undefined {
  for (const name of names) {
    const value = vars[name];
    if (value !== undefined && value !== null && value !== '') return { name, value };
  }
  return undefined;
}
