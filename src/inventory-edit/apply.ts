import { chmod, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Problem } from '../errors/problem.js';
import { loadInventory } from '../inventory/index.js';
import { checkEdit } from './checks.js';
import { editIni } from './ini-edit.js';
import { editTarget } from './target.js';
import type { Edit, EditTarget } from './types.js';
import { unifiedDiff } from './unified.js';
import { precedenceNotes, verifyEffect } from './verify.js';
import { editYaml } from './yaml-edit.js';

/** What an edit did: the diff (printed with --dry-run) and notes, or every reason it was refused (the file is untouched). */
export type EditOutcome = { ok: true; file: string; diff: string; notes: string[] } | { ok: false; problems: Problem[] };

/** Checks, applies and validates one edit of the `-i` file; writes it atomically (same mode) unless `dryRun`. */
export async function editInventory(specs: readonly string[], edit: Edit, opts: { cwd: string; dryRun: boolean }): Promise<EditOutcome> {
  const target = await editTarget(specs, (p) => readFile(p, 'utf8'), opts.cwd);
  if (!('format' in target)) return { ok: false, problems: [target] };
  const text = await readFile(target.path, 'utf8');
  const before = await loadInventory([target.path], { cwd: opts.cwd });
  if (before.problems.length) {
    return { ok: false, problems: [...before.problems, { message: `${target.file} already has problems; fix them before editing it` }] };
  }
  const problems = checkEdit(before.inventory, edit, target.file);
  if (problems.length) return { ok: false, problems };
  const result = target.format === 'yaml' ? editYaml(target.file, text, edit) : editIni(target.file, text, edit);
  if (result.problems) return { ok: false, problems: result.problems };
  return writeChecked(target, text, result.text, edit, opts);
}

async function writeChecked(target: EditTarget, text: string, edited: string, edit: Edit, opts: { cwd: string; dryRun: boolean }): Promise<EditOutcome> {
  const real = await realpath(target.path);
  const temp = tempPath(real);
  const { mode } = await stat(real);
  try {
    await writeFile(temp, edited, { mode: mode & 0o7777, flag: 'wx' });
    await chmod(temp, mode & 0o7777);
    const after = await loadInventory([temp], { cwd: opts.cwd });
    const shown = basename(temp);
    for (const p of after.problems) if (p.loc && basename(p.loc.file) === shown) p.loc = { ...p.loc, file: target.file };
    const problems = [...after.problems, ...verifyEffect(after.inventory, edit)];
    if (problems.length) return { ok: false, problems: [...problems, { message: 'the edited inventory would be invalid; nothing was changed' }] };
    const diff = unifiedDiff(text, edited, target.file);
    if (!opts.dryRun) await rename(temp, real);
    return { ok: true, file: target.file, diff, notes: precedenceNotes(after.inventory, edit) };
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** A hidden file next to `path` with the same extension (so format detection and group_vars/ stay the same). */
function tempPath(path: string): string {
  const ext = extname(path);
  const stem = basename(path, ext);
  const tag = `${process.pid}${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(path), ext ? `.${stem}.tsplay-${tag}${ext}` : `.${stem}_tsplay_${tag}`);
}
