// `npm run package` (scripts/package.mjs): the artifact carried to a machine without registry access. The test builds
// it, installs it with `npm install -g` into a scratch prefix while the registry is a tripwire (a TCP server that
// counts connections: a fetch of anything would show there, and fail), then runs the installed tsplay from a scratch
// directory with nothing of this checkout reachable: --version, a validate of restore.yaml on the packaged example
// inventory, and one run each that loads the lazily bundled parts (the local transport, ssh2, the AWS SDK with its
// multipart uploader). The tarball also works unpacked with plain node. No lab hosts; about 15 s (npm install ~3 s).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tripwire, type Tripwire } from '../support/bad-cases.js';

const REPO = resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
let scratch: string;
let tarball: string;
let registry: Tripwire;
let ssh: Tripwire;
let s3: Tripwire;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'tsplay-package-'));
  [registry, ssh, s3] = await Promise.all([tripwire(), tripwire(), tripwire()]);
  mkdirSync(join(scratch, 'home/.ssh'), { recursive: true, mode: 0o700 });
  const key = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(scratch, 'home/.ssh/id_ed25519')], { encoding: 'utf8' });
  assert.equal(key.status, 0, key.stderr);
  mkdirSync(join(scratch, 'work'));
});

after(async () => {
  await Promise.all([registry?.close(), ssh?.close(), s3?.close()]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A minimal environment: no npm_config_* of the test runner, no proxies, HOME in the scratch dir. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: join(scratch, 'home'), LANG: 'C.UTF-8', ...extra };
}

/** Runs a command from the scratch work dir, asynchronously: the tripwires live in this process and must keep answering. */
function sh(
  cmd: string,
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: join(scratch, 'work'), env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const prefix = (): string => join(scratch, 'prefix');
const installed = (): string => join(prefix(), 'lib/node_modules/tsplay');
const tsplayBin = (): string => join(prefix(), 'bin/tsplay');

test('npm run package builds one tarball with no dependencies', () => {
  assert.ok(existsSync(join(REPO, 'dist/cli/main.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [join(REPO, 'scripts/package.mjs')], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  tarball = join(REPO, 'dist/package', `tsplay-${VERSION}.tgz`);
  assert.ok(existsSync(tarball), r.stdout);
  const listing = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout.split('\n');
  for (const f of [
    'package/bin/tsplay.js',
    'package/dist/bundle/tsplay.mjs',
    'package/playbooks/restore.yaml',
    'package/schema/playbook.schema.json',
    'package/inventory/dce.ini',
    'package/THIRD-PARTY-LICENSES.txt',
  ]) {
    assert.ok(listing.includes(f), `${f} is not in the tarball`);
  }
  assert.ok(
    !listing.some((f) => f.includes('node_modules/') || f.endsWith('inventory/lab.yaml')),
    'node_modules or the lab inventory in the tarball',
  );
  const pkg = JSON.parse(spawnSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout) as Record<
    string,
    unknown
  >;
  assert.deepEqual(
    [pkg['dependencies'], pkg['optionalDependencies'], pkg['peerDependencies'], pkg['scripts']],
    [undefined, undefined, undefined, undefined],
  );
});

test('npm install -g takes it with the registry unreachable (nothing is fetched)', async () => {
  const before = registry.count();
  const r = await sh('npm', [
    'install',
    '-g',
    tarball,
    '--prefix',
    prefix(),
    '--registry',
    `http://127.0.0.1:${registry.port}/`,
    '--cache',
    join(scratch, 'npm-cache'),
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    '--fetch-retries',
    '0',
  ]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(registry.count() - before, 0, 'npm contacted the registry');
  assert.ok(existsSync(tsplayBin()));
  assert.ok(!existsSync(join(installed(), 'node_modules')), 'the installed package has a node_modules dir');
  // control: the same install of something that is not in the tarball does go to the registry (and fails there)
  const control = await sh('npm', [
    'install',
    '-g',
    'tsplay-registry-control-does-not-exist',
    '--prefix',
    join(scratch, 'prefix-control'),
    '--registry',
    `http://127.0.0.1:${registry.port}/`,
    '--cache',
    join(scratch, 'npm-cache-control'),
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    '--fetch-retries',
    '0',
  ]);
  assert.notEqual(control.status, 0);
  assert.ok(registry.count() > before, 'the registry tripwire saw nothing even when npm had to fetch');
});

test('the installed tsplay runs from anywhere: --version and a validate of restore.yaml on the packaged example inventory', async () => {
  const v = await sh(tsplayBin(), ['--version']);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trim(), `tsplay ${VERSION}`);
  const before = ssh.count() + s3.count();
  const r = await sh(tsplayBin(), ['validate', join(installed(), 'playbooks/restore.yaml'), '-i', join(installed(), 'inventory/dce.ini')], {
    ECS_ENDPOINT: `http://127.0.0.1:${s3.port}`,
    ECS_ACCESS_KEY_ID: 'PKG',
    ECS_SECRET_ACCESS_KEY: 'pkg-secret',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /restore\.yaml: valid \(inventory /);
  assert.equal(ssh.count() + s3.count(), before);
});

test('the lazily loaded parts are in the bundle: local commands, ssh2, the S3 client and its multipart upload', async () => {
  const work = join(scratch, 'work');
  writeFileSync(join(work, 'payload.txt'), 'x'.repeat(1000));
  writeFileSync(
    join(work, 'local.yaml'),
    `- hosts: all
  tasks:
    - ping:
    - command: echo from-the-package
      register: echo
    - assert: { that: ["echo.stdout == 'from-the-package'"] }
    - s3_upload: { src: ${join(work, 'payload.txt')}, bucket: b, key: k }
`,
  );
  const store = { ECS_ENDPOINT: `http://127.0.0.1:${s3.port}`, ECS_ACCESS_KEY_ID: 'PKG', ECS_SECRET_ACCESS_KEY: 'pkg-secret' };
  const beforeS3 = s3.count();
  const local = await sh(
    tsplayBin(),
    ['run', 'local.yaml', '-i', 'localhost,', '-e', 'ansible_connection=local', '-o', 'plain', '--no-lock'],
    store,
  );
  assert.equal(local.status, 2, local.stdout + local.stderr);
  assert.match(local.stdout, /ok=3 /, local.stdout);
  assert.match(
    local.stdout,
    /TASK \[s3_upload\]\nfatal: \[localhost\] \(\d+ms\) => object store http:\/\/127\.0\.0\.1:\d+ is unreachable/,
    'the upload reached the S3 client and failed on the store',
  );
  assert.doesNotMatch(local.stdout + local.stderr, /is not a (constructor|function)|Cannot find (module|package)|__dirname/);
  assert.ok(s3.count() > beforeS3, 'the S3 tripwire saw no connection');
  const beforeSsh = ssh.count();
  const remote = await sh(tsplayBin(), ['run', 'local.yaml', '-i', `127.0.0.1:${ssh.port},`, '-o', 'plain', '-T', '3', '--no-lock']);
  assert.equal(remote.status, 4, remote.stdout + remote.stderr);
  assert.match(
    remote.stdout,
    /cannot connect to 127\.0\.0\.1 \(127\.0\.0\.1:\d+\): (connection closed during setup|Connection lost before handshake)/,
  );
  assert.ok(ssh.count() > beforeSsh);
});

test('the tarball also runs unpacked, with node alone (no npm)', async () => {
  const dir = join(scratch, 'unpacked');
  mkdirSync(dir);
  assert.equal(spawnSync('tar', ['xzf', tarball, '-C', dir]).status, 0);
  assert.deepEqual(readdirSync(dir), ['package']);
  const v = await sh(process.execPath, [join(dir, 'package/bin/tsplay.js'), '--version']);
  assert.equal(v.stdout.trim(), `tsplay ${VERSION}`, v.stderr);
});
