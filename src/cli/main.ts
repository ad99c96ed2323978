import { readFileSync } from 'node:fs';
import { EXIT } from '../engine/run.js';
import { quietSdkWarning } from '../util/quiet-warnings.js';
import { backupsCommand } from './backups.js';
import { USAGE } from './help.js';
import { inventoryCommand } from './inventory.js';
import { reportCommand } from './report-command.js';
import { resumeCommand } from './resume-command.js';
import { runCommand, type CliEnv } from './run-command.js';
import { errorExit } from './error-exit.js';

/** The process-facing environment: real stdout/stderr, TTY detection, SIGINT/SIGTERM abort the run cleanly. */
function processEnv(): CliEnv & { dispose(): void } {
  quietSdkWarning();
  const stop = new AbortController();
  const abort = new AbortController();
  const kill = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      process.stderr.write(
        `\ntsplay: ${sig}: no new task will start; running tasks finish, and a critical section runs to its end (again to stop running commands)\n`,
      );
      stop.abort(new Error(`interrupted by ${sig}`));
    } else if (signals === 2) {
      process.stderr.write(
        `\ntsplay: ${sig}: stopping running commands; inside a critical section: rolling back where it has a rescue, else it runs on (again to kill everything)\n`,
      );
      abort.abort(new Error(`aborted by ${sig}`));
    } else if (signals === 3) {
      process.stderr.write(`\ntsplay: ${sig}: killing every running command, inside critical sections too (again to exit at once)\n`);
      kill.abort(new Error(`killed by ${sig}`));
    } else process.exit(130);
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
    signal: stop.signal,
    abort: abort.signal,
    kill: kill.signal,
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
    if (sub === 'resume') return await resumeCommand(rest, e);
    if (sub === 'inventory') return await inventoryCommand(rest, e);
    if (sub === 'backups') return await backupsCommand(rest, e);
    if (sub === 'report') return await reportCommand(rest, e);
    e.io.err(`tsplay: unknown command "${sub}" (expected run, validate, resume, report, inventory or backups; see tsplay --help)\n`);
    return EXIT.invalid;
  } catch (err) {
    const x = errorExit(err, sub);
    e.io.err(x.message);
    return x.code;
  } finally {
    own?.dispose();
  }
}
