import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsplay } from '../support/cli.js';

// Issue 14 item 4 / issue 18 item 4: `tsplay inventory list --json` prints what ansible-core 2.14's
// `ansible-inventory --list` prints for the same inventory, byte for byte (so types too: 3.0 vs 3, "0644" vs 420).
// The oracle is Debian's ansible-core (scripts/ensure-system.sh installs it). ~15 s.
const fixtures = join(import.meta.dirname, '../fixtures/ansible/inventory');
const home = mkdtempSync(join(tmpdir(), 'tsplay-ansible-home-'));

function ansibleInventory(source: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('ansible-inventory', ['-i', source, '--list'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      HOME: home,
      ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_INVENTORY_ENABLED: 'host_list,yaml,ini',
    },
  });
  assert.ok(!r.error, `ansible-inventory could not run (${String(r.error)}): scripts/ensure-system.sh installs Debian's ansible-core`);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

for (const name of ['ini-typed/hosts.ini', 'yaml-typed/hosts.yaml', 'mixed']) {
  test(`inventory list --json equals ansible-inventory --list: ${name}`, async () => {
    const source = join(fixtures, name);
    const oracle = ansibleInventory(source);
    assert.equal(oracle.status, 0, oracle.stderr);
    assert.doesNotMatch(oracle.stderr, /Failed to parse|Unable to parse/, `the oracle read the fixture: ${oracle.stderr}`);
    const ours = await tsplay(['inventory', 'list', '--json', '--show-secrets', '-i', source]);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout, oracle.stdout);
  });
}

test('masking hides only string values of secret-named variables: the rest equals ansible-inventory', async () => {
  const source = join(fixtures, 'ini-typed/hosts.ini');
  const oracle = JSON.parse(ansibleInventory(source).stdout) as { _meta: { hostvars: Record<string, Record<string, unknown>> } };
  const ours = await tsplay(['inventory', 'list', '--json', '-i', source]);
  const mine = JSON.parse(ours.stdout) as typeof oracle;
  const m1 = mine._meta.hostvars['master01'] ?? {};
  assert.equal(m1['etcd_password'], '********');
  // in INI, lowercase false is not a Python literal: it stays the string "false", and a secret-named string is masked
  assert.equal(m1['kube_webhook_token_auth'], '********');
  // Python's json writes Infinity and NaN, which JSON.parse does not take
  const yamlText = (await tsplay(['inventory', 'list', '--json', '-i', join(fixtures, 'yaml-typed/hosts.yaml')])).stdout.replace(
    /: (-?Infinity|NaN)\b/g,
    ': null',
  );
  const yaml = JSON.parse(yamlText) as typeof oracle;
  assert.equal(
    yaml._meta.hostvars['master01']?.['kube_webhook_token_auth'],
    false,
    'a boolean named like a secret keeps its value and type',
  );
  assert.equal(yaml._meta.hostvars['master01']?.['api_token'], 1234);
  for (const k of ['etcd_password', 'kube_webhook_token_auth']) {
    for (const vars of [...Object.values(mine._meta.hostvars), ...Object.values(oracle._meta.hostvars)]) delete vars[k];
  }
  assert.deepEqual(mine, oracle);
});

test('an integer YAML host name is refused (ansible-core refuses it too), located', async () => {
  const source = join(fixtures, 'refused/int-host.yaml');
  // ansible wraps its warnings at the terminal width, wherever the checkout's path puts the line breaks
  assert.match(ansibleInventory(source).stderr.replace(/\s+/g, ' '), /Host pattern 123 must be a string/);
  const ours = await tsplay(['inventory', 'list', '--json', '-i', source]);
  assert.equal(ours.code, 5);
  assert.match(ours.stderr, /int-host\.yaml:3:5: host name 123 must be a string/);
});

test('a TOML inventory is named as unsupported', async () => {
  const ours = await tsplay(['inventory', 'list', '-i', join(fixtures, 'refused/hosts.toml')]);
  assert.equal(ours.code, 5);
  assert.match(ours.stderr, /hosts\.toml:1:1: TOML inventories are not supported/);
});
