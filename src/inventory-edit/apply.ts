import { chmod, chown, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Problem } from '../errors/problem.js';
import { loadInventory } from '../inventory/index.js';
import { LockedError } from '../errors/locked-error.js';
import { checkEdit } from './checks.js';
import { lockForEdit } from './edit-lock.js';
import { editIni } from './ini-edit.js';
import { editTarget } from './target.js';
import type { Edit, EditTarget } from './types.js';
import { unifiedDiff } from './unified.js';
import { precedenceNotes, verifyEffect } from './verify.js';
import { editYaml } from './yaml-edit.js';
import { readInput } from '../util/read-input.js';

/** What an edit did: the diff (printed with --dry-run) and notes, or every reason it was refused (the file is untouched). */
export type EditOutcome = { ok: true; file: string; diff: string; notes: string[] } | { ok: false; problems: Problem[] };

/** How an edit is done. */
export interface EditOptions {
  cwd: string;
  dryRun: boolean;
  /** Edit a read-only file (no write permission bits) anyway; its mode stays as it was. */
  force?: boolean | undefined;
  /** Warnings (a stale lock taken over). */
  onWarning?: ((msg: string) => void) | undefined;
}

/**
 * Checks, applies and validates one edit of the `-i` file under the inventory's lock; writes it atomically with the
 * file's mode, owner and group unless `dryRun`. Every failure (locked, read-only, unwritable) is a located problem.
 */
export async function editInventory(specs: readonly string[], edit: Edit, opts: EditOptions): Promise<EditOutcome> {
  const target = await editTarget(specs, opts.cwd);
  if (!('format' in target)) return { ok: false, problems: [target] };
  let release = () => {};
  if (!opts.dryRun) {
    try {
      release = await lockForEdit(target.path, opts.onWarning ?? (() => undefined));
    } catch (err) {
      if (err instanceof LockedError)
        return {
          ok: false,
          problems: [
            {
              message: `${target.file}: ${err.message}`,
              loc: { file: target.file, line: 1, col: 1 },
              hint: 'edit it when that run has ended',
            },
          ],
        };
      return { ok: false, problems: [ioProblem(target.file, err, 'cannot take the inventory lock')] };
    }
  }
  try {
    return await editLocked(target, edit, opts);
  } catch (err) {
    if (isIoError(err)) return { ok: false, problems: [ioProblem(target.file, err, 'cannot write it')] };
    throw err;
  } finally {
    release();
  }
}

async function editLocked(target: EditTarget, edit: Edit, opts: EditOptions): Promise<EditOutcome> {
  const st = await stat(target.path);
  if ((st.mode & 0o222) === 0 && !opts.force && !opts.dryRun) {
    return {
      ok: false,
      problems: [
        {
          message: `${target.file} is read-only (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}): not changed`,
          loc: { file: target.file, line: 1, col: 1 },
          hint: 'make it writable, or pass --force to edit it anyway (its mode stays as it is)',
        },
      ],
    };
  }
  const read = readInput(target.path, 'inventory file', { file: target.file, line: 1, col: 1 });
  if (read.problem) return { ok: false, problems: [read.problem] };
  const { text } = read;
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

async function writeChecked(target: EditTarget, text: string, edited: string, edit: Edit, opts: EditOptions): Promise<EditOutcome> {
  const real = await realpath(target.path);
  const temp = tempPath(real);
  const { mode, uid, gid } = await stat(real);
  try {
    await writeFile(temp, edited, { mode: mode & 0o7777, flag: 'wx' });
    // the new file keeps the old one's owner and group (root editing someone's inventory leaves it theirs)
    if (uid !== process.getuid?.() || gid !== process.getgid?.())
      await chown(temp, uid, gid).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPERM') throw e;
      });
    await chmod(temp, mode & 0o7777);
    const after = await loadInventory([temp], { cwd: opts.cwd });
    const shown = basename(temp);
    for (const p of after.problems) if (p.loc && basename(p.loc.file) === shown) p.loc = { ...p.loc, file: target.file };
    const problems = [...after.problems, ...verifyEffect(after.inventory, edit)];
    if (problems.length)
      return { ok: false, problems: [...problems, { message: 'the edited inventory would be invalid; nothing was changed' }] };
    const diff = unifiedDiff(text, edited, target.file);
    if (!opts.dryRun) await rename(temp, real);
    return { ok: true, file: target.file, diff, notes: await precedenceNotes(after.inventory, edit, target.format, dirname(real)) };
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

const IO_CODES = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EBUSY', 'ETXTBSY', 'EEXIST', 'ENOENT', 'EISDIR'];

function isIoError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && IO_CODES.includes((err as NodeJS.ErrnoException).code ?? '');
}

/** A file-system failure as a located problem that says what to check. */
function ioProblem(file: string, err: unknown, what: string): Problem {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const why: Record<string, string> = {
    EACCES: 'permission denied (the directory must be writable: the edit writes a new file next to it and renames it)',
    EPERM: 'operation not permitted (an immutable or append-only file, see lsattr)',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
  };
  return {
    message: `${file}: ${what}: ${why[code] ?? (err instanceof Error ? err.message : String(err))}; not changed`,
    loc: { file, line: 1, col: 1 },
  };
}

/** A hidden file next to `path` with the same extension (so format detection and group_vars/ stay the same). */
function tempPath(path: string): string {
  const ext = extname(path);
  const stem = basename(path, ext);
  const tag = `${process.pid}${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(path), ext ? `.${stem}.tsplay-${tag}${ext}` : `.${stem}_tsplay_${tag}`);
}
