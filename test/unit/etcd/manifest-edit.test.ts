// editEtcdManifest on manifests shaped as real ones are: kubeadm's first master (no state flag), flags under
// args: with 4-space indentation and a comment, double-quoted values with `--flag VALUE` pairs, and JSON.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { editEtcdManifest } from '../../../src/etcd/manifest-edit.js';
import { etcdFactsFromManifest } from '../../../src/etcd/manifest.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/manifests', name), 'utf8');
const cluster3 =
  'controller-node-1=https://127.0.9.10:2380,controller-node-2=https://127.0.9.11:2380,controller-node-3=https://127.0.9.12:2380';

/** The lines of b that are not in a (a's line order kept), to show that only the edited lines changed. */
function changedLines(a: string, b: string): string[] {
  const before = new Set(a.split('\n'));
  return b.split('\n').filter((l) => !before.has(l));
}

test('a flag the manifest lacks is added in the style of its neighbours (kubeadm first master: no state flag)', () => {
  const src = fixture('kubeadm-first.yaml');
  const r = editEtcdManifest(src, { set: { 'initial-cluster-state': 'existing', 'initial-cluster': cluster3 } }, 'etcd.yaml');
  assert.deepEqual(r.changes, [
    `--initial-cluster-state=existing (added)`,
    `--initial-cluster=${cluster3} (was controller-node-1=https://127.0.9.10:2380)`,
  ]);
  const f = etcdFactsFromManifest(r.text, 'etcd.yaml');
  assert.equal(f.initial_cluster_state, 'existing');
  assert.equal(f.initial_cluster, cluster3);
  assert.deepEqual(changedLines(src, r.text), [`    - --initial-cluster=${cluster3}`, '    - --initial-cluster-state=existing']);
  assert.equal(r.text.split('\n').length, src.split('\n').length + 1, 'one line added, none lost');
  assert.match(r.text, /^# written as kubeadm init writes it/, 'the comment stays');
});

test('flags under args: are replaced and added there, keeping the 4-space indentation and the comment', () => {
  const src = fixture('args-style.yaml');
  const r = editEtcdManifest(
    src,
    { set: { 'initial-cluster': cluster3, 'initial-cluster-state': 'existing', 'experimental-initial-corrupt-check': 'true' } },
    'etcd.yaml',
  );
  assert.deepEqual(
    r.changes.map((c) => c.replace(/ \(.*$/, '')),
    [`--initial-cluster=${cluster3}`, '--experimental-initial-corrupt-check=true'],
  );
  assert.deepEqual(changedLines(src, r.text), [
    `                - --initial-cluster=${cluster3}`,
    '                - --experimental-initial-corrupt-check=true',
  ]);
  assert.match(r.text, /# peers/);
  const f = etcdFactsFromManifest(r.text, 'etcd.yaml');
  assert.equal(f.initial_cluster, cluster3);
});

test('`--flag VALUE` pairs and double quotes: the value item is replaced, quoted as before', () => {
  const src = fixture('quoted-split.yaml');
  const r = editEtcdManifest(src, { set: { name: 'controller-node-4', 'initial-cluster': 'a=https://127.0.9.1:2380' } }, 'etcd.yaml');
  assert.deepEqual(changedLines(src, r.text), ['        - "controller-node-4"', '        - "a=https://127.0.9.1:2380"']);
  const f = etcdFactsFromManifest(r.text, 'etcd.yaml');
  assert.equal(f.name, 'controller-node-4');
});

test('a model from another master moves to this one: its address is replaced as a whole host only', () => {
  const src = fixture('quoted-split.yaml').replace(/127\.0\.9\.12:2381/, '127.0.9.120:2381');
  const r = editEtcdManifest(src, { set: { name: 'controller-node-2' }, address: { from: '127.0.9.12', to: '127.0.9.11' } }, 'etcd.yaml');
  const f = etcdFactsFromManifest(r.text, 'etcd.yaml');
  assert.equal(f.name, 'controller-node-2');
  assert.equal(f.peer_url, 'https://127.0.9.11:2380');
  assert.deepEqual(f.listen_client_urls, ['https://127.0.9.11:2379']);
  assert.match(r.text, /host: "127\.0\.9\.11"/, 'the probe address moved too');
  assert.match(r.text, /127\.0\.9\.120:2381/, 'a longer address that starts the same is left alone');
  assert.match(
    r.text,
    /controller-node-3=https:\/\/127\.0\.9\.11:2380/,
    'initial-cluster is a flag value like any other (set it explicitly to fix the cluster)',
  );
});

test('a flag set to the value the model already has is not touched by the address move (uniform shape: every manifest lists all members)', () => {
  const src = fixture('quoted-split.yaml').replace(/"--initial-cluster"\n\s*- "[^"]*"/, `"--initial-cluster=${cluster3}"`);
  const r = editEtcdManifest(
    src,
    { set: { name: 'controller-node-2', 'initial-cluster': cluster3 }, address: { from: '127.0.9.12', to: '127.0.9.11' } },
    'etcd.yaml',
  );
  const f = etcdFactsFromManifest(r.text, 'etcd.yaml');
  assert.equal(f.initial_cluster, cluster3, 'the cluster keeps every member at its own address');
  assert.equal(f.peer_url, 'https://127.0.9.11:2380');
});

test('JSON (flow) manifests stay JSON-shaped', () => {
  const src = fixture('json-pod.yaml');
  const r = editEtcdManifest(src, { set: { 'initial-cluster-state': 'existing' } }, 'etcd-pod.yaml');
  assert.ok(JSON.parse(r.text), 'still JSON');
  assert.equal(etcdFactsFromManifest(r.text, 'etcd-pod.yaml').initial_cluster_state, 'existing');
  assert.equal(r.text.split('\n').length, src.split('\n').length);
});

test('setting a flag to the value it has changes nothing', () => {
  const src = fixture('args-style.yaml');
  const r = editEtcdManifest(src, { set: { 'initial-cluster-state': 'existing' } }, 'etcd.yaml');
  assert.deepEqual(r.changes, []);
  assert.equal(r.text, src);
});

test('not a Pod manifest, or no command: a clear error naming the file', () => {
  assert.throws(
    () => editEtcdManifest('kind: Pod\nspec: {}\n', { set: { a: 'b' } }, '/x/etcd.yaml'),
    /\/x\/etcd\.yaml is not a Pod manifest with containers/,
  );
  assert.throws(
    () => editEtcdManifest('spec:\n  containers:\n  - name: etcd\n', { set: { a: 'b' } }, '/x/etcd.yaml'),
    /\/x\/etcd\.yaml: the etcd container has no command or args/,
  );
  assert.throws(() => editEtcdManifest('a: [b\n', { set: {} }, '/x/etcd.yaml'), /\/x\/etcd\.yaml is not valid YAML/);
});
