// What tsplay trusts and what it hands to shells, on real sshd hosts (127.0.1.55-56; a TLS etcd on 127.0.1.59):
// - host keys: an unknown or changed key stops the host before authentication, with the exact fingerprints;
// - hostile template values (quotes, ;, $(...), backticks, newlines, ", \, unicode) given with -e or as inventory
//   vars arrive byte-exact through shell {{q}}, command (words, never a shell), argv, environment, copy, and break
//   nothing out (no /tmp/pwned on the host);
// - every shell/command string of the shipped playbooks quotes what it interpolates (a static scan);
// - files written on hosts and the controller keep safe permissions: snapshots and keys 0600 (also while they are
//   streaming in), directories never group/world-writable.
// run-ssh.test.ts covers the basic changed-key case and the template unit tests the q helper itself; not repeated here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import Handlebars from 'handlebars';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Pair } from 'yaml';
import { RESTORE_RECORD } from '../../src/etcd/rollback-plan.js';
import { SshTransport } from '../../src/transports/ssh.js';
import { shellQuote } from '../../src/util/shell-quote.js';
import { startHosts, type HostsLab, type LabHost } from '../lab/hosts.js';
import { runOk } from '../lab/hosts/proc.js';
import { statuses, tsplay, type CliRun } from '../support/cli.js';
import { startS3rver, type TestS3 } from '../support/s3rver.js';

const repo = join(import.meta.dirname, '../..');
let lab: HostsLab;
let h1: LabHost;
let h2: LabHost;
let dir: string;
let inventory: string;

/** Values that would run `touch /tmp/pwned` if they ever reached a shell unquoted (or quoted the wrong way). */
const HOSTILE: Record<string, string> = {
  single_quote: "'; touch /tmp/pwned; '",
  subst: '$(touch /tmp/pwned)',
  backticks: '`touch /tmp/pwned`',
  newline: 'x\ntouch /tmp/pwned\n#',
  double_quote: '"; touch /tmp/pwned; "',
  backslash: "\\'; touch /tmp/pwned; \\",
  mixed: `a'b"c\`touch /tmp/pwned\`$(touch /tmp/pwned)$HOME\${IFS}*?[a]{b,c}|&;<>~#!%`,
  unicode: 'naïve ☃ 日本語 \u202Eevil\u202C — ∀x ∈ ℝ 🙂',
  spaces: '  two  spaces\tand a tab  ',
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-trust-'));
  lab = await startHosts({ count: 2, baseDir: join(dir, 'lab'), firstAddress: '127.0.1.55' });
  [h1, h2] = [lab.host('host01'), lab.host('host02')];
  inventory = join(dir, 'hosts.yaml');
  // The same hostile values as inventory host vars (inv_*), written as YAML double-quoted scalars.
  const invVars = Object.entries(HOSTILE)
    .map(([k, v]) => `      inv_${k}: ${JSON.stringify(v)}`)
    .join('\n');
  writeFileSync(
    inventory,
    `all:
  vars:
    ansible_user: root
    ansible_ssh_private_key_file: ${lab.clientKeyFile}
  hosts:
    host01:
      ansible_host: ${h1.address}
${invVars}
    host02:
      ansible_host: ${h2.address}
`,
  );
});

