import type { ShellArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import type { ModuleDef } from './module.js';
import { runCommand } from './run-command.js';
import { fail } from './result.js';

/** `shell`: runs a command line with /bin/sh (or `executable`): pipes, redirections and variables work. */
export const shellModule: ModuleDef<ShellArgs> = {
  name: 'shell',
  remote: true,
  readOnly: false,
  async run(args, ctx) {
    const a = typeof args === 'string' ? { cmd: args } : args;
    const cmd = a.cmd ?? '';
    if (cmd.trim() === '') return fail('shell: empty command');
    const commandLine = a.executable ? `${shellQuote(a.executable)} -c ${shellQuote(cmd)}` : cmd;
    return runCommand({ commandLine, display: cmd, chdir: a.chdir, creates: a.creates, removes: a.removes, stdin: a.stdin }, ctx);
  },
};
