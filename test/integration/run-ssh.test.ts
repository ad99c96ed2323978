import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, type HostsLab } from '../lab/hosts.js';
import { statuses, tsplay, type CliRun } from '../support/cli.js';

// Real sshd hosts (own mount/UTS namespaces) on 127.0.1.21-23; a fourth inventory host has nothing listening.
let lab: HostsLab;
let dir: string;
let inventory: string;

function playbook(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** Connections the lab's sshd processes have logged so far. */
function connections(): number {
  return lab.hosts.map((h) => (readFileSync(h.sshdLog, 'utf8').match(/Connection from/g) ?? []).length).reduce((a, b) => a + b, 0);
}

function results(run: CliRun, task: string) {
  return run.events.filter((e): e is Extract<typeof e, { type: 'host-result' }> => e.type === 'host-result' && e.task === task);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-run-'));
  lab = await startHosts({ count: 3, baseDir: join(dir, 'lab'), firstAddress: '127.0.1.21' });
  inventory = join(dir, 'hosts.yaml');
  const hosts = lab.hosts.map((h) => `        ${h.name}: { ansible_host: ${h.address} }`).join('\n');
  writeFileSync(
    inventory,
    `all:
  vars:
    ansible_user: root
    ansible_ssh_private_key_file: ${lab.clientKeyFile}
  children:
    masters:
      hosts:
${hosts}
    ghosts:
      hosts:
        ghost01: { ansible_host: 127.0.1.24, ansible_port: 22 }
`,
  );
});

after(async () => {
  await lab?.stop();
});

const base = () => ['-i', inventory, '--known-hosts', lab.knownHostsFile, '--output', 'json', '-T', '3'];

