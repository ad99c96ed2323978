// The data fixtures of test/fixtures/tasks run twice on this machine, each case in a scratch directory of its own:
// once by Debian's ansible-playbook (connection local, every case in ONE run) and once by tsplay (its local
// transport, one run too). changed, failed, every result field Ansible reports (minus the few listed below, each a
// documented difference), the --diff content and the files left behind must be the same; then tsplay runs them
// again over real sshd on a lab host (127.0.1.91; run this file under `flock /tmp/tsplay-lab.lock`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ansibleAvailable } from '../support/ansible-oracle.js';
import { startHosts } from '../lab/hosts.js';
import { tsplay } from '../support/cli.js';
import { loadFixtures, materialize, setFixtureServer, withDir, type TaskFixture } from '../support/task-fixtures.js';
import { startHttpFixtureServer } from '../support/http-fixture-server.js';

/** Result fields not compared: Ansible's bookkeeping, and values that differ by design (docs/modules.md). */
const IGNORED = new Set([
  'invocation',
  'diff',
  'warnings',
  'deprecations',
  '_ansible_no_log',
  'ansible_facts',
  'exception',
  'module_stdout',
  'module_stderr',
  '_ansible_verbose_always',
]);
const IGNORED_BY_MODULE: Record<string, string[]> = {
  // backup file names carry the writer's pid and a timestamp
  lineinfile: ['backup'],
  replace: ['backup_file'],
  blockinfile: ['backup'],
  // Ansible reports sha1 checksums and md5sums; tsplay reports sha256 (as its copy always did)
  copy: ['checksum', 'md5sum', 'backup_file', 'src', 'size', 'uid', 'gid', 'owner', 'group', 'mode', 'state'],
  // paths are random names
  tempfile: ['path', 'uid', 'gid', 'owner', 'group', 'mode', 'size', 'state'],
  // tsplay's file entries carry a subset of Ansible's stat fields: compared by path below
  find: ['files'],
  // tsplay's file and template results carry no stat fields of the path
  file: ['uid', 'gid', 'owner', 'group', 'mode', 'size'],
  template: ['checksum', 'md5sum', 'backup_file', 'src', 'size', 'uid', 'gid', 'owner', 'group', 'mode', 'state'],
  get_url: [
    'elapsed',
    'checksum_src',
    'checksum_dest',
    'md5sum',
    'src',
    'size',
    'mode',
    'uid',
    'gid',
    'owner',
    'group',
    'state',
    'path',
    'response',
  ],
};
/** unarchive: Ansible adds extract_results (its own command line) and the dest's stat fields. */
IGNORED_BY_MODULE['unarchive'] = ['extract_results', 'uid', 'gid', 'owner', 'group', 'mode', 'size', 'state'];
/** Modules whose results carry what the server sent (headers as fields): only these fields are compared. */
const ONLY: Record<string, string[]> = { uri: ['changed', 'failed', 'status', 'json', 'msg', 'redirected', 'url', 'content'] };

const fixtures = loadFixtures().filter((f) => !f.no_oracle && !f.answers && !f.store);
/** Ansible's results of the first test, compared again with tsplay over real sshd by the last one. */
let ansibleResults: Map<string, Record<string, unknown>> | undefined;
const root = mkdtempSync(join(tmpdir(), 'tsplay-oracle-'));
const server = await startHttpFixtureServer();
setFixtureServer(server.url);
test.after(async () => {
  rmSync(root, { recursive: true, force: true });
  await server.close();
});

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function playbook(side: string, list: TaskFixture[] = fixtures): string {
  const tasks: Record<string, unknown>[] = list.map((f, i) => ({
    name: `${f.module}/${f.name}`,
    [f.module]: withDir(f.args, join(root, side, f.module, f.name)),
    register: `r${i}`,
    ignore_errors: true,
    ...(f.check ? { check_mode: true } : {}),
  }));
  if (side === 'ansible') {
    // Debian's ansible-core has no json stdout callback: the registered results are written out by one more task
    const all = fixtures.map((f, i) => `${JSON.stringify(`${f.module}/${f.name}`)}: r${i}`).join(', ');
    tasks.push({ name: 'results', copy: { content: `{{ {${all}} | to_json }}`, dest: join(root, 'ansible-results.json') } });
  }
  return JSON.stringify([{ name: 'modules', hosts: 'all', gather_facts: false, tasks }], null, 1);
}

