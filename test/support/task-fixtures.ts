// Data fixtures of the planned modules (test/fixtures/tasks/<module>/<case>.json): arguments, the files a case
// starts with, and what the module must report and leave behind. Run over the fake transport by
// test/unit/tasks/fixtures.test.ts and against ansible-playbook by test/integration/modules-oracle.test.ts.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tasks');

/** One case: `@` at the start of a string argument (or file name) stands for the case's scratch directory. */
export interface TaskFixture {
  module: string;
  name: string;
  args: Record<string, unknown>;
  /** Files the case starts with (relative to the scratch directory); a trailing `/` makes a directory. */
  files?: Record<string, string>;
  /** A shell command run in the scratch directory after the files are written (e.g. to build an archive). */
  prepare?: string;
  /** Variables the task sees besides `inventory_hostname` (e.g. `groups` and `hostvars` for the controller's etcd modules). */
  vars?: Record<string, unknown>;
  /** Run in check mode. */
  check?: boolean;
  /** Not compared with ansible-playbook (the oracle cannot run it here, e.g. it needs root services). */
  no_oracle?: string;
  /** A second run changes nothing (default true unless the case fails or is in check mode). */
  idempotent?: boolean;
  /**
   * Scripted answers of the host (etcdctl's recorded output): the first whose `match` (a regular expression) finds
   * the command answers it, at most `times` times (counted across the case's first and second run: the same host);
   * other commands run under sh. Cases with answers are not compared with ansible-playbook.
   */
  answers?: FixtureAnswer[];
  /**
   * The object store the case starts with (s3 modules), by bucket then key: `{}` is an empty bucket, an absent bucket
   * does not exist. With it the module opens an in-memory store (test/support/fake-store.ts) instead of the environment's.
   */
  store?: Record<string, Record<string, FixtureObject>>;
  /** Earlier planned steps of a check-mode run: etcd members they remove (by ID) and add (by name). */
  planned?: { removed_members?: string[]; added_members?: string[] };
  expect: {
    changed: boolean;
    failed?: boolean;
    /** Fields of the result that must be equal (a string starting with `~` is a regular expression; `a.b` is field b of a). */
    result?: Record<string, unknown>;
    /** Files after the run (null: must not exist); unlisted files are not checked. */
    files?: Record<string, string | null>;
    /** The first `diff` entry's before/after under --diff. */
    diff?: { before?: string; after?: string };
    /** Objects after the run, by bucket then key (null: must not exist); unlisted objects are not checked. */
    store?: Record<string, Record<string, FixtureObject | null>>;
    /** Regular expressions the commands run must match, one command each, in this order (other commands may come between). */
    ran?: string[];
    /** Regular expressions no command run may match. */
    not_ran?: string[];
  };
}

/** One scripted answer of a fixture's host. */
export interface FixtureAnswer {
  match: string;
  stdout?: string;
  stderr?: string;
  code?: number;
  times?: number;
}

/** A fixture's object: its content (utf8, or base64) and user metadata; in `expect.store` a field left out is not checked. */
export interface FixtureObject {
  body?: string;
  /** The content as base64, for bytes that are not text (a gzip-compressed object). */
  body_base64?: string;
  metadata?: Record<string, string>;
}

/** What a store holds, as fixtures compare it: bucket → key → body and metadata. */
export type StoreContents = ReadonlyMap<string, ReadonlyMap<string, { body: Buffer; metadata: Record<string, string> }>>;

/** Differences between the objects a case expects and what the store holds. */
export function storeProblems(f: TaskFixture, have: StoreContents): string[] {
  const problems: string[] = [];
  for (const [bucket, objects] of Object.entries(f.expect.store ?? {})) {
    for (const [key, want] of Object.entries(objects)) {
      const o = have.get(bucket)?.get(key);
      const where = `s3://${bucket}/${key}`;
      if (want === null) {
        if (o) problems.push(`${where}: expected no object, found ${JSON.stringify(o.body.toString('utf8'))}`);
        continue;
      }
      if (!o) {
        problems.push(`${where}: expected an object, found none`);
        continue;
      }
      if (want.body !== undefined && o.body.toString('utf8') !== want.body)
        problems.push(`${where}: expected body ${JSON.stringify(want.body)}, found ${JSON.stringify(o.body.toString('utf8'))}`);
      if (want.body_base64 !== undefined && o.body.toString('base64') !== want.body_base64)
        problems.push(`${where}: expected body (base64) ${want.body_base64}, found ${o.body.toString('base64')}`);
      if (want.metadata !== undefined && JSON.stringify(o.metadata) !== JSON.stringify(want.metadata))
        problems.push(`${where}: expected metadata ${JSON.stringify(want.metadata)}, found ${JSON.stringify(o.metadata)}`);
    }
  }
  return problems;
}

