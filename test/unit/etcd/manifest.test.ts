import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { etcdFactsFromManifest, parseFlags, parseInitialCluster, podCommand } from '../../../src/etcd/manifest.js';

const fixture = (f: string): string => readFileSync(join(import.meta.dirname, 'fixtures', f), 'utf8');

test('the lab manifest (captured from host01) gives the etcd fact', () => {
  const e = etcdFactsFromManifest(fixture('etcd.yaml'), '/etc/kubernetes/manifests/etcd.yaml');
  assert.equal(e.name, 'controller-node-1');
  assert.equal(e.data_dir, '/var/lib/etcd');
  assert.equal(e.client_url, 'https://127.0.1.1:2379');
  assert.equal(e.peer_url, 'https://127.0.1.1:2380');
  assert.equal(e.initial_cluster_state, 'new');
  assert.equal(e.initial_cluster_token, 'tsplay-lab-etcd');
  assert.equal(e.trusted_ca_file, '/etc/kubernetes/ssl/etcd/ca.crt');
  assert.equal(e.peer_key_file, '/etc/kubernetes/ssl/etcd/peer.key');
  assert.deepEqual(
    e.initial_cluster_members.map((m) => m.name),
    ['controller-node-1', 'controller-node-2', 'controller-node-3'],
  );
  assert.equal(e.manifest_path, '/etc/kubernetes/manifests/etcd.yaml');
});

test('a kubeadm manifest: sorted --flag=value, several listen URLs', () => {
  const e = etcdFactsFromManifest(fixture('kubeadm-etcd.yaml'), 'm.yaml');
  assert.deepEqual(e.listen_client_urls, ['https://127.0.0.1:2379', 'https://127.6.212.10:2379']);
  assert.equal(e.client_url, 'https://127.6.212.10:2379', 'the advertised URL, not the first listen URL');
  assert.equal(e.peer_url, 'https://127.6.212.10:2380');
  assert.equal(e.cert_file, '/etc/kubernetes/ssl/etcd/server.crt');
  assert.equal(e.initial_cluster_state, 'new', 'kubeadm omits the flag: etcd defaults to new');
  assert.equal(e.initial_cluster_members[2]?.peer_url, 'https://127.6.212.12:2380');
});

test('command + args with --flag value, a bare boolean flag and spaces', () => {
  const e = etcdFactsFromManifest(fixture('split-args-etcd.yaml'), 'm.yaml');
  assert.equal(e.name, 'member b');
  assert.equal(e.data_dir, '/var/lib/etcd data');
  assert.equal(e.client_url, 'https://127.0.0.2:2379');
  assert.equal(e.peer_url, 'https://127.0.0.2:2380', 'falls back to its own --initial-cluster entry');
  assert.equal(e.initial_cluster_state, 'existing');
  assert.equal(e.initial_cluster_token, 'tok');
  assert.deepEqual(podCommand(fixture('split-args-etcd.yaml'), 'm').slice(0, 3), ['/usr/local/bin/etcd', '--name', 'member b']);
});

test('missing --name or --data-dir, or not a Pod, fails with the file named', () => {
  const noName = fixture('etcd.yaml')
    .replace(/^\s+- --name=.*\n/m, '')
    .replace(/^\s+- --data-dir=.*\n/m, '');
  assert.throws(() => etcdFactsFromManifest(noName, '/x/etcd.yaml'), /\/x\/etcd.yaml: the etcd command has no --name or --data-dir/);
  assert.throws(() => etcdFactsFromManifest('kind: Pod\nspec: {}\n', '/x/etcd.yaml'), /\/x\/etcd.yaml is not a Pod manifest/);
  assert.throws(() => etcdFactsFromManifest('a: [', '/x/etcd.yaml'), /\/x\/etcd.yaml is not valid YAML/);
});

test('flag parsing: both forms, repeats, bare flags before other flags', () => {
  const f = parseFlags(['etcd', '--a=1', '--b', '2', '--c', '--d=x=y', '-e', 'v', '--a=3']);
  assert.deepEqual(f.get('a'), ['1', '3']);
  assert.deepEqual(f.get('b'), ['2']);
  assert.deepEqual(f.get('c'), ['true']);
  assert.deepEqual(f.get('d'), ['x=y']);
  assert.deepEqual(f.get('e'), ['v']);
  assert.deepEqual(parseInitialCluster('a=http://1:2380, b=http://2:2380,,'), [
    { name: 'a', peer_url: 'http://1:2380' },
    { name: 'b', peer_url: 'http://2:2380' },
  ]);
});
