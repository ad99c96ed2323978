import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHosts, type HostsLab } from '../lab/hosts.js';
import { tsplay } from '../support/cli.js';
import { lockPathFor, ownerNow } from '../../src/lock/controller-lock.js';

// Scripted, resumable, locked, deadline-bound runs: the real CLI process (bin/tsplay.js, built by pretest).
const bin = join(import.meta.dirname, '../../bin/tsplay.js');
let dir: string;

/** Runs the CLI as a child process; `onLine` sees stdout lines as they come. */
function spawnCli(args: string[], onLine?: (line: string, child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString();
    stdout += text;
    for (const l of text.split('\n')) if (l) onLine?.(l, child);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** A playbook whose every task appends to a per-host log, so the final state shows exactly which tasks ran. */
function stepsPlaybook(out: string): string {
  const file = join(dir, 'steps.yaml');
  writeFileSync(
    file,
    `- name: steps
  hosts: all
  vars:
    out: ${out}
  tasks:
    - name: one
      shell: echo one >> {{q out}}/{{inventory_hostname}}.log
    - name: two
      shell: sleep 1.5 && echo two >> {{q out}}/{{inventory_hostname}}.log
      register: two
    - name: three
      shell: echo three-{{two.rc}} >> {{q out}}/{{inventory_hostname}}.log
`,
  );
  return file;
}

function state(out: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(out)
      .sort()
      .map((f) => [f, readFileSync(join(out, f), 'utf8')]),
  );
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-maint-'));
});