/** Differences between the commands a case expects to have run (and not run) and those the host saw. */
export function commandProblems(f: TaskFixture, commands: readonly string[], dir: string): string[] {
  const problems: string[] = [];
  let at = 0;
  for (const want of f.expect.ran ?? []) {
    const re = new RegExp(withDir(want, dir));
    const found = commands.findIndex((c, i) => i >= at && re.test(c));
    if (found < 0) problems.push(`no command matching ${want} (after the ${at} before it): ${JSON.stringify(commands)}`);
    else at = found + 1;
  }
  for (const never of f.expect.not_ran ?? []) {
    const re = new RegExp(withDir(never, dir));
    for (const c of commands) if (re.test(c)) problems.push(`ran ${c} (matches ${never})`);
  }
  return problems;
}

/** Every fixture, in module then case order. */
export function loadFixtures(): TaskFixture[] {
  const out: TaskFixture[] = [];
  for (const module of readdirSync(ROOT).sort()) {
    for (const file of readdirSync(join(ROOT, module)).sort()) {
      if (!file.endsWith('.json')) continue;
      const data = JSON.parse(readFileSync(join(ROOT, module, file), 'utf8')) as Omit<TaskFixture, 'module' | 'name'>;
      out.push({ module, name: file.replace(/\.json$/, ''), ...data });
    }
  }
  return out;
}

let serverUrl = 'http://127.0.0.1:9';

/** Sets the base URL `$SERVER` stands for (test/support/http-fixture-server.ts). */
export function setFixtureServer(url: string): void {
  serverUrl = url;
}

/** Replaces a leading `@` in every string of a value with the scratch directory, and `$SERVER` with the HTTP server's URL. */
export function withDir<T>(value: T, dir: string): T {
  if (typeof value === 'string') return (value.startsWith('@') ? dir + value.slice(1) : value).split('$SERVER').join(serverUrl) as T;
  if (Array.isArray(value)) return value.map((v) => withDir(v, dir)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDir(v, dir)])) as T;
  return value;
}

/** Creates the case's scratch directory with its starting files. */
export function materialize(f: TaskFixture, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(f.files ?? {})) {
    const p = join(dir, name);
    if (name.endsWith('/')) mkdirSync(p, { recursive: true });
    else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
  if (f.prepare) execFileSync('sh', ['-c', f.prepare], { cwd: dir, stdio: 'pipe' });
}

/** Differences between the files a case expects and what is in its directory. */
export function fileProblems(f: TaskFixture, dir: string): string[] {
  const problems: string[] = [];
  for (const [name, want] of Object.entries(f.expect.files ?? {})) {
    const p = join(dir, name);
    const have = existsSync(p) ? (statSync(p).isDirectory() ? '<dir>' : readFileSync(p, 'utf8')) : null;
    if (have !== want) problems.push(`${name}: expected ${JSON.stringify(want)}, found ${JSON.stringify(have)}`);
  }
  return problems;
}

/** Differences between the expected fields and a result. */
export function resultProblems(f: TaskFixture, result: Record<string, unknown>, dir: string): string[] {
  const problems: string[] = [];
  const e = f.expect;
  if (Boolean(result['changed']) !== e.changed) problems.push(`changed: expected ${String(e.changed)}, got ${String(result['changed'])}`);
  if (Boolean(result['failed']) !== Boolean(e.failed))
    problems.push(`failed: expected ${String(Boolean(e.failed))}, got ${String(result['failed'])} (${JSON.stringify(result['msg'])})`);
  // the scratch directory reads as `@` in the result, wherever it appears
  const seen = JSON.parse(JSON.stringify(result).split(dir).join('@').split(serverUrl).join('$SERVER')) as Record<string, unknown>;
  for (const [k, want] of Object.entries(e.result ?? {})) {
    const have =
      k in seen
        ? seen[k]
        : k.split('.').reduce<unknown>((v, part) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined), seen);
    const ok =
      typeof want === 'string' && want.startsWith('~')
        ? typeof have === 'string' && new RegExp(want.slice(1)).test(have)
        : JSON.stringify(have) === JSON.stringify(want);
    if (!ok) problems.push(`${k}: expected ${JSON.stringify(want)}, got ${JSON.stringify(have)}`);
  }
  if (e.diff) {
    const d = result['diff'];
    const first = (Array.isArray(d) ? d[0] : d) as Record<string, unknown> | undefined;
    for (const [k, want] of Object.entries(e.diff))
      if (first?.[k] !== want) problems.push(`diff.${k}: expected ${JSON.stringify(want)}, got ${JSON.stringify(first?.[k])}`);
  }
  return problems;
}
