import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import type { Problem, SourceLocation } from '../errors/problem.js';
import { unreadableReason } from './file-check.js';

/** The largest input file (playbook, inventory, variables, journal) read: 64 MiB. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** An input file's text, or the one problem that says why it could not be read (`code` is the errno code, if any). */
export type InputText = { text: string; problem?: undefined } | { text?: undefined; problem: Problem; code?: string | undefined };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads an input file as UTF-8 text: the one reader of playbooks, inventories, variables files, `-e @file`, role
 * files and journals. A file that is missing, a dangling symlink, a directory, unreadable, too large or not UTF-8
 * becomes one problem worded `WHAT FILE REASON` (e.g. `variables file vars.yaml does not exist`), located at `at`.
 */
export function readInput(file: string, what: string, at?: SourceLocation, maxBytes = MAX_INPUT_BYTES): InputText {
  const fail = (reason: string, code?: string, hint?: string): InputText => ({
    problem: { message: `${what} ${file} ${reason}`, loc: at, hint },
    code,
  });
  let bytes: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) return fail('is a directory', 'EISDIR');
      if (st.size > maxBytes) return fail(`is too large (${st.size} bytes; at most ${maxBytes})`, 'EFBIG');
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(unreadableReason(file, e), code);
  }
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return fail('is not UTF-8 text', undefined, 'save it as UTF-8');
  }
}
