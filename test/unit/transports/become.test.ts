import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { becomeCommand } from '../../../src/transports/become.js';
import { BecomeError } from '../../../src/errors/become-error.js';
import { innerScript, remoteCommandLine, shellScript } from '../../../src/transports/command-line.js';
import type { Markers } from '../../../src/transports/markers.js';

const M: Markers = { prompt: '[tsplay-sudo-abc]', ready: '[tsplay-ready-abc:' };

test('with a password: sudo -S with the marker prompt, password nowhere on the command line', () => {
  const line = becomeCommand('id -u', { user: 'postgres', password: 's3cret' }, M);
  assert.equal(line, `sudo -H -S -p '[tsplay-sudo-abc]' -u postgres -- sh -c 'id -u'`);
  assert.ok(!remoteCommandLine({ command: 'id', become: { user: 'root', password: 's3cret' } }, M).includes('s3cret'));
});

test('without a password: sudo -n, so a password prompt fails instead of hanging', () => {
  assert.equal(becomeCommand('true', { user: 'root' }, M), `sudo -H -n -u root -- sh -c true`);
});

test('odd user names and scripts are quoted', () => {
  assert.equal(becomeCommand(`echo 'x'`, { user: "we'ird" }, M), `sudo -H -n -u 'we'\\''ird' -- sh -c 'echo '\\''x'\\'''`);
});

test('the inner script announces its pid, exports env, fails on a bad cwd and keeps multi-line commands', () => {
  const s = innerScript({ command: 'echo "$A"\necho two', env: { A: `$(x) 'q'` }, cwd: '/tmp' }, M);
  assert.equal(s, `printf '%s%s]\\n' '[tsplay-ready-abc:' "$$" >&2; export A='$(x) '\\''q'\\'''; cd /tmp || exit\necho "$A"\necho two`);
  assert.throws(() => innerScript({ command: 'x', env: { 'BAD-NAME': '1' } }, M), /invalid environment variable name/);
});

test('the built command runs under a real sh exactly as intended', () => {
  const run = (command: string, extra: { env?: Record<string, string>; cwd?: string } = {}) =>
    spawnSync('sh', ['-c', shellScript({ command, ...extra }, M)], { encoding: 'utf8' });
  const ok = run('printf "%s|" "$A" "$(pwd)"; exit 4', { env: { A: `it's $HOME \`x\`` }, cwd: '/' });
  assert.equal(ok.stdout, `it's $HOME \`x\`|/|`);
  assert.equal(ok.status, 4);
  assert.match(ok.stderr, /^\[tsplay-ready-abc:\d+\]\n$/);
  const bad = run('echo ran', { cwd: '/definitely/not/here' });
  assert.equal(bad.stdout, '');
  assert.notEqual(bad.status, 0);
});

test('BecomeError messages name the host and user, never a password', () => {
  assert.equal(new BecomeError('db1', 'rejected', 'root').message, 'become password was rejected by sudo on db1 (become user root)');
  assert.match(new BecomeError('db1', 'required', 'root').message, /requires a password.*ansible_become_password/);
});
