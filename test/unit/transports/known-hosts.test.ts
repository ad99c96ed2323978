import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { checkHostKey, entryMatchesHost, knownHostsName, parseKnownHosts, wildcardMatch } from '../../../src/transports/known-hosts.js';
import { fingerprint, wireKeyType } from '../../../src/transports/host-key.js';

const KEY_A = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const KEY_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIBsTbYc4hvQ2gqqPZrFfRwJTYRGClvEGkf4GJ9TcRXbZ';

function hashed(name: string, salt = Buffer.alloc(20, 7)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

const FILE = [
  '# comment line',
  '',
  `127.0.0.1,web1 ssh-ed25519 ${KEY_A} a comment`,
  `[127.0.0.2]:2222 ssh-ed25519 ${KEY_A}`,
  `${hashed('127.0.0.3')} ssh-ed25519 ${KEY_B}`,
  `*.example.com,!bad.example.com ssh-ed25519 ${KEY_B}`,
  `@revoked * ssh-ed25519 ${KEY_B}`,
  `@cert-authority *.corp ssh-ed25519 ${KEY_A}`,
  'garbage-line-without-key',
  `@bogus host ssh-ed25519 ${KEY_A}`,
].join('\n');

test('parses entries with line numbers, markers and comments skipped', () => {
  const e = parseKnownHosts(FILE, 'kh');
  assert.deepEqual(
    e.map((x) => [x.line, x.marker ?? '', x.hosts.slice(0, 14)]),
    [
      [3, '', '127.0.0.1,web1'],
      [4, '', '[127.0.0.2]:22'],
      [5, '', '|1|BwcHBwcHBwc'],
      [6, '', '*.example.com,'],
      [7, 'revoked', '*'],
      [8, 'cert-authority', '*.corp'],
    ],
  );
  assert.equal(e[0]?.key, KEY_A);
  assert.equal(e[0]?.file, 'kh');
});

test('lookup names: plain on port 22, [addr]:port otherwise, lower-cased', () => {
  assert.equal(knownHostsName('Web1', 22), 'web1');
  assert.equal(knownHostsName('127.0.0.2', 2222), '[127.0.0.2]:2222');
});

test('host matching: lists, [host]:port, hashed entries, wildcards and negation', () => {
  const [plain, port, hash, wild] = parseKnownHosts(FILE, 'kh');
  assert.ok(plain && port && hash && wild);
  assert.ok(entryMatchesHost(plain, 'web1'));
  assert.ok(entryMatchesHost(plain, '127.0.0.1'));
  assert.ok(!entryMatchesHost(plain, '127.0.0.10'));
  assert.ok(entryMatchesHost(port, '[127.0.0.2]:2222'));
  assert.ok(!entryMatchesHost(port, '127.0.0.2'));
  assert.ok(entryMatchesHost(hash, '127.0.0.3'));
  assert.ok(!entryMatchesHost(hash, '127.0.0.4'));
  assert.ok(entryMatchesHost(wild, 'a.example.com'));
  assert.ok(!entryMatchesHost(wild, 'bad.example.com'));
  assert.ok(wildcardMatch('127.0.0.?', '127.0.0.7') && !wildcardMatch('127.0.0.?', '127.0.0.77'));
});

test('verdicts: known, unknown, changed (same host, other key) and revoked', () => {
  const entries = parseKnownHosts(FILE, 'kh');
  assert.equal(checkHostKey(entries, '127.0.0.1', 'ssh-ed25519', KEY_A).kind, 'known');
  assert.equal(checkHostKey(entries, '127.0.0.3', 'ssh-ed25519', KEY_B).kind, 'revoked');
  assert.equal(checkHostKey(entries, '127.9.9.9', 'ssh-ed25519', KEY_A).kind, 'unknown');
  const changed = checkHostKey(entries, 'web1', 'ssh-ed25519', KEY_B.replace('Z', 'Y'));
  assert.equal(changed.kind, 'changed');
  assert.deepEqual(changed.kind === 'changed' ? changed.known.map((e) => e.line) : [], [3]);
  const keyOfOtherType = checkHostKey(entries, '127.0.0.1', 'ssh-rsa', 'AAAAB3NzaC1yc2E=');
  assert.equal(keyOfOtherType.kind, 'changed');
  assert.equal(checkHostKey(entries, 'x.corp', 'ssh-ed25519', KEY_A).kind, 'unknown', 'cert-authority lines are not host keys');
});

test('wire key type and OpenSSH SHA256 fingerprint', () => {
  const raw = Buffer.from(KEY_A, 'base64');
  assert.equal(wireKeyType(raw), 'ssh-ed25519');
  assert.match(fingerprint(raw), /^SHA256:[A-Za-z0-9+/]{43}$/);
});
