import type { CommandArgs } from '../generated/playbook.js';
import { shellJoin } from '../util/shell-quote.js';
import { splitWords } from '../util/split-words.js';
import type { ModuleDef } from './module.js';
import { runCommand } from './run-command.js';
import { fail } from './result.js';

/** `command`: runs a program with its arguments, no shell: every word is quoted, so `;`, `$()`, `|` stay literal. */
export const commandModule: ModuleDef<CommandArgs> = {
  name: 'command',
  remote: true,
  readOnly: false,
  async run(args, ctx) {
    const a = typeof args === 'string' ? { cmd: args } : args;
    const argv = a.argv ? a.argv.map(String) : splitWords(a.cmd ?? '');
    if (argv.length === 0) return fail('command: nothing to run (give a command line or argv)');
    return runCommand(
      { commandLine: shellJoin(argv), display: argv, chdir: a.chdir, creates: a.creates, removes: a.removes, stdin: a.stdin },
      ctx,
    );
  },
};
