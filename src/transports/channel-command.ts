import type { ClientChannel } from 'ssh2';
import { signalName, type ExitStatus, type RunningCommand } from './running-command.js';

/** Sees an ssh2 exec channel as a RunningCommand: done on channel close, abandon = signal KILL + close. */
export function channelCommand(ch: ClientChannel): RunningCommand {
  const status: ExitStatus = { code: null, signal: null };
  ch.on('exit', (code: number | null, sig?: string) => {
    if (typeof code === 'number') status.code = code;
    else status.signal = signalName(sig);
  });
  const done = new Promise<ExitStatus>((resolve) => ch.once('close', () => resolve(status)));
  return {
    stdout: ch,
    stderr: ch.stderr,
    stdin: ch,
    done,
    abandon() {
      try {
        ch.signal('KILL');
        ch.close();
      } catch {
        // the channel or the connection is already gone
      }
    },
  };
}
