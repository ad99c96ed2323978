import type { CommandArgs } from '../generated/playbook.js';
import { shellJoin } from '../util/shell-quote.js';
import { splitWords } from '../util/split-words.js';
import { commandLineModule, type CommandSpec } from './run-command.js';

/** The command line of `command`'s arguments: every word quoted; an error when there is nothing to run. */
function spec(args: CommandArgs): CommandSpec | { error: string } {
  const a = typeof args === 'string' ? { cmd: args } : args;
  const argv = a.argv ? a.argv.map(String) : splitWords(a.cmd ?? '');
  if (argv.length === 0) return { error: 'command: nothing to run (give a command line or argv)' };
  return { commandLine: shellJoin(argv), display: argv, chdir: a.chdir, creates: a.creates, removes: a.removes, stdin: a.stdin };
}

/** `command`: runs a program with its arguments, no shell: every word is quoted, so `;`, `$()`, `|` stay literal. */
export const commandModule = commandLineModule<CommandArgs>('command', spec);
