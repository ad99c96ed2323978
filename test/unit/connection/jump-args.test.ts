// Jump hosts from ansible_ssh_common_args / ansible_ssh_extra_args: the spellings OpenSSH and Ansible users write
// (-J, ProxyJump, ProxyCommand "ssh -W"), what is refused before any host is contacted, and how a jump host inherits
// the host's settings (test/integration/jump-host.test.ts drills them on real sshd).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { parseDestination, parseProxyCommand, parseProxyJump } from '../../../src/connection/jump-args.js';
import { resolveConnectionSpec } from '../../../src/connection/connection-spec.js';
import { sshArgOptions } from '../../../src/connection/ssh-args.js';

test('destinations: [user@]host[:port], ssh:// URIs and bracketed IPv6', () => {
  assert.deepEqual(parseDestination('bastion'), { hop: { address: 'bastion', port: undefined, user: undefined } });
  assert.deepEqual(parseDestination('ops@127.0.1.9:2222'), { hop: { address: '127.0.1.9', port: 2222, user: 'ops' } });
  assert.deepEqual(parseDestination('ssh://ops@bastion.example:22'), { hop: { address: 'bastion.example', port: 22, user: 'ops' } });
  assert.deepEqual(parseDestination('ops@[fd00::9]:2200'), { hop: { address: 'fd00::9', port: 2200, user: 'ops' } });
  assert.deepEqual(parseDestination('fd00::9'), { hop: { address: 'fd00::9', port: undefined, user: undefined } });
  for (const bad of ['', 'ops@', '@bastion', 'bastion:ssh', 'bastion:70000', 'a b', '%h']) assert.ok('error' in parseDestination(bad), bad);
});

test('ProxyJump: a chain, first hop first; "none" means direct', () => {
  assert.deepEqual(parseProxyJump('ops@outer:2201,inner'), {
    hops: [
      { address: 'outer', port: 2201, user: 'ops' },
      { address: 'inner', port: undefined, user: undefined },
    ],
  });
  assert.deepEqual(parseProxyJump('none'), { hops: [] });
  assert.match((parseProxyJump('ok,bad:port') as { error: string }).error, /ProxyJump "bad:port": the port must be a number/);
});

test('ProxyCommand "ssh -W %h:%p": options before or after the destination, -p -l -i -o -J', () => {
  assert.deepEqual(parseProxyCommand('ssh -W %h:%p -q ops@bastion'), { hops: [{ address: 'bastion', port: undefined, user: 'ops' }] });
  assert.deepEqual(parseProxyCommand('ssh bastion -W %h:%p -p 2222 -l ops -i ~/.ssh/bastion_key'), {
    hops: [{ address: 'bastion', port: 2222, user: 'ops', privateKeyFile: '~/.ssh/bastion_key' }],
  });
  assert.deepEqual(
    parseProxyCommand('/usr/bin/ssh -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=/kh -W [%h]:%p -J outer bastion'),
    {
      hops: [
        { address: 'outer', port: undefined, user: undefined },
        { address: 'bastion', port: undefined, user: undefined, acceptNewHostKeys: true, knownHostsFiles: ['/kh'] },
      ],
    },
  );
  assert.deepEqual(parseProxyCommand('exec ssh -qTx -W%h:%p -p2222 b'), { hops: [{ address: 'b', port: 2222, user: undefined }] });
  assert.deepEqual(parseProxyCommand('ssh -vvv -qp 2200 -- b'), {
    error:
      'ProxyCommand "ssh -vvv -qp 2200 -- b" has no -W %h:%p; tsplay runs no local command to connect: write -o ProxyJump=[user@]bastion[:port], or ProxyCommand="ssh -W %h:%p [-p port] [-i key] [user@]bastion"',
  });
  assert.deepEqual(parseProxyCommand('none'), { hops: [] });
});

test('ProxyCommands that run something else are refused with what to write instead', () => {
  const cases: Array<[string, RegExp]> = [
    [
      'nc -X connect -x proxy:3128 %h %p',
      /ProxyCommand "nc -X .*" is not supported \(only "ssh -W %h:%p \.\.\."\); tsplay runs no local command/,
    ],
    ['ssh bastion nc %h %p', /ProxyCommand runs "nc %h %p" on bastion: not supported/],
    ['ssh -W %h:%p', /names no jump host/],
    ['ssh bastion', /has no -W %h:%p/],
    ['ssh -W db:5432 bastion', /only -W %h:%p is supported/],
    ['ssh -F ~/.ssh/other_config -W %h:%p bastion', /option -F is not supported/],
    ['ssh -G -W %h:%p bastion', /option -G is not supported/],
    ['ssh -W %h:%p -p nope bastion', /-p must be a port number/],
    ['ssh -W %h:%p "bastion', /unterminated double quote/],
  ];
  for (const [value, re] of cases) {
    const r = parseProxyCommand(value);
    assert.ok('error' in r, value);
    assert.match(r.error, re, value);
  }
});

