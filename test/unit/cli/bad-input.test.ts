// The bad-input corpus (test/fixtures/bad/, described in docs/safety.md): every case is run with `tsplay run`
// in-process and must exit 5 with exactly its expected.txt on stderr, print no play, and contact no host: every
// inventory host is 127.0.0.1 at the port of a tripwire server that counts connections (and S3 endpoints point
// at a second one), and both counts must stay 0. UPDATE_SNAPSHOTS=1 rewrites expected.txt (review the diff!).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT } from '../../../src/engine/run.js';
import { loadInventory } from '../../../src/inventory/index.js';
import { tsplay } from '../../support/cli.js';
import { badCases, BAD_DIR, caseArgv, normalize, stageCase, tripwire, type Tripwire } from '../../support/bad-cases.js';

const REPO = resolve(import.meta.dirname, '../../..');
const update = process.env['UPDATE_SNAPSHOTS'] === '1';
let ssh: Tripwire;
let s3: Tripwire;
const savedEnv = { ...process.env };

before(async () => {
  ssh = await tripwire();
  s3 = await tripwire();
  // Any object-store access would go to the S3 tripwire (credentials are dummies).
  for (const k of Object.keys(process.env)) if (/^(ECS|AWS)_/.test(k)) delete process.env[k];
  Object.assign(process.env, {
    ECS_ENDPOINT: `http://127.0.0.1:${s3.port}`,
    ECS_ACCESS_KEY_ID: 'BADINPUT',
    ECS_SECRET_ACCESS_KEY: 'bad-input-secret',
    AWS_REGION: 'us-east-1',
  });
});

after(async () => {
  process.env = savedEnv;
  await ssh?.close();
  await s3?.close();
});

const cases = badCases();

test('the corpus has at least 45 cases, each with a README and an expected.txt', () => {
  assert.ok(cases.length >= 45, `only ${cases.length} cases`);
  for (const c of cases) {
    assert.ok(existsSync(join(BAD_DIR, c, 'README')), `${c}: README missing`);
    if (!update)
      assert.ok(existsSync(join(BAD_DIR, c, 'expected.txt')), `${c}: expected.txt missing (run with UPDATE_SNAPSHOTS=1, then review it)`);
  }
});

for (const name of cases) {
  test(`bad input ${name}`, async () => {
    const staged = stageCase(name, { ssh: ssh.port, s3: s3.port });
    try {
      await assertOnlyTripwireHosts(staged.dir);
      const before = { ssh: ssh.count(), s3: s3.count() };
      const run = await tsplay(caseArgv(staged.dir, ['--journal', join(staged.dir, '..', 'journal.jsonl')]));
      const stderr = normalize(run.stderr, staged.dir, REPO);
      const expectedFile = join(BAD_DIR, name, 'expected.txt');
      if (update) writeFileSync(expectedFile, stderr);
      assert.equal(stderr, readFileSync(expectedFile, 'utf8'), `${name}: stderr differs from expected.txt`);
      assert.equal(run.code, EXIT.invalid, `${name}: exit code`);
      assert.match(run.stdout, /^(\nfinished in \S+ \(exit code 5\)\n)?$/, `${name}: nothing but the summary on stdout`);
      assert.deepEqual(
        { ssh: ssh.count() - before.ssh, s3: s3.count() - before.s3 },
        { ssh: 0, s3: 0 },
        `${name}: a host or the store was contacted`,
      );
    } finally {
      staged.cleanup();
    }
  });
}

/** The proof only holds if every host a case could reach is the tripwire: check what the inventory resolves to. */
async function assertOnlyTripwireHosts(dir: string): Promise<void> {
  const argv = caseArgv(dir);
  const sources = argv.flatMap((a, i) => (a === '-i' && argv[i + 1] !== undefined ? [argv[i + 1] as string] : []));
  const { inventory } = await loadInventory(sources);
  for (const h of inventory.hosts.values()) {
    const where = `${h.name} in ${sources.join(', ')}`;
    assert.equal(h.vars['ansible_host'], '127.0.0.1', `${where}: ansible_host must be 127.0.0.1`);
    assert.equal(String(h.vars['ansible_port']), String(ssh.port), `${where}: ansible_port must be __PORT__`);
    assert.ok(h.vars['ansible_connection'] === undefined || h.vars['ansible_connection'] === 'ssh', `${where}: must connect with ssh`);
  }
}

test('control: a valid playbook on the same kind of inventory does reach the tripwire (so a count of 0 means something)', async () => {
  const staged = stageCase('001-yaml-tab-indent', { ssh: ssh.port, s3: s3.port });
  try {
    writeFileSync(join(staged.dir, 'playbook.yaml'), '- hosts: all\n  tasks:\n    - ping:\n');
    const before = ssh.count();
    const run = await tsplay([
      'run',
      join(staged.dir, 'playbook.yaml'),
      '-i',
      join(staged.dir, 'inventory.ini'),
      '-T',
      '2',
      '--journal',
      join(staged.dir, '..', 'journal.jsonl'),
    ]);
    assert.equal(run.code, EXIT.unreachable, run.stdout + run.stderr);
    assert.ok(ssh.count() > before, 'the tripwire saw no connection');
  } finally {
    staged.cleanup();
  }
});

test('control: the store lookup of 075 does reach the S3 tripwire once the other problem is gone (so its count of 0 means something)', async () => {
  const staged = stageCase('075-store-not-asked-when-invalid', { ssh: ssh.port, s3: s3.port });
  try {
    const file = join(staged.dir, 'playbook.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('delegate_to: controller', 'delegate_to: localhost'));
    const before = s3.count();
    const run = await tsplay(caseArgv(staged.dir, ['-T', '2', '--journal', join(staged.dir, '..', 'journal.jsonl')]));
    assert.notEqual(run.code, EXIT.invalid, run.stderr);
    assert.ok(s3.count() > before, 'the S3 tripwire saw no connection');
  } finally {
    staged.cleanup();
  }
});
