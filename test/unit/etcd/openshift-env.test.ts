import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { envNodes, envVarSafe, findNode, hostPath, openshiftEtcd, parseEtcdEnv } from '../../../src/etcd/openshift-env.js';

// Written in the format the etcd operator uses (export KEY="value", sorted, NODE_NAME placeholders, node names with
// dots and dashes turned into _ in the variable names); loopback addresses only.
const vars = parseEtcdEnv(readFileSync(join(import.meta.dirname, 'fixtures', 'openshift-etcd.env'), 'utf8'));

test('etcd.env parses into its variables', () => {
  assert.equal(vars['ETCDCTL_API'], '3');
  assert.equal(vars['NODE_ocp_ctrl_1_lab_internal_IP'], '127.0.2.11');
  assert.equal(vars['ETCD_CIPHER_SUITES'], 'TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
  assert.deepEqual(parseEtcdEnv('# c\n\nexport A="x \\"q\\" \\\\ y"\nB=plain\nexport C=\'s q\'\n'), {
    A: 'x "q" \\ y',
    B: 'plain',
    C: 's q',
  });
  assert.throws(() => parseEtcdEnv('export A="open\n'), /line 1: A: unterminated/);
  assert.throws(() => parseEtcdEnv('rm -rf /\n'), /line 1: not a variable assignment/);
});

test('the masters are the NODE_<name>_ETCD_NAME entries, names kept as the operator wrote them', () => {
  assert.equal(envVarSafe('ocp-ctrl-0.lab.internal'), 'ocp_ctrl_0_lab_internal');
  assert.deepEqual(
    envNodes(vars).map((n) => [n.name, n.ip]),
    [
      ['ocp-ctrl-0.lab.internal', '127.0.2.10'],
      ['ocp-ctrl-1.lab.internal', '127.0.2.11'],
      ['ocp-ctrl-2.lab.internal', '127.0.2.12'],
    ],
  );
});

test('this master is found by its host name (full or short), an explicit node name, or its address', () => {
  const nodes = envNodes(vars);
  const name = (r: ReturnType<typeof findNode>): string => ('error' in r ? r.error : r.name);
  assert.equal(name(findNode(nodes, { hostnames: ['ocp-ctrl-1.lab.internal'] })), 'ocp-ctrl-1.lab.internal');
  assert.equal(name(findNode(nodes, { hostnames: ['localhost', 'ocp-ctrl-2.lab.internal'] })), 'ocp-ctrl-2.lab.internal');
  assert.equal(name(findNode(nodes, { hostnames: ['localhost'], address: '127.0.2.10' })), 'ocp-ctrl-0.lab.internal');
  assert.equal(
    name(findNode(nodes, { node: 'ocp-ctrl-2.lab.internal', hostnames: ['ocp-ctrl-0.lab.internal'] })),
    'ocp-ctrl-2.lab.internal',
  );
  assert.match(
    name(findNode(nodes, { hostnames: ['bastion'], address: '127.9.9.9' })),
    /this host \(bastion, 127\.9\.9\.9\) is not one of the masters in etcd\.env \(it lists ocp-ctrl-0\.lab\.internal \(127\.0\.2\.10\), /,
  );
  assert.match(name(findNode(nodes, { node: 'nope', hostnames: [] })), /node "nope" is not in etcd\.env/);
});

test("the pods' certificate paths become the host's, with the node name filled in", () => {
  assert.equal(
    hostPath('/etc/kubernetes/static-pod-certs/secrets/etcd-all-certs/etcd-peer-NODE_NAME.crt', 'm0'),
    '/etc/kubernetes/static-pod-resources/etcd-certs/secrets/etcd-all-certs/etcd-peer-m0.crt',
  );
  assert.equal(
    hostPath('/etc/kubernetes/static-pod-certsX/a', 'm0'),
    '/etc/kubernetes/static-pod-certsX/a',
    'only the directory itself is mapped',
  );
  assert.equal(
    hostPath('/etc/kubernetes/static-pod-certs/configmaps/etcd-all-bundles/server-ca-bundle.crt', 'm', '/srv/certs/'),
    '/srv/certs/configmaps/etcd-all-bundles/server-ca-bundle.crt',
    '4.17+ bundle names pass through',
  );
});

test('the openshift_etcd fact of a master', () => {
  const f = openshiftEtcd(vars, { hostnames: ['ocp-ctrl-1'] });
  assert.ok(!('error' in f), 'error' in f ? f.error : '');
  assert.equal(f.node, 'ocp-ctrl-1.lab.internal');
  assert.equal(f.client_url, 'https://127.0.2.11:2379');
  assert.equal(f.peer_url, 'https://127.0.2.11:2380');
  assert.deepEqual(f.endpoints, ['https://127.0.2.10:2379', 'https://127.0.2.11:2379', 'https://127.0.2.12:2379']);
  assert.equal(f.cacert, '/etc/kubernetes/static-pod-resources/etcd-certs/configmaps/etcd-serving-ca/ca-bundle.crt');
  assert.equal(f.cert, '/etc/kubernetes/static-pod-resources/etcd-certs/secrets/etcd-all-certs/etcd-peer-ocp-ctrl-1.lab.internal.crt');
  assert.equal(f.key, '/etc/kubernetes/static-pod-resources/etcd-certs/secrets/etcd-all-certs/etcd-peer-ocp-ctrl-1.lab.internal.key');
  assert.equal(f.data_dir, '/var/lib/etcd');
  assert.equal(f.nodes.length, 3);
  const v6 = openshiftEtcd(
    { ...vars, NODE_ocp_ctrl_1_lab_internal_IP: 'fd00::11', NODE_ocp_ctrl_1_lab_internal_ETCD_URL_HOST: '[fd00::11]' },
    { hostnames: ['ocp-ctrl-1.lab.internal'] },
  );
  assert.ok(!('error' in v6));
  assert.equal(v6.client_url, 'https://[fd00::11]:2379', 'IPv6 hosts in brackets');
  const bad = openshiftEtcd({ ETCDCTL_API: '3' }, { hostnames: ['x'] });
  assert.ok('error' in bad && /lists no masters/.test(bad.error));
});
