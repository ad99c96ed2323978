// The example inventories in inventory/ (dce.ini, kubeadm.yaml, openshift.yaml): every `tsplay run|validate`
// command in an example's header is run as `tsplay validate` on the example exactly as written, in-process, and
// must pass while no host is contacted: a guard on net.Socket refuses (and records) every connection attempt, the
// object store points at a tripwire, and both must see nothing. Controls prove the guard and the tripwires see the
// connections a real run makes. Each example's hosts and variables are also compared with real ansible-inventory
// (when installed), and the generated inventory/lab.yaml must stay git-ignored while the examples are tracked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT } from '../../../src/engine/run.js';
import { loadInventory } from '../../../src/inventory/index.js';
import { splitWords } from '../../../src/util/split-words.js';
import { tripwire, type Tripwire } from '../../support/bad-cases.js';
import { tsplay } from '../../support/cli.js';
import { guardConnections, type ConnectGuard } from '../../support/connect-guard.js';

const REPO = resolve(import.meta.dirname, '../../..');

/** Each example, the playbooks it must at least be shown with, and what it must describe (from the seeds). */
const EXAMPLES = [
  {
    file: 'inventory/dce.ini',
    playbooks: ['restore.yaml', 'dce-restore.yaml', 'rollback.yaml', 'etcd-backup.yaml', 'replace-member.yaml'],
    hosts: { host01: '10.6.212.10', host02: '10.6.212.11', host03: '10.6.212.12', host04: '10.6.212.13' },
    groups: { masters: ['host01', 'host02', 'host03'], minio: ['host04'] },
    vars: {
      host01: {
        ansible_user: 'root',
        store_container: 'etcd-backup',
        etcd_ca: '/etc/kubernetes/ssl/etcd/ca.crt',
        etcd_cert: '/etc/kubernetes/ssl/apiserver-etcd-client.crt',
        etcd_key: '/etc/kubernetes/ssl/apiserver-etcd-client.key',
        manifests_dir: '/etc/kubernetes/manifests',
      },
    },
  },
  {
    file: 'inventory/kubeadm.yaml',
    playbooks: ['restore.yaml', 'rollback.yaml', 'etcd-backup.yaml', 'replace-member.yaml'],
    hosts: { 'master-1': '192.0.2.11', 'master-2': '192.0.2.12', 'master-3': '192.0.2.13' },
    groups: { masters: ['master-1', 'master-2', 'master-3'] },
    vars: { 'master-1': { ansible_user: 'admin', ansible_become: true, ansible_ssh_common_args: '-o ProxyJump=admin@192.0.2.10' } },
  },
  {
    file: 'inventory/openshift.yaml',
    playbooks: ['openshift-backup.yaml'],
    hosts: { masternode1: '192.168.50.10', masternode2: '192.168.50.11', masternode3: '192.168.50.12' },
    groups: { masters: ['masternode1', 'masternode2', 'masternode3'] },
    vars: { masternode1: { ansible_user: 'core', ansible_become: true, ansible_ssh_private_key_file: '~/.ssh/id_rsa' } },
  },
] as const;

let guard: ConnectGuard;
let ssh: Tripwire;
let s3: Tripwire;
let scratch: string;
const savedEnv = { ...process.env };

before(async () => {
  ssh = await tripwire();
  s3 = await tripwire();
  scratch = mkdtempSync(join(tmpdir(), 'tsplay-examples-'));
  // The files the examples name under ~ exist in a scratch home (validation checks key and known_hosts files).
  mkdirSync(join(scratch, 'home/.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(join(scratch, 'home/.ssh/known_hosts'), '', { mode: 0o600 });
  for (const f of ['id_ed25519', 'id_rsa']) {
    const k = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(scratch, 'home/.ssh', f)], { encoding: 'utf8' });
    assert.equal(k.status, 0, k.stderr);
  }
  for (const k of Object.keys(process.env)) if (/^(ECS|AWS)_|^SSH_AUTH_SOCK$/.test(k)) delete process.env[k];
  Object.assign(process.env, {
    HOME: join(scratch, 'home'),
    ECS_ENDPOINT: `http://127.0.0.1:${s3.port}`,
    ECS_ACCESS_KEY_ID: 'EXAMPLES',
    ECS_SECRET_ACCESS_KEY: 'examples-secret',
    AWS_REGION: 'us-east-1',
  });
  guard = guardConnections();
});

