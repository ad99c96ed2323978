// Secrets never leave tsplay: playbooks that handle S3 keys, a become password, no_log tasks and secret extra vars run
// against a real sshd host and a real s3rver, in every output mode (plain, plain -vvv, json -vvv, the listr2 view in a
// real pty through the built CLI), and every byte they produce (stdout, stderr, journals) is searched for unique
// markers. Errors must still say what failed; a non-secret control value must show up in each place (so a search that
// finds nothing proves something). Lab hosts: 127.0.1.51 only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '../../src/util/shell-quote.js';
import { startHosts, type HostsLab, type LabHost } from '../lab/hosts.js';
import { runOk } from '../lab/hosts/proc.js';
import { tsplay } from '../support/cli.js';
import { startS3rver, type TestS3 } from '../support/s3rver.js';

const repo = join(import.meta.dirname, '../..');
const bin = join(repo, 'bin/tsplay.js');
const BUCKET = 'tsplay-secrets';

/** A marker unique to this run: `SECRET-<what>-<16 hex>`. */
const marker = (what: string): string => `SECRET-${what}-${randomBytes(8).toString('hex')}`;
const M = {
  s3KeyId: marker('s3keyid'),
  s3Secret: marker('s3secret'),
  wrongKeyId: marker('wrongkeyid'),
  wrongSecret: marker('wrongsecret'),
  become: marker('become'),
  wrongBecome: marker('wrongbecome'),
  hostSecret: marker('hostfile'),
  extra: marker('extra'),
  playVar: marker('playvar'),
};
const CONTROL = `CONTROL-${randomBytes(8).toString('hex')}`;

let lab: HostsLab;
let h: LabHost;
let s3: TestS3;
let dir: string;
let rootInventory: string;
let deployInventory: string;
const savedEnv = { ...process.env };

/** The object store's environment as the operator would export it (ECS_* names, what DCE uses). */
function s3Env(keyId: string, secret: string): Record<string, string> {
  return {
    ECS_ENDPOINT: s3.endpoint,
    ECS_ACCESS_KEY_ID: keyId,
    ECS_SECRET_ACCESS_KEY: secret,
    ECS_DISABLE_SSL: 'true',
    AWS_REGION: s3.region,
  };
}

function useEnv(env: Record<string, string>): void {
  for (const k of Object.keys(process.env)) if (/^(ECS|AWS)_/.test(k)) delete process.env[k];
  Object.assign(process.env, env);
}

/** Makes `password` the deploy user's sudo password on the host (its shadow file is bound into the host: rewrite in place). */
async function setDeployPassword(host: LabHost, password: string): Promise<void> {
  const hash = (await runOk('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n` })).trim();
  const file = join(host.dir, 'etc/shadow');
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^deploy:/m);
  writeFileSync(file, text.replace(/^deploy:[^:]*:/m, `deploy:${hash}:`));
}

function newestMtime(path: string): number {
  const st = statSync(path);
  return st.isDirectory() ? Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f)))) : st.mtimeMs;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-secrets-'));
  // The pty runs use the built CLI: it must exist, and should be newer than the sources.
  const built = join(repo, 'bin', /from '([^']+)'/.exec(readFileSync(bin, 'utf8'))?.[1] ?? '');
  assert.ok(existsSync(built), `${built} is missing: run npm run build (the pty runs use bin/tsplay.js)`);
  const newest = newestMtime(join(repo, 'src'));
  if (newest > statSync(built).mtimeMs)
    process.stderr.write(`secrets.test: ${built} is older than src/: run npm run build, the pty runs test the built CLI\n`);
  [lab, s3] = await Promise.all([
    startHosts({ count: 1, baseDir: join(dir, 'lab'), firstAddress: '127.0.1.51' }),
    startS3rver({ buckets: [BUCKET], accessKeyId: M.s3KeyId, secretAccessKey: M.s3Secret }),
  ]);
  h = lab.hosts[0] as LabHost;
  await setDeployPassword(h, M.become);
  await runOk('nsenter', [
    '-t',
    String(h.nsPid),
    '-m',
    '-u',
    '--',
    'sh',
    '-c',
    `umask 077; printf '%s\\n' ${shellQuote(M.hostSecret)} > /root/app-token`,
  ]);
  rootInventory = join(dir, 'root.yaml');
  writeFileSync(
    rootInventory,
    `all:\n  hosts:\n    host01: { ansible_host: ${h.address}, ansible_user: root, ansible_ssh_private_key_file: ${lab.clientKeyFile} }\n`,
  );
  deployInventory = join(dir, 'deploy.yaml');
  writeFileSync(
    deployInventory,
    `all:\n  hosts:\n    host01:\n      ansible_host: ${h.address}\n      ansible_user: deploy\n      ansible_ssh_private_key_file: ${lab.clientKeyFile}\n      ansible_become_password: ${M.become}\n`,
  );
});

