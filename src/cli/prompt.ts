import { createInterface } from 'node:readline/promises';

/** Asks a yes/no question on the terminal; only "y"/"yes" confirms. */
export async function askOnTerminal(message: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${message} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
