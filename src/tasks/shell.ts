import type { ShellArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { commandLineModule, type CommandSpec } from './run-command.js';

/** The command line of `shell`'s arguments (through `executable -c` when given); an error when it is empty. */
function spec(args: ShellArgs): CommandSpec | { error: string } {
  const a = typeof args === 'string' ? { cmd: args } : args;
  const cmd = a.cmd ?? '';
  if (cmd.trim() === '') return { error: 'shell: empty command' };
  const commandLine = a.executable ? `${shellQuote(a.executable)} -c ${shellQuote(cmd)}` : cmd;
  return { commandLine, display: cmd, chdir: a.chdir, creates: a.creates, removes: a.removes, stdin: a.stdin };
}

/** `shell`: runs a command line with /bin/sh (or `executable`): pipes, redirections and variables work. */
export const shellModule = commandLineModule<ShellArgs>('shell', spec);
