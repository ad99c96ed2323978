import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tsplay } from '../../support/cli.js';
import { copyOf, FIXTURES } from './helpers.js';

/** Runs a refused edit: exit 5, the reason on stderr, the file byte-identical, no temp file left. */
async function expectRefusal(fixture: string, args: string[], reason: RegExp) {
  const c = await copyOf(fixture);
  const run = await c.inv(...args);
  assert.equal(run.code, 5, run.stderr);
  assert.match(run.stderr, reason);
  assert.equal(await c.read(), c.original);
  assert.equal((await c.files()).length, 1);
  return run;
}

for (const fixture of ['yaml/cluster.yaml', 'ini/hosts.ini']) {
  test(`${fixture}: a cycle via --parent is refused`, async () => {
    await expectRefusal(
      fixture,
      ['add-group', 'k8s', '--parent', 'masters'],
      /cannot be a child of "masters": that makes a cycle \(masters → k8s → masters\)/,
    );
  });
  test(`${fixture}: removing a host that is not there is refused`, async () => {
    await expectRefusal(fixture, ['remove-host', 'master09'], /host "master09" is not in .* \(did you mean "master01"\?\)/);
    await expectRefusal(
      fixture,
      ['remove-host', 'bastion', '--group', 'masters'],
      /host "bastion" is not a direct member of group "masters"/,
    );
  });
  test(`${fixture}: host/group name clashes are refused`, async () => {
    await expectRefusal(fixture, ['add-host', 'masters', '--group', 'k8s'], /"masters" is already a group name/);
    await expectRefusal(fixture, ['add-group', 'bastion'], /"bastion" is already a host name/);
  });
  test(`${fixture}: unknown group without --create, existing host, bad names`, async () => {
    await expectRefusal(
      fixture,
      ['add-host', 'x1', '--group', 'mastres'],
      /group "mastres" does not exist .*\(did you mean "masters"\? or add --create\)/,
    );
    await expectRefusal(fixture, ['add-host', 'master01', '--group', 'masters'], /already in group "masters"/);
    await expectRefusal(fixture, ['set-var', '--host', 'master01', '1bad=x'], /invalid variable name "1bad"/);
    await expectRefusal(fixture, ['add-host', 'a b', '--group', 'masters'], /invalid host name/);
    await expectRefusal(fixture, ['unset-var', '--group', 'masters', 'nope'], /variable "nope" is not set on group "masters"/);
  });
  test(`${fixture}: a host inside a range is not expanded`, async () => {
    const run = await expectRefusal(
      fixture,
      ['remove-host', 'worker02'],
      /host "worker02" comes from .*range.*tsplay does not expand ranges/,
    );
    assert.match(run.stderr, /:(15|25):\d+: /, 'points at the range line');
    await expectRefusal(fixture, ['set-var', '--host', 'worker02', 'a=1'], /does not expand ranges/);
  });
}

test('a file that already has problems is refused with file:line:col', async () => {
  await expectRefusal(
    'broken/hosts.ini',
    ['add-host', 'master02', '--group', 'masters'],
    /hosts\.ini:5:1: section \[k8s:children\] includes group "mastres", which is not declared[^\n]*\n[^\n]*already has problems/,
  );
});

test('directories and group_vars files are refused with what to edit instead', async () => {
  const dir = await tsplay(['inventory', 'add-group', 'x', '-i', join(FIXTURES, 'vars-dir')]);
  assert.equal(dir.code, 5);
  assert.match(dir.stderr, /is a directory; edits change one inventory file \(use -i with one of: .*vars-dir\/hosts\.yaml\)/);
  const gv = await tsplay(['inventory', 'set-var', '--group', 'masters', 'a=1', '-i', join(FIXTURES, 'vars-dir/group_vars/masters.yml')]);
  assert.equal(gv.code, 5);
  assert.match(gv.stderr, /is a group_vars\/ file, not an inventory \(.*set-var --group masters on the inventory file/);
});

test('usage errors exit 5', async () => {
  const c = await copyOf('ini/hosts.ini');
  assert.equal((await c.inv('add-host', 'x')).code, 5);
  assert.equal((await c.inv('set-var', 'a=1')).code, 5);
  assert.equal((await c.inv('frobnicate')).code, 5);
  assert.equal(await c.read(), c.original);
});
