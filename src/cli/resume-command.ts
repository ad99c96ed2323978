import { EXIT } from '../engine/run.js';
import { readJournal } from '../journal/reader.js';
import { parseRunArgs } from './args.js';
import { execute } from './execute.js';
import { parseExtraVars } from './extra-vars.js';
import { outputMode, runOptions, type CliEnv } from './run-command.js';
import { UsageError } from '../errors/usage-error.js';

/** `tsplay resume JOURNAL`: continues an interrupted run after its last completed task, with the same inputs. */
export async function resumeCommand(argv: string[], env: CliEnv): Promise<number> {
  const args = parseRunArgs(argv);
  const [journal] = args.positionals;
  if (!journal || args.positionals.length !== 1) throw new UsageError('expected one JOURNAL file (see tsplay --help)');
  const state = readJournal(journal);
  if (state.complete) {
    env.io.err(`tsplay resume: ${journal}: that run completed (every play ran to its end); nothing to resume\n`);
    return EXIT.invalid;
  }
  if (state.finished) {
    env.io.err(
      `tsplay resume: ${journal}: that run ended with exit code ${state.exitCode ?? '?'} before its last play (a host failed): the failed hosts would be skipped; fix the cause and run the playbook again\n`,
    );
    return EXIT.invalid;
  }
  const extra = parseExtraVars(args.values['extra-vars'] ?? []);
  const missing = state.maskedVars.filter((k) => !(k in extra.vars));
  if (extra.problems.length || missing.length) {
    for (const p of extra.problems) env.io.err(`tsplay resume: ${p.message}\n`);
    if (missing.length)
      env.io.err(
        `tsplay resume: secret extra vars are not kept in journals; give them again: ${missing.map((k) => `-e ${k}=...`).join(' ')}\n`,
      );
    return EXIT.invalid;
  }
  const i = state.inputs;
  const opts = runOptions(args, i.playbook, i.inventory, { ...i.extraVars, ...extra.vars }, env);
  Object.assign(opts, { limit: i.limit, tags: i.tags, skipTags: i.skipTags, check: i.check, forks: i.forks, resume: state.resume });
  env.io.err(`tsplay resume: continuing ${i.playbook} in play ${state.resume.play + 1} after ${state.resume.afterTaskId ?? 'its start'}\n`);
  return execute(opts, {
    mode: outputMode(args.values.output, env),
    io: env.io,
    journal,
    lock: !args.values['no-lock'],
    inventoryShown: i.inventory,
  });
}
