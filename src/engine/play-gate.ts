import type { Play } from '../playbook/model.js';
import type { RunContext } from './context.js';

/** Asks before a play marked destructive (yes under --yes; validation already refused non-interactive runs without it). */
export async function play(rc: RunContext, p: Play, confirm: (rc: RunContext, message: string) => Promise<boolean>): Promise<boolean> {
  if (!p.keywords.destructive || rc.opts.check) return true;
  const ok = await confirm(rc, `Play "${p.name}" is destructive. Continue?`);
  if (!ok) rc.emit({ type: 'warning', message: `play "${p.name}" was not confirmed: stopping before it` });
  return ok;
}
