// Every data fixture of test/fixtures/tasks, run over the fake transport: its commands go to `sh` in a scratch
// directory and its puts to files there (the fake records each call), so the plan, the executor, check mode and idempotence are all exercised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTransport } from '../../../src/transports/fake.js';
import type { GetRequest, PutRequest, PutResult } from '../../../src/transports/transport.js';
import { MODULE_REGISTRY } from '../../../src/tasks/registry.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../../../src/tasks/module.js';
import type { ModuleName } from '../../../src/playbook/model.js';
import { DryRunState } from '../../../src/tasks/dry-run-state.js';
import { evaluate } from '../../../src/expr/index.js';
import { compiled } from '../../../src/engine/conditions.js';
import {
  commandProblems,
  fileProblems,
  loadFixtures,
  materialize,
  resultProblems,
  setFixtureServer,
  storeProblems,
  withDir,
  type TaskFixture,
} from '../../support/task-fixtures.js';
import { startHttpFixtureServer } from '../../support/http-fixture-server.js';
import { FakeStore } from '../../support/fake-store.js';

/** Runs a command with sh, asynchronously (the fixtures' HTTP server lives in this process). */
function sh(command: string, stdin: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const p = spawn('sh', ['-c', command]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    p.on('close', (code) => resolve({ stdout, stderr, code }));
    p.stdin.on('error', () => undefined); // a command that does not read its stdin may exit first
    p.stdin.end(stdin);
  });
}

/** The fake transport whose puts and gets use this machine's disk, like its commands (copy and template write through put, fetch reads through get). */
class DiskFake extends FakeTransport {
  override async put(req: PutRequest): Promise<PutResult> {
    // like the real transports: the caller's digest (s3_download's streamed SHA-256) is awaited and must match what was written
    const expected = req.sha256?.catch((err: unknown) => err);
    const r = await super.put(req);
    const want = await expected;
    if (want instanceof Error) throw want;
    if (want !== undefined && want !== r.sha256)
      throw new Error(`SHA-256 mismatch for ${req.path}: expected ${String(want)}, wrote ${r.sha256}`);
    writeFileSync(req.path, this.files.get(req.path) ?? '', { mode: req.mode });
    if (req.mode !== undefined) chmodSync(req.path, req.mode);
    return r;
  }

  override async get(req: GetRequest): Promise<Readable> {
    if (existsSync(req.path)) this.files.set(req.path, readFileSync(req.path));
    return super.get(req);
  }
}

/**
 * The case's host: its scripted answers first (etcdctl's recorded output), then sh in the scratch directory.
 * `left` counts each answer's remaining uses (`times`) across the case's runs: the second run asks the same host,
 * so an answer the first run used up stays used up (a unit the first run started is running when it asks again).
 */
function shellFake(f: TaskFixture, dir: string, left: Array<number | undefined>): FakeTransport {
  const t = new DiskFake('h1');
  (f.answers ?? []).forEach((a, i) => {
    const re = new RegExp(withDir(a.match, dir));
    t.on(
      (req) => re.test(req.command) && (left[i] ?? 1) > 0,
      () => {
        const n = left[i];
        if (n !== undefined) left[i] = n - 1;
        return { stdout: withDir(a.stdout ?? '', dir), stderr: withDir(a.stderr ?? '', dir), code: a.code ?? 0 };
      },
    );
  });
  return t.on(
    () => true,
    (req) => sh(req.command, req.stdin === undefined ? '' : String(req.stdin)),
  );
}

/** What the earlier planned steps of a check-mode case would have done. */
function dryRun(f: TaskFixture, check: boolean): DryRunState | undefined {
  if (!check) return undefined;
  const s = new DryRunState();
  for (const id of f.planned?.removed_members ?? []) s.removeMember(id);
  for (const name of f.planned?.added_members ?? []) s.addMember(name);
  return s;
}

/** The case's object store in memory, with its starting objects (undefined: the case has no store). */
function fakeStore(f: TaskFixture): FakeStore | undefined {
  if (!f.store) return undefined;
  const store = new FakeStore();
  for (const [bucket, objects] of Object.entries(f.store)) {
    const b = store.bucket(bucket);
    for (const [key, o] of Object.entries(objects))
      b.set(key, {
        body: o.body_base64 !== undefined ? Buffer.from(o.body_base64, 'base64') : Buffer.from(o.body ?? ''),
        metadata: { ...(o.metadata ?? {}) },
        lastModified: new Date(0),
      });
  }
  return store;
}

/** Everything the store holds, to see that check mode changed nothing. */
function storeSnapshot(store: FakeStore | undefined): string {
  if (!store) return '';
  return JSON.stringify(
    [...store.buckets].map(([b, objects]) => [b, [...objects].map(([k, o]) => [k, o.body.toString('base64'), o.metadata])]),
  );
}

function context(f: TaskFixture, t: FakeTransport, check: boolean, dry?: DryRunState, store?: FakeStore): ModuleContext {
  const vars = { ...f.vars, inventory_hostname: 'h1' };
  return {
    openStore: store ? () => store : undefined,
    host: 'h1',
    transport: t,
    check,
    dryRun: dry,
    diff: true,
    signal: new AbortController().signal,
    become: undefined,
    timeoutMs: undefined,
    env: undefined,
    dir: '/',
    vars,
    verbosity: 0,
    render: (s) => s,
    evaluate: (src) => evaluate(compiled(src), vars), // assert's `that`, debug's `var`: over the case's vars, as the engine does
    onOutput: () => undefined,
    confirm: async () => true,
  };
}

async function runCase(
  f: TaskFixture,
  dir: string,
  check: boolean,
  left: Array<number | undefined>,
  store?: FakeStore,
): Promise<{ result: ModuleResult; t: FakeTransport }> {
  const t = shellFake(f, dir, left);
  const mod = MODULE_REGISTRY[f.module as ModuleName] as ModuleDef<unknown> | undefined;
  assert.ok(mod, `no module ${f.module}`);
  const result = await mod.run(withDir(f.args, dir), context(f, t, check, dryRun(f, check), store));
  return { result, t };
}

const root = mkdtempSync(join(tmpdir(), 'tsplay-fixtures-'));
const server = await startHttpFixtureServer();
setFixtureServer(server.url);
test.after(async () => {
  rmSync(root, { recursive: true, force: true });
  await server.close();
});

for (const f of loadFixtures()) {
  test(`${f.module}/${f.name}`, async () => {
    const dir = join(root, f.module, f.name);
    materialize(f, dir);
    const store = fakeStore(f);
    const before = storeSnapshot(store);
    const left = (f.answers ?? []).map((a) => a.times);
    const { result, t } = await runCase(f, dir, Boolean(f.check), left, store);
    assert.deepEqual(
      [
        ...resultProblems(f, result, dir),
        ...fileProblems(f, dir),
        ...commandProblems(f, t.commands, dir),
        ...(store ? storeProblems(f, store.buckets) : []),
      ],
      [],
      JSON.stringify(result),
    );
    if (f.check) {
      // check mode: only the probes ran (one, or the queries a case's answers script), nothing was written
      const probes = f.answers ? (f.expect.ran?.length ?? 0) : 1;
      assert.ok(t.commands.length <= probes, `check mode ran ${t.commands.join('\n')}`);
      assert.equal(storeSnapshot(store), before, 'check mode changed the object store');
      return;
    }
    if (f.idempotent ?? !f.expect.failed) {
      const again = await runCase(f, dir, false, left, store);
      assert.equal(again.result.changed, false, `second run changed: ${JSON.stringify(again.result)}`);
    }
  });
}
