import { readFileSync } from 'node:fs';
import { EXIT } from '../engine/run.js';
import { USAGE } from './help.js';
import { runCommand, type CliEnv } from './run-command.js';

/** The process-facing environment: real stdout/stderr, TTY detection, SIGINT/SIGTERM abort the run cleanly. */
function processEnv(): CliEnv & { dispose(): void } {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    process.stderr.write(`\ntsplay: ${sig} received: stopping at the next task boundary (again to force)\n`);
    controller.abort(new Error(`interrupted by ${sig}`));
    if (signals > 1) process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed pipe (`tsplay ... | head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  return {
    io: { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
    isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** CLI entry: returns the exit code (bin/tsplay.js sets process.exitCode). */
export async function main(argv: string[], env?: CliEnv): Promise<number> {
  const [sub, ...rest] = argv;
  const own = env ? undefined : processEnv();
  const e = env ?? (own as CliEnv);
  try {
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      e.io.out(USAGE);
      return sub === undefined ? EXIT.invalid : EXIT.ok;
    }
    if (sub === '--version' || sub === 'version') {
      e.io.out(`tsplay ${version()}\n`);
      return EXIT.ok;
    }
    if (sub === 'run' || sub === 'validate') return await runCommand(sub, rest, e);
    e.io.err(`tsplay: unknown command "${sub}" (expected run or validate; see tsplay --help)\n`);
    return EXIT.invalid;
  } catch (err) {
    if (err instanceof TypeError && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      e.io.err(`tsplay: ${err.message} (see tsplay --help)\n`);
      return EXIT.invalid;
    }
    e.io.err(`tsplay: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.internal;
  } finally {
    own?.dispose();
  }
}