/** Every file under a directory with its content ('<dir>' for directories), paths relative to it. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        out[relative(dir, p)] = '<dir>';
        walk(p);
      } else if (!name.endsWith('~') && !/\.(tgz|tar|zip)$/.test(name))
        out[relative(dir, p)] = `${readFileSync(p, 'utf8')} mode=${(statSync(p).mode & 0o7777).toString(8)}`;
    }
  };
  walk(dir);
  return out;
}

function normalize(v: unknown, dir: string): unknown {
  return JSON.parse(
    JSON.stringify(v ?? null)
      .split(dir)
      .join('@')
      .split(server.url)
      .join('$SERVER'),
  ) as unknown;
}

test('the task fixtures give the same results with ansible-playbook and tsplay', {
  skip: !ansibleAvailable() && 'ansible-core is not installed',
}, async () => {
  for (const side of ['ansible', 'tsplay']) for (const f of fixtures) materialize(f, join(root, side, f.module, f.name));
  writeFileSync(join(root, 'ansible.yml'), playbook('ansible'));
  writeFileSync(join(root, 'tsplay.yml'), playbook('tsplay'));
  writeFileSync(join(root, 'hosts.ini'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  // asynchronously: the HTTP fixture server answers from this process
  const a = await run('ansible-playbook', ['-i', join(root, 'hosts.ini'), '-D', join(root, 'ansible.yml')], {
    ...process.env,
    ANSIBLE_LOCAL_TEMP: join(root, '.ansible'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_DEPRECATION_WARNINGS: 'false',
  });
  assert.equal(a.code, 0, `ansible-playbook failed:\n${a.stderr}\n${a.stdout.slice(-3000)}`);
  const aResults = new Map(
    Object.entries(JSON.parse(readFileSync(join(root, 'ansible-results.json'), 'utf8')) as Record<string, Record<string, unknown>>),
  );
  ansibleResults = aResults;
  const t = await tsplay([
    'run',
    join(root, 'tsplay.yml'),
    '-i',
    join(root, 'hosts.ini'),
    '-D',
    '--no-lock',
    '--journal',
    join(root, 'journal.jsonl'),
    '-o',
    'json',
  ]);
  const tResults = new Map(t.events.flatMap((e) => (e.type === 'host-result' ? [[e.task, e.result] as const] : [])));
  const problems: string[] = [];
  for (const f of fixtures) problems.push(...compare(f, aResults.get(`${f.module}/${f.name}`), tResults.get(`${f.module}/${f.name}`)));
  assert.deepEqual(problems, [], `tsplay stderr: ${t.stderr}`);
});

function compare(
  f: TaskFixture,
  ans: Record<string, unknown> | undefined,
  ts: Record<string, unknown> | undefined,
  side = 'tsplay',
): string[] {
  const id = `${f.module}/${f.name}`;
  if (!ans || !ts) return [`${id}: no result from ${ans ? 'tsplay' : 'ansible'}`];
  const aDir = join(root, 'ansible', f.module, f.name);
  const tDir = join(root, side, f.module, f.name);
  const A = normalize(ans, aDir) as Record<string, unknown>;
  const T = normalize(ts, tDir) as Record<string, unknown>;
  const out: string[] = [];
  const skip = new Set([...IGNORED, ...(IGNORED_BY_MODULE[f.module] ?? [])]);
  const only = ONLY[f.module];
  for (const k of Object.keys(A)) {
    if (skip.has(k) || (only && !only.includes(k))) continue;
    if (k === 'changed' || k === 'failed') {
      if (Boolean(A[k]) !== Boolean(T[k]))
        out.push(`${id}: ${k} ansible=${String(A[k])} tsplay=${String(T[k])} (${JSON.stringify(A['msg'])} / ${JSON.stringify(T['msg'])})`);
      continue;
    }
    if (A['failed'] && k === 'msg') continue; // error texts: see docs/modules.md
    if (JSON.stringify(A[k]) !== JSON.stringify(T[k]))
      out.push(`${id}: ${k} ansible=${JSON.stringify(A[k])} tsplay=${JSON.stringify(T[k])}`);
  }
  if (f.module === 'setup') {
    // every fact tsplay sets has Ansible's value (tsplay's dicts may carry fewer keys: compared on tsplay's)
    const [af, tf] = [(A['ansible_facts'] ?? {}) as Record<string, unknown>, (T['ansible_facts'] ?? {}) as Record<string, unknown>];
    if (Object.keys(tf).length === 0) out.push(`${id}: tsplay set no facts`);
    for (const [k, v] of Object.entries(tf)) {
      const want =
        v && typeof v === 'object' && !Array.isArray(v) && af[k] && typeof af[k] === 'object'
          ? Object.fromEntries(Object.keys(v).map((x) => [x, (af[k] as Record<string, unknown>)[x]]))
          : af[k];
      if (JSON.stringify(want) !== JSON.stringify(v)) out.push(`${id}: ${k} ansible=${JSON.stringify(af[k])} tsplay=${JSON.stringify(v)}`);
    }
    for (const k of Object.keys(af)) if (!(k in tf) && f.name === 'filter') out.push(`${id}: ${k} not set by tsplay`);
  }
  if (f.module === 'find') {
    const paths = (r: Record<string, unknown>): string[] => ((r['files'] ?? []) as { path: string }[]).map((x) => x.path).sort();
    if (JSON.stringify(paths(A)) !== JSON.stringify(paths(T)))
      out.push(`${id}: files ansible=${JSON.stringify(paths(A))} tsplay=${JSON.stringify(paths(T))}`);
  }
  const first = (d: unknown): Record<string, unknown> => ((Array.isArray(d) ? d[0] : d) ?? {}) as Record<string, unknown>;
  const [ad, td] = [first(A['diff']), first(T['diff'])];
  for (const k of ['before', 'after'])
    if (typeof ad[k] === 'string' && ad[k] !== td[k])
      out.push(`${id}: diff.${k} ansible=${JSON.stringify(ad[k])} tsplay=${JSON.stringify(td[k])}`);
  // tempfile's names are random: compared as their shape
  const shape = (t: Record<string, string>): Record<string, string> =>
    f.module === 'tempfile'
      ? Object.fromEntries(Object.entries(t).map(([k, v]) => [k.replace(/\.[A-Za-z0-9_]{8}(?=\.|$)/, '.XXXXXXXX'), v]))
      : t;
  const [at, tt] = [shape(tree(aDir)), shape(tree(tDir))];
  if (JSON.stringify(normalize(at, aDir)) !== JSON.stringify(normalize(tt, tDir)))
    out.push(`${id}: files ansible=${JSON.stringify(at)} tsplay=${JSON.stringify(tt)}`);
  return out;
}

test('gather_facts: yes runs setup as "Gathering Facts" before the play\'s tasks', async () => {
  const dir = join(root, 'gather');
  rmSync(dir, { recursive: true, force: true });
  materialize({ module: 'setup', name: 'gather', args: {}, expect: { changed: false } }, dir);
  writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local\n');
  writeFileSync(
    join(dir, 'play.yml'),
    '- hosts: all\n  gather_facts: yes\n  tasks:\n    - debug:\n        msg: "{{ ansible_hostname }} {{ ansible_os_family }}"\n',
  );
  const t = await tsplay([
    'run',
    join(dir, 'play.yml'),
    '-i',
    join(dir, 'hosts.ini'),
    '--no-lock',
    '--journal',
    join(dir, 'j.jsonl'),
    '-o',
    'json',
  ]);
  const results = t.events.flatMap((e) => (e.type === 'host-result' ? [e] : []));
  assert.deepEqual(
    results.map((e) => e.task),
    ['Gathering Facts', 'debug'],
    t.stderr,
  );
  const hostname = spawnSync('uname', ['-n'], { encoding: 'utf8' }).stdout.trim().split('.')[0] ?? '';
  assert.match(String(results[1]?.result['msg']), new RegExp(`^${hostname} \\S+$`));
  assert.equal(t.code, 0);
});

test('over real sshd (a lab host, its own mount and UTS namespace) tsplay gives the same results as well', {
  skip: !ansibleAvailable() && 'ansible-core is not installed',
}, async () => {
  assert.ok(ansibleResults, 'the local comparison ran first');
  // setup's facts describe the host (the lab host has a hostname of its own): compared locally only
  const list = fixtures.filter((f) => f.module !== 'setup');
  const lab = await startHosts({ count: 1, baseDir: join(root, 'lab'), firstAddress: '127.0.1.91' });
  try {
    // the host has a /tmp of its own; the lab's base directory stays visible in it at the same path
    for (const f of list) materialize(f, join(root, 'lab', 'scratch', f.module, f.name));
    writeFileSync(join(root, 'ssh.yml'), playbook(join('lab', 'scratch'), list));
    await lab.writeInventory(join(root, 'ssh.ini'));
    const t = await tsplay([
      'run',
      join(root, 'ssh.yml'),
      '-i',
      join(root, 'ssh.ini'),
      '--known-hosts',
      lab.knownHostsFile,
      '-D',
      '--no-lock',
      '--journal',
      join(root, 'ssh.jsonl'),
      '-o',
      'json',
    ]);
    const results = new Map(t.events.flatMap((e) => (e.type === 'host-result' ? [[e.task, e.result] as const] : [])));
    const problems = list.flatMap((f) =>
      compare(f, ansibleResults?.get(`${f.module}/${f.name}`), results.get(`${f.module}/${f.name}`), join('lab', 'scratch')),
    );
    assert.deepEqual(problems, [], t.stderr);
  } finally {
    await lab.stop();
  }
});
