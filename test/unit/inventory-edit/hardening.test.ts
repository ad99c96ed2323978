import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../src/inventory/index.js';
import { lockPathFor, ownerNow } from '../../../src/lock/controller-lock.js';
import { tsplay } from '../../support/cli.js';

// Issue 18 items 4-7: edits round-trip, take the inventory lock, keep mode/owner/group, refuse read-only files, and
// turn every file-system failure into a located message with exit 5. ~5 s.
const root = mkdtempSync(join(tmpdir(), 'tsplay-edit-hard-'));
process.env['TSPLAY_LOCK_DIR'] = join(root, 'locks');
let n = 0;

function inventory(format: 'yaml' | 'ini'): string {
  const dir = join(root, `inv-${++n}`);
  mkdirSync(dir);
  const file = join(dir, format === 'yaml' ? 'hosts.yaml' : 'hosts.ini');
  writeFileSync(
    file,
    format === 'yaml' ? 'all:\n  children:\n    masters:\n      hosts:\n        m1:\n        m2:\n' : '[masters]\nm1\nm2\n',
  );
  return file;
}

// value given → what it must read back as (the given text as a string unless its plain reading shows it again)
const CASES: Array<[string, unknown]> = [
  ['0644', '0644'],
  ['1.10', '1.10'],
  ['{{ ansible_host }}', '{{ ansible_host }}'],
  ['2500', 2500],
  ['3.0', 3],
  ['true', 'format'],
  ['yes', 'yes'],
  ['~', '~'],
  ["it's 1.10", "it's 1.10"],
  ['a b', 'a b'],
];

for (const format of ['yaml', 'ini'] as const) {
  test(`set-var round-trips in ${format}: what it writes reads back as the value given (group and host)`, async () => {
    const file = inventory(format);
    for (const [i, [text]] of CASES.entries()) {
      const g = await tsplay(['inventory', 'set-var', '--group', 'masters', `v${i}=${text}`, '-i', file]);
      assert.equal(g.code, 0, g.stderr);
      assert.doesNotMatch(g.stderr, /Warning/, 'no library warning');
      const h = await tsplay(['inventory', 'set-var', '--host', 'm1', `h${i}=${text}`, '-i', file]);
      assert.equal(h.code, 0, h.stderr);
    }
    const { inventory: inv, problems } = await loadInventory([file]);
    assert.deepEqual(problems, []);
    for (const [i, [text, given]] of CASES.entries()) {
      // lowercase true is a boolean in YAML and the string "true" in INI (not a Python literal): either way its text again
      const want = given === 'format' ? (format === 'yaml' ? true : 'true') : given;
      assert.deepEqual(
        inv.groups.get('masters')?.vars[`v${i}`],
        want,
        `group var from ${JSON.stringify(text)}\n${readFileSync(file, 'utf8')}`,
      );
      assert.deepEqual(inv.hosts.get('m1')?.vars[`h${i}`], want, `host var from ${JSON.stringify(text)}\n${readFileSync(file, 'utf8')}`);
    }
  });
}

test('parallel edits all land (they take the inventory lock one after the other)', async () => {
  const file = inventory('yaml');
  const runs = await Promise.all(
    Array.from({ length: 6 }, (_, i) => tsplay(['inventory', 'set-var', '--group', 'masters', `v${i}=${i}`, '-i', file])),
  );
  assert.deepEqual(
    runs.map((r) => r.code),
    [0, 0, 0, 0, 0, 0],
    runs.map((r) => r.stderr).join(''),
  );
  const { inventory: inv } = await loadInventory([file]);
  assert.deepEqual(Object.keys(inv.groups.get('masters')?.vars ?? {}).sort(), ['v0', 'v1', 'v2', 'v3', 'v4', 'v5']);
});

test('an edit is refused while a run holds the inventory lock', async () => {
  const file = inventory('ini');
  writeFileSync(lockPathFor([file]), JSON.stringify(ownerNow('playbooks/restore.yaml', 'run-1')));
  const r = await tsplay(['inventory', 'set-var', '--group', 'masters', 'x=1', '-i', file]);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /hosts\.ini:1:1: .*locked by another run: pid \d+ .* running playbooks\/restore\.yaml/);
  assert.equal(readFileSync(file, 'utf8'), '[masters]\nm1\nm2\n');
});

test('an edit keeps the file mode, owner and group', async () => {
  const file = inventory('yaml');
  chmodSync(file, 0o640);
  chownSync(file, 4321, 4322);
  const r = await tsplay(['inventory', 'set-var', '--group', 'masters', 'x=1', '-i', file]);
  assert.equal(r.code, 0, r.stderr);
  const st = statSync(file);
  assert.deepEqual([st.mode & 0o7777, st.uid, st.gid], [0o640, 4321, 4322]);
});

test('a read-only inventory is refused unless --force, which keeps it read-only', async () => {
  const file = inventory('ini');
  chmodSync(file, 0o444);
  const r = await tsplay(['inventory', 'set-var', '--group', 'masters', 'x=1', '-i', file]);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /hosts\.ini:1:1: .*hosts\.ini is read-only \(mode 0444\): not changed .*--force/);
  const forced = await tsplay(['inventory', 'set-var', '--group', 'masters', 'x=1', '-i', file, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(file, 'utf8'), /x=1/);
  assert.equal(statSync(file).mode & 0o7777, 0o444);
});

test('an immutable file and an unwritable directory give a located message and exit 5, not an internal error', async (t) => {
  const file = inventory('yaml');
  assert.equal(spawnSync('chattr', ['+i', file]).status, 0, 'chattr +i (the test needs a file system with attributes)');
  try {
    const r = await tsplay(['inventory', 'set-var', '--group', 'masters', 'x=1', '-i', file]);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /hosts\.yaml:1:1: .*cannot write it: operation not permitted \(an immutable or append-only file/);
    assert.doesNotMatch(r.stderr, /internal error|at .*\.ts:\d+/);
  } finally {
    spawnSync('chattr', ['-i', file]);
  }
  // a non-root user whose inventory is writable but whose directory is not
  const other = inventory('ini');
  chmodSync(other, 0o666);
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'locks'), { recursive: true });
  chmodSync(join(root, 'locks'), 0o777);
  const bin = join(import.meta.dirname, '../../../bin/tsplay.js');
  const nobody = ['--reuid', '65534', '--regid', '65534', '--clear-groups'];
  // the user runs tsplay from this checkout: a checkout under a 0700 directory (mktemp -d) is out of its reach
  if (spawnSync('setpriv', [...nobody, 'test', '-r', bin]).status !== 0)
    return t.skip(`uid 65534 cannot read ${bin} (a parent directory is closed to other users)`);
  const r = spawnSync('setpriv', [...nobody, process.execPath, bin, 'inventory', 'set-var', '--group', 'masters', 'x=1', '-i', other], {
    encoding: 'utf8',
    env: { ...process.env, TSPLAY_LOCK_DIR: join(root, 'locks') },
  });
  assert.equal(r.status, 5, r.stderr);
  assert.match(r.stderr, /hosts\.ini:1:1: .*cannot write it: permission denied \(the directory must be writable/);
});