describe('maintenance-window runs', () => {
  test('SIGINT stops at a task boundary; resume from the journal ends in the same state as an uninterrupted run', async () => {
    const ref = mkdtempSync(join(dir, 'ref-'));
    const full = await spawnCli([
      'run',
      stepsPlaybook(ref),
      '-i',
      'a,b,',
      '-e',
      'ansible_connection=local',
      '-o',
      'json',
      '--journal',
      join(dir, 'ref.jsonl'),
    ]);
    assert.equal(full.code, 0, full.stderr);

    const out = mkdtempSync(join(dir, 'int-'));
    const journal = join(dir, 'int.jsonl');
    let sent = false;
    const first = await spawnCli(
      ['run', stepsPlaybook(out), '-i', 'a,b,', '-e', 'ansible_connection=local', '-o', 'json', '--journal', journal],
      (line, child) => {
        if (!sent && line.includes('"type":"task-start"') && line.includes('"task":"two"')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    assert.ok(sent, 'the interrupt was sent');
    assert.equal(first.code, 99, first.stderr);
    assert.match(first.stderr, /resume with: tsplay resume .*int\.jsonl/);
    assert.deepEqual(Object.values(state(out)), ['one\ntwo\n', 'one\ntwo\n'], 'the task in flight finished, the next did not start');
    const end = JSON.parse(readFileSync(journal, 'utf8').trim().split('\n').pop() ?? '{}') as { stopped?: { afterTask?: string } };
    assert.equal(end.stopped?.afterTask, 'two');

    const resumed = await spawnCli(['resume', journal, '-o', 'json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(state(out), Object.fromEntries(Object.entries(state(ref))), 'same final state');
    assert.ok(!resumed.stdout.includes('"task":"one"'), 'completed tasks were not run again');
    const again = await spawnCli(['resume', journal]);
    assert.equal(again.code, 5);
    assert.match(again.stderr, /completed \(every play ran to its end\); nothing to resume/);
  });

  test('a second concurrent run on the same inventory is refused by the lock; a stale lock is taken over', async () => {
    const inv = join(dir, 'inv.ini');
    writeFileSync(inv, 'a ansible_connection=local\n');
    const pb = join(dir, 'slow.yaml');
    writeFileSync(pb, `- hosts: all\n  tasks:\n    - name: slow\n      command: sleep 3\n`);
    let second: { code: number; stderr: string } | undefined;
    const firstRun = spawnCli(['run', pb, '-i', inv, '-o', 'json'], (line) => {
      if (line.includes('"type":"task-start"') && !second) second = { code: -1, stderr: '' };
    });
    while (!second) await sleep(50);
    const r = await tsplay(['run', pb, '-i', inv, '-o', 'json']);
    assert.equal(r.code, 5);
    const lock = lockPathFor([inv]);
    assert.match(r.stderr, /locked by another run: pid \d+ of .* running .*slow\.yaml \(lock file .*inventory-[0-9a-f]+\.lock/);
    assert.ok(r.stderr.includes(lock));
    assert.equal((await firstRun).code, 0);
    assert.ok(!existsSync(lock), 'the lock was released');
    // A lock whose process is gone (a crashed run) is taken over with a warning.
    writeFileSync(lock, JSON.stringify({ ...ownerNow(pb, 'crashed'), pid: 2 ** 22 + 17 }));
    const after = await tsplay(['run', pb, '-i', inv, '-o', 'json', '-e', 'x=1']);
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stderr, /removing stale lock .* that process is gone/);
  });

  test('--max-duration stops the run at a task boundary; a play that cannot fit does not start', async () => {
    const out = mkdtempSync(join(dir, 'dl-'));
    const r = await spawnCli([
      'run',
      stepsPlaybook(out),
      '-i',
      'a,',
      '-e',
      'ansible_connection=local',
      '-o',
      'json',
      '--max-duration',
      '1s',
    ]);
    assert.equal(r.code, 99, r.stderr);
    assert.deepEqual(state(out), { 'a.log': 'one\ntwo\n' });
    assert.match(r.stdout, /"stopped":\{"reason":"deadline [^"]+ reached"/);
    const pb = join(dir, 'long.yaml');
    writeFileSync(pb, `- hosts: all\n  duration: 10m\n  tasks:\n    - name: x\n      command: touch ${join(dir, 'long-ran')}\n`);
    const long = await spawnCli(['run', pb, '-i', 'a,', '-e', 'ansible_connection=local', '-o', 'json', '--max-duration', '1m']);
    assert.equal(long.code, 99);
    assert.match(long.stdout, /needs about 10m but the deadline .* not started/);
    assert.ok(!existsSync(join(dir, 'long-ran')));
  });

  test('no secret reaches the journal', async () => {
    const journal = join(dir, 'secret.jsonl');
    const pb = join(dir, 'secret.yaml');
    writeFileSync(
      pb,
      `- hosts: all\n  tasks:\n    - name: use\n      shell: echo {{q db_password}} {{q api_token}}\n      register: r\n    - debug: { var: r.stdout }\n`,
    );
    const r = await tsplay([
      'run',
      pb,
      '-i',
      'a,',
      '-e',
      'ansible_connection=local db_password=MARKER-pw-8811 api_token=MARKER-tok-2299',
      '-o',
      'json',
      '--journal',
      journal,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(journal, 'utf8');
    assert.ok(text.includes('"task":"use"'), 'the journal has the run');
    assert.ok(!text.includes('MARKER'), 'a secret leaked into the journal');
    assert.ok(!r.stdout.includes('MARKER') && !r.stderr.includes('MARKER'), 'a secret leaked into the output');
  });
});

describe('host locks', () => {
  let lab: HostsLab;
  before(async () => {
    lab = await startHosts({ count: 1, baseDir: join(dir, 'lab'), firstAddress: '127.0.1.31' });
  });
  after(async () => lab?.stop());

  test('a run from another inventory cannot take a host that a running playbook holds', async () => {
    const h = lab.hosts[0];
    assert.ok(h);
    const inv = (name: string) => {
      const f = join(dir, name);
      writeFileSync(f, `${h.name} ansible_host=${h.address} ansible_user=root ansible_ssh_private_key_file=${lab.clientKeyFile}\n`);
      return f;
    };
    const pb = join(dir, 'hold.yaml');
    writeFileSync(pb, `- hosts: all\n  tasks:\n    - name: hold\n      command: sleep 3\n`);
    let started = false;
    const holder = spawnCli(['run', pb, '-i', inv('inv1.ini'), '--known-hosts', lab.knownHostsFile, '-o', 'json'], (line) => {
      if (line.includes('"type":"task-start"')) started = true;
    });
    while (!started) await sleep(50);
    // task-start is emitted before the connection (and its lock) is made: wait until the lock is on the host
    for (let i = 0; i < 100 && (await lab.execIn(h, ['test', '-e', '/var/lib/tsplay/run.lock'])).code !== 0; i++) await sleep(20);
    const r = await tsplay(['run', pb, '-i', inv('inv2.ini'), '--known-hosts', lab.knownHostsFile, '-o', 'json']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const res = r.events.find((e) => e.type === 'host-result');
    assert.match(
      res?.type === 'host-result' ? res.msg : '',
      /host01 is locked by another tsplay run: pid \d+ .* \(\/var\/lib\/tsplay\/run\.lock on the host/,
    );
    assert.equal((await holder).code, 0);
    const gone = await lab.execIn(h, ['test', '-e', '/var/lib/tsplay/run.lock']);
    assert.notEqual(gone.code, 0, 'the host lock was released');
  });
});