describe('tsplay run against real sshd hosts', () => {
  test('runs tasks on every host in parallel over one connection each, registers results', async () => {
    // /tmp is private to each host; /var/tmp is shared by all of them.
    const barrier = mkdtempSync('/var/tmp/tsplay-barrier-');
    const pb = playbook(
      'parallel.yaml',
      `- name: parallel
  hosts: masters
  tasks:
    - name: who
      command: hostname
      register: who
    - name: barrier
      # every host waits until all three reached this point: only possible when they run at the same time
      shell: mkdir -p {{q barrier}} && touch {{q barrier}}/{{inventory_hostname}} && for i in $(seq 200); do [ $(ls {{q barrier}} | wc -l) -ge 3 ] && exit 0; sleep 0.1; done; exit 1
    - name: echo
      debug:
        msg: "{{inventory_hostname}} is {{who.stdout}}"
`,
    );
    const run = await tsplay(['run', pb, ...base(), '-e', `barrier=${barrier}`]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const msgs = results(run, 'echo')
      .map((e) => e.msg)
      .sort();
    assert.deepEqual(msgs, ['host01 is host01', 'host02 is host02', 'host03 is host03']);
    assert.deepEqual(
      results(run, 'barrier').map((e) => e.status),
      ['changed', 'changed', 'changed'],
    );
    rmSync(barrier, { recursive: true, force: true });
  });

  test('serial batches run one host at a time, in order', async () => {
    const pb = playbook('serial.yaml', `- hosts: masters\n  serial: 1\n  tasks:\n    - name: step\n      command: "true"\n`);
    const run = await tsplay(['run', pb, ...base()]);
    assert.equal(run.code, 0, run.stderr);
    const batches = run.events.filter((e) => e.type === 'batch-start').map((e) => (e.type === 'batch-start' ? e.hosts : []));
    assert.deepEqual(batches, [['host01'], ['host02'], ['host03']]);
    assert.deepEqual(
      results(run, 'step').map((e) => e.host),
      ['host01', 'host02', 'host03'],
    );
  });

  test('a failing host stops there, the others go on, exit code 2', async () => {
    const pb = playbook(
      'fail.yaml',
      `- hosts: masters
  tasks:
    - name: check
      command: test {{inventory_hostname}} != host02
    - name: after
      command: "true"
`,
    );
    const run = await tsplay(['run', pb, ...base()]);
    assert.equal(run.code, 2);
    const s = statuses(run);
    assert.equal(s['check/host02'], 'failed');
    assert.equal(s['after/host02'], undefined);
    assert.equal(s['after/host01'], 'changed');
    const recap = run.events.find((e) => e.type === 'recap');
    assert.equal(recap?.type === 'recap' && recap.hosts['host02']?.failed, 1);
  });

  test('an unreachable host is reported, exit code 4', async () => {
    const pb = playbook('unreach.yaml', `- hosts: all\n  tasks:\n    - name: ping\n      ping:\n`);
    const run = await tsplay(['run', pb, ...base()]);
    assert.equal(run.code, 4, run.stderr);
    const s = statuses(run);
    assert.equal(s['ping/ghost01'], 'unreachable');
    assert.equal(s['ping/host01'], 'ok');
    const ghost = results(run, 'ping').find((e) => e.host === 'ghost01');
    assert.match(ghost?.msg ?? '', /127\.0\.1\.24:22/);
  });

  test('become runs as root through sudo with the password on stdin; the password is never shown', async () => {
    const pb = playbook(
      'become.yaml',
      `- hosts: host01
  tasks:
    - name: plain
      command: id -un
      register: plain
    - name: root
      command: id -un
      become: true
      register: root
    - assert:
        that: [plain.stdout == 'deploy', root.stdout == 'root']
`,
    );
    const { user, password } = lab.deploy;
    const run = await tsplay([
      'run',
      pb,
      ...base(),
      '-vvv',
      '-e',
      `ansible_user=${user} ansible_password=${password} ansible_become_password=${password}`,
    ]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.ok(!run.stdout.includes(password) && !run.stderr.includes(password), 'password leaked into output');
  });

  test('check mode changes nothing; read-only probes with check_mode: false still run', async () => {
    const pb = playbook(
      'check.yaml',
      `- hosts: host01
  tasks:
    - name: touch
      command: touch /root/check-mode-marker
    - name: probe
      command: hostname
      check_mode: false
      register: probe
    - name: show
      debug: { msg: "probe={{probe.stdout}}" }
`,
    );
    const run = await tsplay(['run', pb, ...base(), '--check']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const touch = results(run, 'touch')[0];
    assert.equal(touch?.status, 'skipped');
    assert.match(touch?.msg ?? '', /would run: touch \/root\/check-mode-marker/);
    assert.equal(results(run, 'show')[0]?.msg, 'probe=host01');
    const r = await lab.execIn(lab.host('host01'), ['test', '-e', '/root/check-mode-marker']);
    assert.notEqual(r.code, 0, 'check mode created the file');
  });

  test('a changed host key stops that host and shows the fingerprints', async () => {
    await lab.regenerateHostKey('host03');
    const pb = playbook('hk.yaml', `- hosts: masters\n  tasks:\n    - name: ping\n      ping:\n`);
    const run = await tsplay(['run', pb, ...base()]);
    assert.equal(run.code, 4);
    const h3 = results(run, 'ping').find((e) => e.host === 'host03');
    assert.equal(h3?.status, 'unreachable');
    assert.match(h3?.msg ?? '', /SHA256:/);
    assert.match(h3?.msg ?? '', /changed/i);
    assert.equal(statuses(run)['ping/host01'], 'ok');
  });

  test('validate reports problems with locations and contacts no host', async () => {
    const pb = playbook('invalid.yaml', `- hosts: nosuchgroup\n  tasks:\n    - name: x\n      shel: echo\n`);
    const before = connections();
    const run = await tsplay(['validate', pb, '-i', inventory]);
    const invalidRun = await tsplay(['run', pb, ...base()]);
    assert.equal(invalidRun.code, 5);
    assert.equal(connections(), before, 'an sshd saw a connection');
    assert.equal(run.code, 5);
    assert.match(run.stderr, /invalid\.yaml:4:7: unknown module or keyword "shel" in task \(did you mean "shell"\?\)/);
    assert.match(run.stderr, /nosuchgroup/);
  });
});
