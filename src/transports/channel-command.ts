import type { ClientChannel } from 'ssh2';
import { signalName, type ExitStatus, type RunningCommand } from './running-command.js';

/** Sees an ssh2 exec channel as a RunningCommand: done on channel close, abandon = signal KILL + close. */
export function channelCommand(ch: ClientChannel): RunningCommand {
  const status: ExitStatus = { code: null, signal: null };
  ch.on('exit', (code: number | null, sig?: string) => {
    if (typeof code === 'number') status.code = code;
    else status.signal = signalName(sig);
  });
  const done = new Promise<ExitStatus>((resolve) =>
    ch.once('close', () => {
      // ssh2 calls the exec callback synchronously, but we attach 'exit' a microtask later: when the exit status
      // arrives in the same read as the exec reply (a fast command on a loaded host), the event is gone. ssh2
      // also keeps it on the channel, so read it from there.
      const seen = (ch as unknown as { _exit?: { code?: number | null; signal?: string } })._exit;
      if (status.code === null && status.signal === null && seen) {
        if (typeof seen.code === 'number') status.code = seen.code;
        else if (seen.signal) status.signal = signalName(seen.signal.replace(/^SIG/, ''));
      }
      resolve(status);
    }),
  );
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
