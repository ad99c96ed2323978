import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT } from '../engine/run.js';
import { journalEvents } from '../journal/reader.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { buildRecord } from '../report/record.js';
import type { CliEnv } from './run-command.js';
import { UsageError } from '../errors/usage-error.js';

/** `tsplay report JOURNAL [--html FILE] [--md FILE]`: the run record of a journal as an HTML page and Markdown. */
export async function reportCommand(argv: string[], env: CliEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { html: { type: 'string' }, md: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [journal] = positionals;
  if (!journal || positionals.length !== 1) throw new UsageError('expected one JOURNAL file (see tsplay --help)');
  const record = buildRecord(journal, journalEvents(journal));
  const stem = journal.replace(/\.jsonl$/, '');
  const html = values.html ?? `${stem}.html`;
  const md = values.md ?? `${stem}.md`;
  writeFileSync(html, renderHtml(record), { mode: 0o600 });
  writeFileSync(md, renderMarkdown(record), { mode: 0o600 });
  env.io.out(`${html}\n${md}\n`);
  return EXIT.ok;
}