after(async () => {
  process.env = savedEnv;
  await Promise.all([lab?.stop(), s3?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Everything one way of running produced, by label. */
type Captured = Array<{ label: string; text: string }>;

interface Case {
  playbook: string;
  inventory: string;
  args?: string[];
  env?: Record<string, string>;
  /** Exit code every mode must end with. */
  code: number;
}

let n = 0;

function playbook(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** Runs a case in every output mode; returns all output and journals, labelled. */
async function everyMode(c: Case): Promise<Captured> {
  const out: Captured = [];
  const common = ['run', c.playbook, '-i', c.inventory, '--known-hosts', lab.knownHostsFile, '-T', '5', ...(c.args ?? [])];
  useEnv(c.env ?? {});
  try {
    for (const mode of [
      ['-o', 'plain'],
      ['-o', 'plain', '-vvv'],
      ['-o', 'json', '-vvv'],
    ]) {
      const label = `${mode.join(' ')}`;
      const journal = join(dir, `journal-${n++}.jsonl`);
      const r = await tsplay([...common, ...mode, '--journal', journal]);
      assert.equal(r.code, c.code, `${label}: exit code\n${r.stdout}\n${r.stderr}`);
      out.push(
        { label: `${label} stdout`, text: r.stdout },
        { label: `${label} stderr`, text: r.stderr },
        { label: `${label} journal`, text: readFileSync(journal, 'utf8') },
      );
    }
  } finally {
    useEnv(s3Env(s3.accessKeyId, s3.secretAccessKey));
  }
  out.push(...(await inPty(common, c)));
  return out;
}

/** The built CLI in a real pseudo-terminal (script(1)), listr2's live view, -vvv, default journal under its cwd. */
async function inPty(common: string[], c: Case): Promise<Captured> {
  const cwd = join(dir, `pty-${n++}`);
  mkdirSync(cwd);
  const cmd = `stty cols 400 rows 60; exec ${[process.execPath, bin, ...common, '-vvv'].map(shellQuote).join(' ')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ...(c.env ?? {}),
  };
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, c.code, `pty: exit code\n${stdout}\n${stderr}`);
  // The live view, not the plain lines: rows read "host01: ok (…)", plain would print "ok: [host01]".
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what a terminal escape sequence starts with
  assert.match(stdout, /\x1b\[/, 'the pty run drew with escape sequences');
  assert.match(stdout, /host01: (ok|changed|failed|unreachable) \(/);
  assert.doesNotMatch(stdout, /^(ok|changed|fatal): \[host01\]/m);
  const runs = join(cwd, '.tsplay/runs');
  const journals = readdirSync(runs).filter((f) => f.endsWith('.jsonl'));
  assert.equal(journals.length, 1, `one default journal in ${runs}`);
  return [
    { label: 'pty output', text: stdout },
    { label: 'pty stderr', text: stderr },
    { label: `pty journal .tsplay/runs/${journals[0] ?? ''}`, text: readFileSync(join(runs, journals[0] ?? ''), 'utf8') },
  ];
}

/** Terminal escape sequences: CSI (colours, cursor moves), charset designations, keypad modes, cursor save/restore. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: every terminal escape sequence starts with ESC
const TERMINAL_ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>78]/g;

/** Text as a reader sees it: without terminal escape sequences; a second form without any whitespace (line wraps). */
function views(text: string): string[] {
  const plain = text.replace(TERMINAL_ESCAPES, '');
  return [plain, plain.replace(/\s+/g, '')];
}

/** Fails when any marker, or either half of its random part, appears anywhere. */
function assertNoSecret(captured: Captured, markers: string[] = Object.values(M)): void {
  const needles = markers.flatMap((m) => {
    const hex = m.slice(-16);
    return [m, hex, hex.slice(0, 8), hex.slice(8)];
  });
  for (const { label, text } of captured) {
    for (const v of views(text)) {
      for (const needle of needles) {
        const at = v.indexOf(needle);
        assert.ok(at < 0, `${label}: a secret leaked (${needle}): …${v.slice(Math.max(0, at - 120), at + 60)}…`);
      }
    }
  }
}

/** Every capture except stderr holds `text` (after escape sequences and line wraps are taken out). */
function assertShown(captured: Captured, text: string | RegExp, which: (label: string) => boolean = (l) => !l.endsWith('stderr')): void {
  for (const { label, text: t } of captured.filter((c) => which(c.label))) {
    const [plain = '', squeezed = ''] = views(t);
    const ok =
      typeof text === 'string'
        ? plain.includes(text) || squeezed.includes(text.replace(/\s+/g, ''))
        : text.test(plain) || text.test(squeezed);
    assert.ok(ok, `${label}: expected ${String(text)} in:\n${plain.slice(-3000)}`);
  }
}

describe('no secret reaches any output, journal or error message', () => {
  test('the capture works: a non-secret value in the same places is shown everywhere', async () => {
    const pb = playbook(
      'control.yaml',
      `- hosts: host01\n  tasks:\n    - name: show\n      debug: { msg: "control {{plain_value}}" }\n    - name: echo\n      shell: printf '%s\\n' {{q plain_value}}\n`,
    );
    const out = await everyMode({ playbook: pb, inventory: rootInventory, args: ['-e', `plain_value=${CONTROL}`], code: 0 });
    assertShown(out, `control ${CONTROL}`);
    // -vvv streams live output (plain: "[host01] | ..."), the json events carry it as host-output
    assertShown(out, `[host01] | ${CONTROL}`, (l) => l === '-o plain -vvv stdout');
    assertShown(out, /"type":"host-output"[^\n]*CONTROL-/, (l) => l === '-o json -vvv stdout');
    assertNoSecret(out);
  });

  test('S3: an upload with the object-store keys from the environment; the keys are nowhere', async () => {
    const pb = playbook(
      's3-ok.yaml',
      `- hosts: host01
  tasks:
    - name: a file to upload
      shell: head -c 4096 /dev/urandom > /root/upload.bin
    - name: upload
      s3_upload: { src: /root/upload.bin, bucket: ${BUCKET}, key: "secrets/{{plain_value}}.bin" }
      register: up
    - name: where it went
      debug: { msg: "uploaded to s3://{{up.bucket}}/{{up.key}}" }
`,
    );
    const out = await everyMode({
      playbook: pb,
      inventory: rootInventory,
      args: ['-e', `plain_value=${CONTROL}`],
      env: s3Env(M.s3KeyId, M.s3Secret),
      code: 0,
    });
    assertShown(out, `uploaded to s3://${BUCKET}/secrets/${CONTROL}.bin`);
    assertNoSecret(out);
  });

  test('S3: wrong credentials fail with the endpoint, bucket and key, never a key', async () => {
    const pb = playbook(
      's3-denied.yaml',
      `- hosts: host01
  tasks:
    - name: a file to upload
      shell: head -c 1024 /dev/urandom > /root/denied.bin
    - name: upload
      s3_upload: { src: /root/denied.bin, bucket: ${BUCKET}, key: denied/x.bin }
`,
    );
    const out = await everyMode({ playbook: pb, inventory: rootInventory, env: s3Env(M.wrongKeyId, M.wrongSecret), code: 2 });
    const why = `access denied by the object store at ${s3.endpoint} to s3://${BUCKET}/denied/x.bin: check ECS_ACCESS_KEY_ID/ECS_SECRET_ACCESS_KEY`;
    assertShown(out, why, (l) => l !== 'pty stderr' && !l.endsWith(' stderr'));
    assertNoSecret(out);
  });

  test('become: sudo with the password from the inventory; a wrong one is refused by name, never shown', async () => {
    const pb = playbook(
      'become.yaml',
      `- hosts: host01
  tasks:
    - name: who
      command: id -un
      become: true
      register: who
    - name: as root
      debug: { msg: "became {{who.stdout}} from {{ansible_user}} ({{plain_value}})" }
`,
    );
    const ok = await everyMode({ playbook: pb, inventory: deployInventory, args: ['-e', `plain_value=${CONTROL}`], code: 0 });
    assertShown(ok, `became root from deploy (${CONTROL})`);
    assertNoSecret(ok);
    const wrong = await everyMode({
      playbook: pb,
      inventory: deployInventory,
      args: ['-e', `ansible_become_password=${M.wrongBecome} plain_value=${CONTROL}`],
      code: 2,
    });
    assertShown(wrong, 'become password was rejected by sudo on host01 (become user root)', (l) => !l.endsWith('stderr'));
    assertNoSecret(wrong);
  });

  test('no_log and secret extra vars: hidden results, registered values, stderr echoes, live output split over chunks', async () => {
    const pb = playbook(
      'nolog.yaml',
      `- hosts: host01
  vars:
    service_password: ${M.playVar}
  tasks:
    - name: read the token (no_log)
      command: cat /root/app-token
      register: tok
      no_log: true
    - name: use the token, failing (no_log)
      shell: echo "token {{tok.stdout}} refused" >&2; exit 3
      no_log: true
      ignore_errors: true
    - name: the registered token later
      debug: { msg: "token is {{tok.stdout}}, {{length tok.stdout}} characters" }
    - name: the whole registered result
      debug: { var: tok }
    - name: a secret extra var, printed
      shell: printf 'db %s\\n' {{q vault_db_password}}; printf '%s\\n' {{q plain_value}}
      register: printed
    - name: the secret printed in two chunks (half, a pause, the rest)
      shell: v={{q vault_db_password}}; printf 'start %s' "\${v%????????}"; sleep 0.5; printf '%s end\\n' "\${v#"\${v%????????}"}"
    - name: a play var with a secret name, in a message
      debug: { msg: "service {{service_password}} for {{plain_value}}" }
    - name: stderr echoes a secret extra var (not no_log)
      shell: echo "using {{vault_db_password}}" >&2; exit 5
      ignore_errors: true
    - name: stderr echoes a secret (no_log)
      shell: echo "using {{vault_db_password}} and {{service_password}}" >&2; exit 7
      no_log: true
      ignore_errors: true
`,
    );
    const out = await everyMode({
      playbook: pb,
      inventory: rootInventory,
      args: ['-e', `vault_db_password=${M.extra} plain_value=${CONTROL}`],
      code: 0,
    });
    assertNoSecret(out);
    const shown = (l: string) => !l.endsWith('stderr');
    assertShown(out, 'failed (rc=3); output hidden by no_log', shown);
    assertShown(out, 'failed (rc=7); output hidden by no_log', shown);
    assertShown(out, 'token is ********, 32 characters', shown);
    assertShown(out, `service ******** for ${CONTROL}`, shown);
    assertShown(out, 'non-zero return code 5 | stderr: using ********', shown);
    // -vvv shows live output: the secret is masked, even when it arrived in two pieces
    assertShown(out, 'db ********', (l) => l === '-o plain -vvv stdout' || l === '-o json -vvv stdout');
    assertShown(out, /\| start[\s\S]*\| \*{8} end/, (l) => l === '-o plain -vvv stdout');
    assertShown(out, CONTROL, (l) => l === '-o plain -vvv stdout');
  });

  test('a malformed -e that sets a secret is refused (exit 5) saying why, without echoing the secret or a piece of it', async () => {
    const pb = playbook('never.yaml', `- hosts: host01\n  tasks:\n    - name: never\n      command: "true"\n`);
    const half = M.extra.slice(-8);
    const cases: Array<[string, RegExp]> = [
      [`db_password=${M.extra.slice(0, -8)} ${half}`, /-e #1 \("db_password=\*{8}"\): expected key=value, got a word without "="/],
      [`{"api_token": "${M.extra}", }`, /-e #1 \("\{"api_token": "\*{8}", \}"\): not valid JSON: /],
      [`vault_secret='${M.extra}`, /-e #1 \("vault_secret=\*{8}"\): unterminated single quote/],
    ];
    for (const [e, why] of cases) {
      for (const mode of ['plain', 'json']) {
        const r = await tsplay(['run', pb, '-i', rootInventory, '-e', e, '-o', mode]);
        assert.equal(r.code, 5, r.stderr);
        // plain: ERROR lines on stderr; json: a validation-failed event on stdout
        const said =
          mode === 'plain'
            ? r.stderr
            : r.events.flatMap((ev) => (ev.type === 'validation-failed' ? ev.problems.map((p) => p.message) : [])).join('\n');
        assert.match(said, why);
        assertNoSecret([
          { label: `-o ${mode} stdout`, text: r.stdout },
          { label: `-o ${mode} stderr`, text: r.stderr },
        ]);
      }
    }
  });

  test('a nested secret in -e JSON is masked in the run-start event of the journal too', async () => {
    const pb = playbook(
      'nested.yaml',
      `- hosts: host01\n  tasks:\n    - name: use\n      debug: { msg: "user {{db.user}} pw {{db.admin_password}} {{plain_value}}" }\n`,
    );
    const out = await everyMode({
      playbook: pb,
      inventory: rootInventory,
      args: ['-e', JSON.stringify({ db: { user: 'app', admin_password: M.extra }, plain_value: CONTROL })],
      code: 0,
    });
    assertShown(out, `user app pw ******** ${CONTROL}`);
    assertShown(out, /"extraVars":\{[^\n]*"admin_password":"\*{8}"/, (l) => l.endsWith('journal'));
    assertNoSecret(out);
  });
});
