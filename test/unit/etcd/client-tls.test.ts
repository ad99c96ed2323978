// chooseClientTls: the client certificate to reach etcd, from the inventory or found beside the manifest's CA.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseClientTls, clientTlsCandidates } from '../../../src/etcd/client-tls.js';

const kubeadm = {
  trusted_ca_file: '/etc/kubernetes/pki/etcd/ca.crt',
  cert_file: '/etc/kubernetes/pki/etcd/server.crt',
  key_file: '/etc/kubernetes/pki/etcd/server.key',
};
const dce = {
  trusted_ca_file: '/etc/kubernetes/ssl/etcd/ca.crt',
  cert_file: '/etc/kubernetes/ssl/etcd/server.crt',
  key_file: '/etc/kubernetes/ssl/etcd/server.key',
};
const on =
  (files: string[]) =>
  (p: string): boolean =>
    files.includes(p);

test("kubeadm layout: kube-apiserver's etcd client pair under pki/", () => {
  const files = [
    '/etc/kubernetes/pki/etcd/ca.crt',
    '/etc/kubernetes/pki/apiserver-etcd-client.crt',
    '/etc/kubernetes/pki/apiserver-etcd-client.key',
  ];
  assert.deepEqual(chooseClientTls(clientTlsCandidates(kubeadm), {}, on(files), 'host01'), {
    cacert: files[0],
    cert: files[1],
    key: files[2],
    source: 'apiserver-etcd-client',
  });
});

test('kubeadm layout without the apiserver pair (an etcd-only node): the health-check client', () => {
  const files = [
    '/etc/kubernetes/pki/etcd/ca.crt',
    '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
    '/etc/kubernetes/pki/etcd/healthcheck-client.key',
  ];
  assert.equal((chooseClientTls(clientTlsCandidates(kubeadm), {}, on(files), 'host01') as { source: string }).source, 'healthcheck-client');
});

test("DCE/kubespray layout (the seed's paths)", () => {
  const files = [
    '/etc/kubernetes/ssl/etcd/ca.crt',
    '/etc/kubernetes/ssl/apiserver-etcd-client.crt',
    '/etc/kubernetes/ssl/apiserver-etcd-client.key',
  ];
  assert.deepEqual(chooseClientTls(clientTlsCandidates(dce), {}, on(files), 'host01'), {
    cacert: files[0],
    cert: files[1],
    key: files[2],
    source: 'apiserver-etcd-client',
  });
});

test('no client pair at all: the server pair named by the manifest', () => {
  const files = [dce.trusted_ca_file, dce.cert_file, dce.key_file];
  assert.equal((chooseClientTls(clientTlsCandidates(dce), {}, on(files), 'host01') as { source: string }).source, 'server');
});

test('the inventory wins, and a file it names that is missing is named with its variable', () => {
  const given = { cacert: '/x/ca.crt', cert: '/x/c.crt', key: '/x/c.key' };
  assert.deepEqual(chooseClientTls(clientTlsCandidates(dce), given, on(Object.values(given)), 'host01'), { ...given, source: 'inventory' });
  assert.deepEqual(chooseClientTls(clientTlsCandidates(dce), given, on(['/x/ca.crt']), 'host02'), {
    error: 'host02: /x/c.crt (etcd_cert), /x/c.key (etcd_key) do not exist or cannot be read',
  });
});

test('nothing found: every missing path is named, with what to set', () => {
  const r = chooseClientTls(clientTlsCandidates(kubeadm), {}, on([]), 'host03');
  assert.ok('error' in r);
  assert.match(
    r.error,
    /^host03: no usable client certificate for etcd: missing \/etc\/kubernetes\/pki\/etcd\/ca\.crt, \/etc\/kubernetes\/pki\/apiserver-etcd-client\.crt, .*set etcd_ca, etcd_cert and etcd_key/,
  );
});