after(async () => {
  await lab?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const base = (knownHosts = lab.knownHostsFile): string[] => [
  '-i',
  inventory,
  '--known-hosts',
  knownHosts,
  '-o',
  'json',
  '-T',
  '5',
  '--journal',
  join(dir, `j-${randomBytes(4).toString('hex')}.jsonl`),
];

function playbook(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

function result(run: CliRun, task: string, host = 'host01'): Record<string, unknown> & { msg?: string; status?: string } {
  const e = run.events.find((x) => x.type === 'host-result' && x.task === task && x.host === host);
  assert.ok(e && e.type === 'host-result', `no result for ${task} on ${host}`);
  return { ...e.result, msg: e.msg, status: e.status };
}

async function onHost(h: LabHost, script: string): Promise<string> {
  const r = await lab.execIn(h, ['sh', '-c', script]);
  assert.equal(r.code, 0, `${script}: ${r.stderr}`);
  return r.stdout;
}

/** A file's bytes on a host (base64 through the lab's nsenter, so nothing is lost on the way). */
async function hostBytes(h: LabHost, path: string): Promise<string> {
  return Buffer.from((await onHost(h, `base64 -w0 ${shellQuote(path)}`)).trim(), 'base64').toString('utf8');
}

async function hostMode(h: LabHost, path: string): Promise<string> {
  return (await onHost(h, `stat -c %a ${shellQuote(path)}`)).trim();
}

async function assertNotPwned(): Promise<void> {
  for (const h of lab.hosts) {
    const r = await lab.execIn(h, ['test', '-e', '/tmp/pwned']);
    assert.notEqual(r.code, 0, `${h.name}: /tmp/pwned exists: a value broke out into a shell`);
  }
  assert.ok(!existsSync('/tmp/pwned'), 'the controller has /tmp/pwned');
}

describe('host keys', () => {
  test('an unknown host key is refused by default with its exact fingerprint; nothing runs, nothing is recorded', async () => {
    const empty = join(dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const pb = playbook('hk-unknown.yaml', `- hosts: host02\n  tasks:\n    - name: mark\n      command: touch /root/hk-ran\n`);
    const accepted = (): number => (readFileSync(h2.sshdLog, 'utf8').match(/Accepted publickey/g) ?? []).length;
    const before = accepted();
    const run = await tsplay(['run', pb, ...base(empty)]);
    assert.equal(run.code, 4, run.stdout + run.stderr);
    const r = result(run, 'mark', 'host02');
    assert.equal(r.status, 'unreachable');
    assert.ok(r.msg?.includes(`host key of host02 (${h2.address}:22) is not known: it offers ED25519 key ${h2.hostKeyFingerprint}`), r.msg);
    assert.match(r.msg ?? '', /--accept-new-host-keys/);
    assert.equal(readFileSync(empty, 'utf8'), '', 'nothing was recorded');
    assert.equal(accepted(), before, 'the client authenticated although the host key was unknown');
    assert.notEqual((await lab.execIn(h2, ['test', '-e', '/root/hk-ran'])).code, 0, 'the task ran');
  });

  test('--accept-new-host-keys records an unknown key (file 0600, directory 0700); a changed key is still refused, old and new fingerprints shown', async () => {
    const kh = join(dir, 'fresh', 'ssh', 'known_hosts');
    const pb = playbook('hk-accept.yaml', `- hosts: host02\n  tasks:\n    - name: ping\n      ping:\n`);
    const args = ['run', pb, '-i', inventory, '--known-hosts', kh, '-o', 'json', '-T', '5', '--journal', join(dir, 'hk.jsonl')];
    const first = await tsplay([...args, '--accept-new-host-keys']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(statSync(kh).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'fresh', 'ssh')).mode & 0o777, 0o700);
    assert.match(
      readFileSync(kh, 'utf8'),
      new RegExp(`^\\[${h2.address.replace(/\./g, '\\.')}\\]:22 ssh-ed25519 |^${h2.address.replace(/\./g, '\\.')} ssh-ed25519 `, 'm'),
    );
    const old = h2.hostKeyFingerprint;
    await lab.regenerateHostKey('host02');
    const accepted = (): number => (readFileSync(h2.sshdLog, 'utf8').match(/Accepted publickey/g) ?? []).length;
    const before = accepted();
    const again = await tsplay([...args, '--accept-new-host-keys']);
    assert.equal(again.code, 4);
    const r = result(again, 'ping', 'host02');
    assert.equal(r.status, 'unreachable');
    assert.ok(
      r.msg?.includes(
        `HOST KEY CHANGED for host02 (${h2.address}:22): it now offers ED25519 key ${h2.hostKeyFingerprint}, but known_hosts has ED25519 key ${old}`,
      ),
      r.msg,
    );
    assert.notEqual(old, h2.hostKeyFingerprint);
    assert.equal(accepted(), before, 'the client authenticated to a host whose key changed');
    assert.equal(readFileSync(kh, 'utf8').trim().split('\n').length, 1, 'the changed key was not recorded');
  });
});

describe('hostile template values', () => {
  /** One playbook that passes every hostile value (prefix e_ from -e, inv_ from the inventory) through every path. */
  function hostilePlaybook(prefix: 'e' | 'inv'): string {
    const tasks = Object.keys(HOSTILE).flatMap((k) => {
      const v = `${prefix}_${k}`;
      const out = `/root/out/${prefix}-${k}`;
      return [
        `    - name: shell ${v}\n      shell: printf '%s' {{q ${v}}} > ${out}.shell`,
        `    - name: shell env ${v}\n      shell: printf '%s' "$V" > ${out}.env\n      environment: { V: "{{${v}}}" }`,
        `    - name: command q ${v}\n      command: printf %s {{q ${v}}}\n      register: cq_${k}`,
        `    - name: command argv ${v}\n      command: { argv: [printf, "%s", "{{${v}}}"] }\n      register: ca_${k}`,
        // Unquoted in command: the words may split differently, but there is no shell to break out to.
        `    - name: command raw ${v}\n      command: printf %s {{${v}}}\n      ignore_errors: true`,
        `    - name: copy ${v}\n      copy: { content: "{{${v}}}", dest: ${out}.copy, mode: "0600" }`,
        `    - name: stat ${v}\n      stat: { path: "{{${v}}}" }`,
        `    - name: creates ${v}\n      command: { cmd: "true", creates: "{{${v}}}" }`,
        `    - name: wait_for host ${v}\n      wait_for: { port: 22, host: "{{${v}}}", timeout: 1 }\n      ignore_errors: true`,
      ];
    });
    return playbook(
      `hostile-${prefix}.yaml`,
      `- hosts: host01\n  tasks:\n    - name: out dir\n      file: { path: /root/out, state: directory, mode: "0700" }\n${tasks.join('\n')}\n`,
    );
  }

  for (const [prefix, how] of [
    ['e', 'with -e (JSON)'],
    ['inv', 'as inventory vars'],
  ] as const) {
    test(`values given ${how} arrive byte-exact through shell {{q}}, environment, command, argv and copy; none breaks out`, async () => {
      const extra =
        prefix === 'e' ? ['-e', JSON.stringify(Object.fromEntries(Object.entries(HOSTILE).map(([k, v]) => [`e_${k}`, v])))] : [];
      const run = await tsplay(['run', hostilePlaybook(prefix), ...base(), ...extra]);
      const failed = run.events.filter((e) => e.type === 'host-result' && e.status === 'failed');
      assert.equal(run.code, 0, JSON.stringify(failed, null, 1) + run.stderr);
      for (const [k, value] of Object.entries(HOSTILE)) {
        const out = `/root/out/${prefix}-${k}`;
        assert.equal(await hostBytes(h1, `${out}.shell`), value, `shell {{q}} ${k}`);
        assert.equal(await hostBytes(h1, `${out}.env`), value, `environment ${k}`);
        assert.equal(await hostBytes(h1, `${out}.copy`), value, `copy ${k}`);
        assert.equal(await hostMode(h1, `${out}.copy`), '600');
        for (const reg of [`command q ${prefix}_${k}`, `command argv ${prefix}_${k}`]) {
          assert.equal(result(run, reg)['stdout'], value.replace(/\n$/, ''), `${reg}`);
        }
        assert.equal(
          result(run, `stat ${prefix}_${k}`)['stat'] && (result(run, `stat ${prefix}_${k}`)['stat'] as { exists: boolean }).exists,
          false,
        );
        assert.equal(result(run, `creates ${prefix}_${k}`).status, 'changed', 'creates: a hostile path does not exist, the command ran');
        const w = result(run, `wait_for host ${prefix}_${k}`);
        assert.equal(w.status, 'ignored');
        assert.match(w.msg ?? '', /^invalid host ".*" \(a host name or IP address\)$/s);
        assert.ok(['changed', 'ignored'].includes(result(run, `command raw ${prefix}_${k}`).status ?? ''));
      }
      // `command` never uses a shell: the raw (unquoted) value is split into words, each printed literally
      const raw = result(run, `command raw ${prefix}_subst`);
      assert.equal(raw['stdout'], '$(touch/tmp/pwned)');
      await assertNotPwned();
    });
  }
});

describe('shipped playbooks quote every interpolation that reaches a shell', () => {
  /**
   * Interpolations allowed without `q`, each with why it is safe. Keep this empty unless a value can only ever be
   * safe (e.g. a number) and quoting it would make the playbook wrong.
   */
  const ALLOWED: Array<{ file: string; mustache: string; why: string }> = [];
  /** Helpers whose output cannot hold shell syntax: digits only. */
  const SAFE_HELPERS = new Set(['pad', 'length']);

  type Context = 'shell' | 'command' | 'argv';
  interface Finding {
    where: string;
    mustache: string;
    problem: string;
  }

  /** Checks one template string in its context; returns what is wrong with it. */
  function checkString(text: string, ctx: Context, where: string): Finding[] {
    const found: Finding[] = [];
    const program = Handlebars.parse(text);
    // The text with each interpolation replaced by a placeholder; both branches of a block are kept, in order.
    const mustaches: Array<{ text: string; helper: string; args: number }> = [];
    let skeleton = '';
    const walk = (nodes: hbs.AST.Statement[]): void => {
      for (const node of nodes) {
        if (node.type === 'ContentStatement') skeleton += (node as hbs.AST.ContentStatement).value;
        else if (node.type === 'MustacheStatement') {
          const m = node as hbs.AST.MustacheStatement;
          const helper = m.path.type === 'PathExpression' ? (m.path as hbs.AST.PathExpression).original : '';
          const loc = m.loc;
          const src = text
            .split('\n')
            .slice(loc.start.line - 1, loc.end.line)
            .join('\n');
          mustaches.push({
            text: src.slice(loc.start.column, loc.start.line === loc.end.line ? loc.end.column : undefined),
            helper,
            args: m.params.length,
          });
          skeleton += `\u0000${mustaches.length - 1}\u0000`;
        } else if (node.type === 'BlockStatement') {
          const b = node as hbs.AST.BlockStatement;
          walk(b.program.body);
          if (b.inverse) walk(b.inverse.body);
        }
      }
    };
    walk(program.body);
    // Shell quoting state at each placeholder (sh rules: '...' literal, "..." with \ escapes, \ outside quotes).
    let state: 'none' | 'single' | 'double' = 'none';
    for (let i = 0; i < skeleton.length; i++) {
      const c = skeleton[i];
      if (c === '\u0000') {
        const end = skeleton.indexOf('\u0000', i + 1);
        const m = mustaches[Number(skeleton.slice(i + 1, end))];
        i = end;
        if (!m) continue;
        const isQ = m.helper === 'q' && m.args === 1;
        const safe = SAFE_HELPERS.has(m.helper) && m.args >= 1;
        if (ctx === 'argv') {
          if (isQ)
            found.push({
              where,
              mustache: m.text,
              problem: 'q in an argv element adds literal quotes (argv words are never parsed by a shell)',
            });
        } else if (isQ && state !== 'none') {
          found.push({
            where,
            mustache: m.text,
            problem: `q inside ${state} quotes: the quotes it adds are literal there, and "..." still expands $(...)`,
          });
        } else if (!isQ && !safe) {
          found.push({
            where,
            mustache: m.text,
            problem:
              ctx === 'shell'
                ? 'interpolated into a shell command without {{q ...}}'
                : 'interpolated into a command line without {{q ...}} (splits into words)',
          });
        }
        continue;
      }
      if (ctx === 'argv') continue;
      if (state === 'single') {
        if (c === "'") state = 'none';
      } else if (state === 'double') {
        if (c === '\\') i++;
        else if (c === '"') state = 'none';
      } else if (c === '\\') i++;
      else if (c === "'") state = 'single';
      else if (c === '"') state = 'double';
    }
    return found;
  }

  type Found = { text: string; ctx: Context; where: string };

  /** Every shell/command string in a YAML file with its line, and the templated content of each `copy` by dest. */
  function commandStrings(file: string): { strings: Found[]; copies: Array<{ dest: string; text: string; where: string }> } {
    const lc = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc });
    const rel = relative(repo, file);
    const at = (n: Node | null | undefined): string => `${rel}:${n?.range ? lc.linePos(n.range[0]).line : '?'}`;
    const strings: Found[] = [];
    const copies: Array<{ dest: string; text: string; where: string }> = [];
    visit(doc, {
      Pair(_k, pair: Pair) {
        if (!isScalar(pair.key)) return;
        const key = String(pair.key.value);
        const v = pair.value as Node | null;
        if (key === 'shell' || key === 'command') {
          const ctx: Context = key;
          if (isScalar(v)) strings.push({ text: String(v.value), ctx, where: at(v) });
          else if (isMap(v)) {
            for (const item of v.items) {
              if (!isPair(item) || !isScalar(item.key)) continue;
              const name = String(item.key.value);
              const val = item.value as Node | null;
              if (name === 'cmd' && isScalar(val)) strings.push({ text: String(val.value), ctx, where: at(val) });
              if (name === 'argv' && isSeq(val))
                for (const el of val.items) if (isScalar(el)) strings.push({ text: String(el.value), ctx: 'argv', where: at(el as Node) });
            }
          }
        }
        if (key === 'copy' && isMap(v)) {
          const dest = v.get('dest');
          const content = v.get('content', true) as Node | undefined;
          if (typeof dest === 'string' && isScalar(content)) copies.push({ dest, text: String(content.value), where: at(content) });
        }
      },
    });
    return { strings, copies };
  }

  /** Every shell/command string of a set of files, plus the content of files that a shell task sources (`. FILE`): shell code too. */
  function shellCode(files: string[]): Found[] {
    const scanned = files.map(commandStrings);
    const strings = scanned.flatMap((x) => x.strings);
    // restore.yaml's record is read as shell words (etcd_rollback parses it, never sources it): written like a sourced file
    const sourced = new Set([...strings.filter((x) => x.ctx === 'shell').flatMap((x) => sourcedIn(x.text)), RESTORE_RECORD]);
    const copies = scanned.flatMap((x) => x.copies).filter((c) => sourced.has(c.dest));
    // a shell task that names a sourced file by its literal path (printf ... > tmp; mv tmp FILE) and does not source it itself
    const writers = strings.filter(
      (x) => x.ctx === 'shell' && [...sourced].some((f) => f.startsWith('/') && writes(x.text, f) && !sourcedIn(x.text).includes(f)),
    );
    return [
      ...strings,
      ...copies.map((c) => ({ text: c.text, ctx: 'shell' as const, where: `${c.where} (${c.dest}, sourced by a shell task)` })),
      ...writers.map((w) => ({ ...w, where: `${w.where} (writes a file sourced by a shell task)` })),
    ];
  }

  /** Whether a shell string writes FILE: a redirection into it, or a `mv` onto it. */
  function writes(text: string, file: string): boolean {
    const f = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?:>\\s*|\\bmv\\s[^;&|]*\\s)"?${f}"?(?:$|[\\s;&|])`).test(text);
  }

  /** The files a shell string sources (`. FILE`). */
  function sourcedIn(text: string): string[] {
    return [...text.matchAll(/(?:^|[;&|\s])\.\s+("?)([^\s;&|"]+)\1/g)].flatMap((m) => (m[2] ? [m[2]] : []));
  }

  /**
   * A value a shell task writes into a file that another shell sources is shell code twice: each interpolation must
   * be `{{q (q x)}}` (quoted for the sourcing shell, and that text quoted again for the writing one).
   */
  function notDoubleQuoted(w: Found): string[] {
    return [...w.text.matchAll(/\{\{[^}]*\}\}/g)].map((m) => m[0]).filter((m) => !/^\{\{q \(q [^()]+\)\}\}$/.test(m));
  }

  function yamlFiles(d: string): string[] {
    return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? yamlFiles(join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [join(d, e.name)] : [],
    );
  }

  test('the checker itself: it finds unquoted values, q inside quotes, unquoted command words and q in argv', () => {
    const bad: Array<[string, Context]> = [
      ['rm -rf {{dir}}/member', 'shell'],
      ['echo "{{q x}}"', 'shell'],
      ["echo '{{q x}}'", 'shell'],
      ['{{#if force}}--force {{/if}}{{path}}', 'shell'],
      ['mv {{a}} {{q b}}', 'command'],
      ['{{q x}}', 'argv'],
      ['cd {{q d}} && ls {{json list}}', 'shell'],
    ];
    for (const [text, ctx] of bad) assert.ok(checkString(text, ctx, 't').length > 0, `not caught: ${ctx}: ${text}`);
    const good: Array<[string, Context]> = [
      ['rm -rf {{q dir}}/member', 'shell'],
      ['d={{q (default x "/var/lib/etcd")}}; echo "$d" \'$(x)\' "a\\"b" {{q y}}', 'shell'],
      ['{{#if force}}--force {{/if}}{{q path}}', 'command'],
      ['keep {{pad revision 8}} {{length hosts}}', 'shell'],
      ['{{x}}', 'argv'],
      ['date -u +%s', 'command'],
    ];
    for (const [text, ctx] of good) assert.deepEqual(checkString(text, ctx, 't'), [], `false alarm: ${ctx}: ${text}`);
  });

  test('every shell/command string under playbooks/ (tasks/ and vars/ included) uses {{q}} for what it interpolates', () => {
    const files = yamlFiles(join(repo, 'playbooks'));
    assert.ok(
      files.some((f) => f.endsWith('tasks/rollback.yaml')),
      'playbooks/tasks/ is scanned',
    );
    const strings = shellCode(files);
    if (process.env['TRUST_SCAN_LIST']) for (const s of strings) process.stderr.write(`${s.where} [${s.ctx}] ${s.text}\n`);
    assert.ok(strings.length >= 15, `found only ${strings.length} command strings: is the scan looking in the right place?`);
    assert.ok(strings.filter((s) => s.text.includes('{{q ')).length >= 10, 'the playbooks quote with {{q}}');
    assert.ok(
      strings.some((s) => s.where.includes('sourced by a shell task')),
      'the restore record (read as shell words by etcd_rollback) is checked',
    );
    const writers = strings.filter((s) => s.where.includes('writes a file sourced by a shell task'));
    const single = writers.flatMap((w) => notDoubleQuoted(w).map((m) => `${w.where}: ${m}`));
    assert.deepEqual(single, [], `values written into a sourced file must be {{q (q x)}}:\n${single.join('\n')}`);
    const findings = strings
      .flatMap((s) => checkString(s.text, s.ctx, s.where))
      .filter((f) => !ALLOWED.some((a) => f.where.startsWith(a.file) && a.mustache === f.mustache));
    assert.deepEqual(findings, [], findings.map((f) => `${f.where}: ${f.mustache}: ${f.problem}`).join('\n'));
  });
});

describe('permissions of what is written', () => {
  test('copy, template and fetch: keys 0600 on the host, fetched snapshots 0600 on the controller, no loose directories', async () => {
    const tpl = join(dir, 'key.j2');
    writeFileSync(tpl, '-----BEGIN KEY-----\n{{key_body}}\n-----END KEY-----\n');
    const fetched = join(dir, 'fetched');
    const pb = playbook(
      'perm-files.yaml',
      `- hosts: host01
  tasks:
    - name: a directory for keys
      file: { path: /root/perm, state: directory, mode: "0700" }
    - name: key from content
      copy: { content: "secret key\\n", dest: /root/perm/key.pem, mode: "0600" }
      register: c
    - name: a file that exists with 0644
      shell: mkdir -p /root/perm && printf old > /root/perm/was-open.key && chmod 0644 /root/perm/was-open.key
    - name: replaced with mode 0600
      copy: { content: "new key\\n", dest: /root/perm/was-open.key, mode: "0600" }
    - name: only the mode tightened
      copy: { content: "new key\\n", dest: /root/perm/was-open.key, mode: "0400" }
    - name: template of a key
      template: { src: ${tpl}, dest: /root/perm/tpl.key, mode: "0600" }
    - name: a plain file without mode
      copy: { content: "hello\\n", dest: /root/perm/plain.txt }
    - name: a snapshot-like file on the host
      shell: umask 077; head -c 65536 /dev/urandom > /root/perm/snap.db
    - name: fetch it to the controller
      fetch: { src: /root/perm/snap.db, dest: ${fetched}/deep/er/, flat: true }
    - name: fetch it per host
      fetch: { src: /root/perm/snap.db, dest: ${fetched}/per-host }
`,
    );
    // A controller with umask 000 (some containers): what fetch creates must still not be group/world-writable.
    const umask = process.umask(0);
    let run: CliRun;
    try {
      run = await tsplay(['run', pb, ...base(), '-e', 'key_body=AAAA']);
    } finally {
      process.umask(umask);
    }
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(await hostMode(h1, '/root/perm/key.pem'), '600');
    assert.equal(await hostMode(h1, '/root/perm/was-open.key'), '400');
    assert.equal(await hostBytes(h1, '/root/perm/was-open.key'), 'new key\n');
    assert.equal(await hostMode(h1, '/root/perm/tpl.key'), '600');
    assert.equal(await hostBytes(h1, '/root/perm/tpl.key'), '-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n');
    const plainMode = parseInt(await hostMode(h1, '/root/perm/plain.txt'), 8);
    assert.equal(plainMode & 0o022, 0, `a file without mode is not group/world-writable (${plainMode.toString(8)})`);
    assert.equal((await onHost(h1, 'ls -A /root/perm')).split('\n').filter((f) => f.includes('.tsplay-')).length, 0, 'no temp files left');
    for (const f of [join(fetched, 'deep/er/snap.db'), join(fetched, 'per-host/host01/root/perm/snap.db')]) {
      assert.equal(statSync(f).mode & 0o777, 0o600, f);
      for (let d = join(f, '..'); d.startsWith(fetched); d = join(d, '..'))
        assert.equal(statSync(d).mode & 0o022, 0, `${d} is group/world-writable`);
    }
    assert.equal(readdirSync(join(fetched, 'deep/er')).filter((f) => f.includes('partial')).length, 0);
  });

  test('a file streaming onto a host is 0600 from its first byte (the temp file before the final chmod and rename)', async () => {
    const t = new SshTransport({
      host: 'host01',
      connection: 'ssh',
      address: h1.address,
      port: h1.port,
      user: 'root',
      privateKeyFile: lab.clientKeyFile,
      knownHostsFiles: [lab.knownHostsFile],
      acceptNewHostKeys: false,
      connectTimeoutMs: 5000,
      keepaliveIntervalMs: 5000,
      maxChannels: 4,
      useAgent: false,
    });
    await t.connect();
    try {
      await onHost(h1, 'mkdir -p /root/stream && chmod 0755 /root/stream');
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      const content = Readable.from(
        (async function* () {
          yield Buffer.alloc(65536, 1);
          await gate;
          yield Buffer.alloc(65536, 2);
        })(),
      );
      const putting = t.put({ path: '/root/stream/file-600', content, mode: 0o600 });
      try {
        let tmpMode = '';
        for (let i = 0; i < 100 && !tmpMode; i++) {
          tmpMode = (await onHost(h1, 'for f in /root/stream/*.tmp; do [ -e "$f" ] && stat -c %a "$f"; done; true')).trim();
          if (!tmpMode) await sleep(50);
        }
        assert.equal(tmpMode, '600', 'the temp file of a 0600 file being written');
      } finally {
        release();
        await putting;
      }
      assert.equal(await hostMode(h1, '/root/stream/file-600'), '600');
      await t.put({ path: '/root/stream/file-644', content: Buffer.from('x'), mode: 0o644 });
      assert.equal(await hostMode(h1, '/root/stream/file-644'), '644', 'the final mode is still the one asked for');
    } finally {
      await t.close();
    }
  });

  describe('snapshots: etcd_snapshot save and s3_download (a TLS etcd on 127.0.1.59, s3rver)', () => {
    let etcd: ChildProcess | undefined;
    let s3: TestS3;
    let pki: string;
    const savedEnv = { ...process.env };

    before(async () => {
      pki = join(dir, 'lab', 'pki'); // under the lab's base dir: visible inside the hosts
      mkdirSync(pki, { recursive: true, mode: 0o700 });
      const ossl = (args: string[]): Promise<string> => runOk('openssl', args);
      const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
      await ossl([
        'req',
        '-x509',
        ...key,
        '-keyout',
        join(pki, 'ca.key'),
        '-out',
        join(pki, 'ca.crt'),
        '-days',
        '2',
        '-subj',
        '/CN=trust-ca',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,digitalSignature',
      ]);
      for (const [name, ext] of [
        ['server', 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.1.59'],
        ['client', 'extendedKeyUsage=clientAuth'],
      ] as const) {
        writeFileSync(
          join(pki, `${name}.ext`),
          `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n${ext}\n`,
        );
        await ossl(['req', '-new', ...key, '-keyout', join(pki, `${name}.key`), '-out', join(pki, `${name}.csr`), '-subj', `/CN=${name}`]);
        await ossl([
          'x509',
          '-req',
          '-in',
          join(pki, `${name}.csr`),
          '-CA',
          join(pki, 'ca.crt'),
          '-CAkey',
          join(pki, 'ca.key'),
          '-set_serial',
          `0x${randomBytes(8).toString('hex')}`,
          '-days',
          '2',
          '-extfile',
          join(pki, `${name}.ext`),
          '-out',
          join(pki, `${name}.crt`),
        ]);
      }
      const url = 'https://127.0.1.59:2379';
      const peer = 'http://127.0.1.59:2380';
      etcd = spawn(
        'etcd',
        [
          '--name=trust',
          `--data-dir=${join(dir, 'etcd-data')}`,
          `--listen-client-urls=${url}`,
          `--advertise-client-urls=${url}`,
          `--listen-peer-urls=${peer}`,
          `--initial-advertise-peer-urls=${peer}`,
          `--initial-cluster=trust=${peer}`,
          `--cert-file=${join(pki, 'server.crt')}`,
          `--key-file=${join(pki, 'server.key')}`,
          `--trusted-ca-file=${join(pki, 'ca.crt')}`,
          '--client-cert-auth',
        ],
        { stdio: 'ignore' },
      );
      const health = [
        'etcdctl',
        `--endpoints=${url}`,
        `--cacert=${join(pki, 'ca.crt')}`,
        `--cert=${join(pki, 'client.crt')}`,
        `--key=${join(pki, 'client.key')}`,
        'put',
        'trust-key',
        'v',
      ];
      for (let i = 0; ; i++) {
        const r = await lab.execIn(h1, health, { env: { ...process.env, ETCDCTL_API: '3' } });
        if (r.code === 0) break;
        assert.ok(i < 100 && etcd.exitCode === null, `etcd on ${url} did not start: ${r.stderr}`);
        await sleep(100);
      }
      s3 = await startS3rver({ buckets: ['trust'] });
      for (const k of Object.keys(process.env)) if (/^(ECS|AWS)_/.test(k)) delete process.env[k];
      Object.assign(process.env, s3.env);
    });

    after(async () => {
      process.env = savedEnv;
      etcd?.kill('SIGTERM');
      if (etcd && etcd.exitCode === null) await new Promise((r) => etcd?.once('exit', r));
      await s3?.stop();
    });

    test('etcd_snapshot save writes 0600 into a new 0700 directory; s3_download writes 0600; nothing else is left', async () => {
      const pb = playbook(
        'perm-snap.yaml',
        `- hosts: host01
  vars:
    tls: { cacert: "${join(pki, 'ca.crt')}", cert: "${join(pki, 'client.crt')}", key: "${join(pki, 'client.key')}" }
  tasks:
    - name: save
      etcd_snapshot: { action: save, endpoint: "https://127.0.1.59:2379", dest: /root/snaps/new/dir/full.db, cacert: "{{tls.cacert}}", cert: "{{tls.cert}}", key: "{{tls.key}}" }
      register: saved
    - name: upload
      s3_upload: { src: /root/snaps/new/dir/full.db, bucket: trust, key: snaps/full.db }
    - name: a directory to restore into
      file: { path: /root/restore, state: directory, mode: "0700" }
    - name: download
      s3_download: { bucket: trust, key: snaps/full.db, dest: /root/restore/full.db }
    - name: download into a file that was 0644
      shell: printf old > /root/restore/open.db && chmod 0644 /root/restore/open.db
    - name: replace it
      s3_download: { bucket: trust, key: snaps/full.db, dest: /root/restore/open.db, force: true }
    - name: status of the downloaded snapshot
      etcd_snapshot: { action: status, path: /root/restore/full.db }
      register: status
    - assert: { that: ["status.sha256 == saved.sha256", "saved.revision > 1"] }
`,
      );
      const run = await tsplay(['run', pb, ...base()]);
      assert.equal(run.code, 0, JSON.stringify(run.events.filter((e) => e.type === 'host-result' && e.status === 'failed')) + run.stderr);
      assert.deepEqual(
        Object.values(statuses(run)).filter((s) => s === 'failed'),
        [],
      );
      assert.equal(await hostMode(h1, '/root/snaps/new/dir/full.db'), '600');
      assert.equal(await hostMode(h1, '/root/snaps/new/dir'), '700');
      assert.equal(await hostMode(h1, '/root/snaps/new'), '700');
      assert.equal(await hostMode(h1, '/root/restore/full.db'), '600');
      assert.equal(await hostMode(h1, '/root/restore/open.db'), '600');
      const left = (await onHost(h1, 'ls -A /root/snaps/new/dir /root/restore'))
        .split('\n')
        .filter((f) => /\.part$|\.tmp$|tsplay-/.test(f));
      assert.deepEqual(left, [], 'no .part or temp files left');
    });
  });
});
