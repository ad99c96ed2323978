import { copyFile, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsplay, type CliRun } from '../../support/cli.js';

/** The fixture directory of these tests. */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/inventory-edit/', import.meta.url));

/** A fresh copy of a fixture in its own temp directory, with helpers to run `tsplay inventory` on it. */
export interface Copy {
  path: string;
  original: string;
  read(): Promise<string>;
  /** Files in the copy's directory (to prove no temp file is left behind). */
  files(): Promise<string[]>;
  inv(...args: string[]): Promise<CliRun>;
}

/** Copies `fixture` (relative to the fixture directory) to a temp directory. */
export async function copyOf(fixture: string): Promise<Copy> {
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-edit-'));
  const path = join(dir, basename(fixture));
  await copyFile(join(FIXTURES, fixture), path);
  const original = await readFile(path, 'utf8');
  return {
    path,
    original,
    read: () => readFile(path, 'utf8'),
    files: () => readdir(dir),
    inv: (...args) => tsplay(['inventory', ...args, '-i', path]),
  };
}

/** `text` with `from` replaced by `to`; throws when `from` is not there (so an expectation can never be vacuous). */
export function edited(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`expected text not found in fixture: ${JSON.stringify(from)}`);
  return text.replace(from, to);
}