after(async () => {
  guard?.restore();
  process.env = savedEnv;
  await ssh?.close();
  await s3?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The `tsplay run|validate ...` commands shown in a file's leading comment, as argv (paths made absolute). */
function headerCommands(file: string): string[][] {
  const out: string[][] = [];
  for (const line of readFileSync(join(REPO, file), 'utf8').split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^#\s+tsplay\s+(run|validate)\s+(.*?)(\s+#.*)?$/.exec(line);
    if (!m) continue;
    const words = splitWords(m[2] ?? '').map((w) => (/^(playbooks|inventory)\//.test(w) ? join(REPO, w) : w));
    out.push(['validate', ...words]);
  }
  return out;
}

test('the guard refuses a connection outside loopback before it is made, and lets loopback through', async () => {
  const before = guard.attempts.length;
  // 0.0.0.0 never leaves the machine even if the guard failed; the guard must refuse it itself
  const err = await new Promise<Error>((resolve) =>
    net
      .connect(9, '0.0.0.0')
      .on('error', resolve)
      .on('connect', () => resolve(new Error('connected'))),
  );
  assert.match(err.message, /connect guard: refused a connection to 0\.0\.0\.0:9/);
  await new Promise<void>((resolve, reject) =>
    net
      .connect(s3.port, '127.0.0.1')
      .on('connect', function (this: net.Socket) {
        this.destroy();
        resolve();
      })
      .on('error', reject),
  );
  assert.deepEqual(
    guard.attempts.slice(before).map((a) => a.allowed),
    [false, true],
  );
});

for (const ex of EXAMPLES) {
  describe(ex.file, () => {
    const commands = headerCommands(ex.file);

    test('its header shows a validate or run command for every playbook it is meant for', () => {
      const shown = new Set(commands.map((argv) => argv[1]?.split('/').pop()));
      for (const p of ex.playbooks)
        assert.ok(shown.has(p), `${ex.file}: no \`tsplay run|validate playbooks/${p} -i ${ex.file}\` line in its header`);
      for (const argv of commands) assert.ok(argv.includes(join(REPO, ex.file)), `${argv.join(' ')}: not run on ${ex.file}`);
    });

    test("describes the seed's hosts, groups and variables", async () => {
      const { inventory, problems } = await loadInventory([join(REPO, ex.file)]);
      assert.deepEqual(problems, []);
      assert.deepEqual(Object.fromEntries([...inventory.hosts].map(([n, h]) => [n, h.vars['ansible_host']])), ex.hosts);
      for (const [g, members] of Object.entries(ex.groups)) assert.deepEqual(inventory.groups.get(g)?.hosts, members, `group ${g}`);
      for (const [h, vars] of Object.entries(ex.vars)) {
        for (const [k, v] of Object.entries(vars)) assert.deepEqual(inventory.hosts.get(h)?.vars[k], v, `${h}: ${k}`);
      }
    });

    for (const argv of commands) {
      const label = argv.map((w) => w.replace(`${REPO}/`, '')).join(' ');
      test(`tsplay ${label}: valid, nothing contacted`, async () => {
        const seen = { guard: guard.attempts.length, ssh: ssh.count(), s3: s3.count() };
        const run = await tsplay(argv);
        assert.equal(run.code, EXIT.ok, `${label}\n${run.stderr}`);
        assert.match(run.stdout, /: valid \(inventory /);
        assert.deepEqual(guard.attempts.slice(seen.guard), [], 'a connection was attempted');
        assert.deepEqual({ ssh: ssh.count() - seen.ssh, s3: s3.count() - seen.s3 }, { ssh: 0, s3: 0 });
      });
    }

    test('control: a run with the hosts (and any jump host) moved to a tripwire does connect, and the guard sees it', async () => {
      const dir = mkdtempSync(join(scratch, 'control-'));
      const playbook = join(dir, 'ping.yaml');
      writeFileSync(playbook, '- hosts: masters\n  tasks:\n    - ping:\n');
      const { inventory } = await loadInventory([join(REPO, ex.file)]);
      const jump = Object.values(ex.vars).some((v) => 'ansible_ssh_common_args' in v);
      const moved = JSON.stringify({
        ansible_host: '127.0.0.1',
        ansible_port: ssh.port,
        ...(jump ? { ansible_ssh_common_args: `-o ProxyJump=root@127.0.0.1:${ssh.port}` } : {}),
      });
      const seen = { guard: guard.attempts.length, ssh: ssh.count() };
      const run = await tsplay([
        'run',
        playbook,
        '-i',
        join(REPO, ex.file),
        '-e',
        moved,
        '-T',
        '2',
        '--no-lock',
        '--journal',
        join(dir, 'journal.jsonl'),
      ]);
      assert.equal(run.code, EXIT.unreachable, run.stdout + run.stderr);
      const attempts = guard.attempts.slice(seen.guard);
      // one connection per master, or one to the jump host that all of them share
      assert.ok(
        attempts.length >= (jump ? 1 : (inventory.groups.get('masters')?.hosts.length ?? 1)),
        `the guard saw ${attempts.length} attempts`,
      );
      assert.ok(
        attempts.every((a) => a.host === '127.0.0.1' && a.port === ssh.port && a.allowed),
        JSON.stringify(attempts),
      );
      assert.ok(ssh.count() > seen.ssh, 'the tripwire saw no connection');
    });

    test('ansible-inventory reads the same hosts, groups and variables', {
      skip: hasAnsibleInventory() ? false : 'ansible-inventory (Debian ansible-core) is not installed',
    }, async () => {
      const a = spawnSync('ansible-inventory', ['-i', join(REPO, ex.file), '--list'], {
        encoding: 'utf8',
        env: { ...process.env, ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True', ANSIBLE_NOCOLOR: '1' },
      });
      assert.equal(a.status, 0, a.stderr);
      const run = await tsplay(['inventory', 'list', '-i', join(REPO, ex.file), '--json']);
      assert.equal(run.code, 0, run.stderr);
      const ours = JSON.parse(run.stdout) as AnsibleList;
      const theirs = JSON.parse(a.stdout) as AnsibleList;
      assert.deepEqual(Object.keys(ours._meta.hostvars).sort(), Object.keys(theirs._meta.hostvars).sort());
      for (const [host, vars] of Object.entries(theirs._meta.hostvars)) {
        const mine = ours._meta.hostvars[host] ?? {};
        assert.deepEqual(Object.keys(mine).sort(), Object.keys(vars).sort(), `${host}: variable names`);
        for (const [k, v] of Object.entries(vars)) {
          // ansible-core 2.14 reads `[group:vars]` numbers as numbers; tsplay keeps them strings (docs/inventory.md)
          const same = JSON.stringify(mine[k]) === JSON.stringify(v) || (typeof v === 'number' && mine[k] === String(v));
          assert.ok(same, `${host}: ${k} is ${JSON.stringify(mine[k])} in tsplay, ${JSON.stringify(v)} in ansible-inventory`);
        }
      }
      for (const [g, body] of Object.entries(theirs)) {
        if (g === '_meta') continue;
        const mineG = ours[g] as { hosts?: string[]; children?: string[] } | undefined;
        const theirsG = body as { hosts?: string[]; children?: string[] };
        assert.deepEqual([...(mineG?.hosts ?? [])].sort(), [...(theirsG.hosts ?? [])].sort(), `group ${g}: hosts`);
        assert.deepEqual([...(mineG?.children ?? [])].sort(), [...(theirsG.children ?? [])].sort(), `group ${g}: children`);
      }
    });
  });
}

test('inventory/lab.yaml (generated by the lab) stays git-ignored while the examples are tracked', {
  skip: isGitCheckout() ? false : 'not a git checkout',
}, () => {
  const ignored = (p: string): boolean => spawnSync('git', ['-C', REPO, 'check-ignore', '-q', '--no-index', p]).status === 0;
  assert.ok(ignored('inventory/lab.yaml'), 'inventory/lab.yaml is not ignored');
  for (const ex of EXAMPLES) assert.ok(!ignored(ex.file), `${ex.file} is ignored`);
  assert.ok(!ignored('inventory/README.md'), 'inventory/README.md is ignored');
});

type AnsibleList = { _meta: { hostvars: Record<string, Record<string, unknown>> } } & Record<string, unknown>;

function hasAnsibleInventory(): boolean {
  return spawnSync('ansible-inventory', ['--version'], { stdio: 'ignore' }).status === 0;
}

function isGitCheckout(): boolean {
  return spawnSync('git', ['-C', REPO, 'rev-parse', '--is-inside-work-tree'], { stdio: 'ignore' }).status === 0;
}