test('in ansible_ssh_common_args: -J, -Jhost, -o ProxyJump, -o "ProxyCommand ...", the first one wins as in OpenSSH', () => {
  assert.deepEqual(sshArgOptions({ ansible_ssh_common_args: '-J ops@b1' }).jumpHosts, [{ address: 'b1', port: undefined, user: 'ops' }]);
  assert.deepEqual(sshArgOptions({ ansible_ssh_common_args: '-Jb1:2222' }).jumpHosts, [{ address: 'b1', port: 2222, user: undefined }]);
  assert.deepEqual(sshArgOptions({ ansible_ssh_common_args: '-o ProxyJump=b1 -o ProxyCommand="ssh -W %h:%p b2"' }).jumpHosts, [
    { address: 'b1', port: undefined, user: undefined },
  ]);
  assert.deepEqual(sshArgOptions({ ansible_ssh_common_args: `-o 'ProxyCommand ssh -W %h:%p -q b2'` }).jumpHosts, [
    { address: 'b2', port: undefined, user: undefined },
  ]);
  // Ansible puts common args before extra args on ssh's command line
  assert.deepEqual(sshArgOptions({ ansible_ssh_common_args: '-o ProxyJump=none', ansible_ssh_extra_args: '-J b3' }).jumpHosts, []);
  assert.deepEqual(sshArgOptions({ ansible_ssh_extra_args: '-J b3', ansible_ssh_common_args: '-o ControlMaster=auto' }).jumpHosts, [
    { address: 'b3', port: undefined, user: undefined },
  ]);
  assert.deepEqual(
    sshArgOptions({ ansible_ssh_common_args: '-o ProxyCommand="nc %h %p"' }).problems?.map((p) => p.message),
    [
      'ansible_ssh_common_args: ProxyCommand "nc %h %p" is not supported (only "ssh -W %h:%p ..."); tsplay runs no local command to connect: write -o ProxyJump=[user@]bastion[:port], or ProxyCommand="ssh -W %h:%p [-p port] [-i key] [user@]bastion"',
    ],
  );
  assert.deepEqual(sshArgOptions({ ansible_ssh_extra_args: "-o 'unterminated" }).problems, [
    { variable: 'ansible_ssh_extra_args', message: 'ansible_ssh_extra_args: unterminated single quote' },
  ]);
});

test("a jump host gets the host's known_hosts, new-key policy and key file, the local login name, and never its password", () => {
  const vars = {
    ansible_host: '127.0.1.11',
    ansible_user: 'core',
    ansible_password: 'not-for-the-bastion',
    ansible_ssh_private_key_file: '/keys/cluster',
    ansible_ssh_common_args: '-o UserKnownHostsFile=/kh/cluster -o ProxyJump=ops@bastion:2222,inner',
  };
  const { spec, problems } = resolveConnectionSpec('m1', vars);
  assert.deepEqual(problems, []);
  assert.deepEqual(spec?.jumpHosts, [
    {
      address: 'bastion',
      port: 2222,
      user: 'ops',
      privateKeyFile: '/keys/cluster',
      knownHostsFiles: ['/kh/cluster'],
      acceptNewHostKeys: false,
    },
    {
      address: 'inner',
      port: 22,
      user: userInfo().username,
      privateKeyFile: '/keys/cluster',
      knownHostsFiles: ['/kh/cluster'],
      acceptNewHostKeys: false,
    },
  ]);
  assert.equal(JSON.stringify(spec?.jumpHosts).includes('not-for-the-bastion'), false);
  // the command line wins for jump hosts as for hosts
  const cli = resolveConnectionSpec('m1', vars, { knownHostsFiles: ['/cli/kh'], acceptNewHostKeys: true }).spec?.jumpHosts?.[0];
  assert.deepEqual([cli?.knownHostsFiles, cli?.acceptNewHostKeys], [['/cli/kh'], true]);
  // a ProxyCommand's own -i and known_hosts apply to its jump host only
  const own = resolveConnectionSpec('m1', {
    ...vars,
    ansible_ssh_common_args: `-o ProxyCommand="ssh -i ${import.meta.filename} -o UserKnownHostsFile=/kh/b -W %h:%p b"`,
  }).spec;
  assert.deepEqual(
    [own?.jumpHosts?.[0]?.privateKeyFile, own?.jumpHosts?.[0]?.knownHostsFiles, own?.knownHostsFiles[0]],
    [import.meta.filename, ['/kh/b'], `${process.env['HOME']}/.ssh/known_hosts`],
  );
});

test('problems with a jump host are input problems of the host (reported before anything is contacted)', () => {
  const r = resolveConnectionSpec('m1', { ansible_ssh_common_args: '-o ProxyCommand="ssh -i /nonexistent/key -W %h:%p b"' });
  assert.equal(r.spec, undefined);
  assert.deepEqual(
    r.problems.map((p) => p.message),
    ['private key file /nonexistent/key of jump host b (ProxyCommand -i in ansible_ssh_common_args) does not exist'],
  );
  assert.deepEqual(
    resolveConnectionSpec('m1', { ansible_ssh_common_args: '-J "b:0"' }).problems.map((p) => p.message),
    ['ansible_ssh_common_args: ProxyJump "b:0": the port must be 1-65535'],
  );
  // local connections ignore ssh arguments, as in Ansible
  assert.equal(resolveConnectionSpec('c', { ansible_connection: 'local', ansible_ssh_common_args: '-J b' }).spec?.jumpHosts, undefined);
});
