import { parseArgs } from 'node:util';

/** Options shared by `run` and `validate`. */
export const RUN_OPTIONS = {
  inventory: { type: 'string', short: 'i', multiple: true },
  limit: { type: 'string', short: 'l' },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  check: { type: 'boolean', short: 'C' },
  diff: { type: 'boolean', short: 'D' },
  forks: { type: 'string', short: 'f' },
  tags: { type: 'string', short: 't', multiple: true },
  'skip-tags': { type: 'string', multiple: true },
  'start-at-task': { type: 'string' },
  'list-hosts': { type: 'boolean' },
  'list-tasks': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  output: { type: 'string', short: 'o' },
  user: { type: 'string', short: 'u' },
  'private-key': { type: 'string' },
  'key-file': { type: 'string' },
  'known-hosts': { type: 'string', multiple: true },
  'accept-new-host-keys': { type: 'boolean' },
  timeout: { type: 'string', short: 'T' },
  'task-timeout': { type: 'string' },
  verbose: { type: 'boolean', short: 'v', multiple: true },
  journal: { type: 'string' },
  'no-lock': { type: 'boolean' },
  deadline: { type: 'string' },
  'max-duration': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parsed command line of `run` / `validate`. */
export type RunArgs = ReturnType<typeof parseRunArgs>;

/** Parses argv after the sub-command; `-vvv` counts as three -v. Throws a usage error (TypeError) on unknown options. */
export function parseRunArgs(argv: string[]) {
  const expanded = argv.flatMap((a) => (/^-v{2,}$/.test(a) ? Array.from({ length: a.length - 1 }, () => '-v') : [a]));
  const { values, positionals } = parseArgs({ args: expanded, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  return { values, positionals, verbosity: values.verbose?.length ?? 0 };
}

/** Splits comma-separated tag options: `-t a,b -t c` → [a, b, c]. */
export function tagList(v: string[] | undefined): string[] {
  return (v ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}
