// Pure parts of the lab's OpenShift stand-ins and kubelet: what they must get right for the drills to mean anything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEtcdEnv } from '../../../src/etcd/openshift-env.js';
import { mountScript } from '../../lab/container-launch.js';
import { etcdEnvFile, etcdEnvVars, podEnv } from '../../lab/openshift/etcd-env.js';
import { jsonpath } from '../../lab/openshift/jsonpath.js';
import { etcdPod, restoreEtcdPod } from '../../lab/openshift/pods.js';
import { expandRefs, parsePodSpec } from '../../lab/pod-spec.js';

const nodes = [
  { name: 'master-0', ip: '127.0.1.71' },
  { name: 'ocp-1.lab', ip: '127.0.1.72' },
];

test('jsonpath: the templates of the OpenShift docs and scripts', () => {
  const etcd = {
    items: [
      {
        status: {
          conditions: [
            { type: 'NodeInstallerProgressing', status: 'False', reason: 'AllNodesAtLatestRevision', message: '3 nodes are at revision 7' },
          ],
        },
      },
    ],
  };
  assert.equal(
    jsonpath('{range .items[0].status.conditions[?(@.type=="NodeInstallerProgressing")]}{.reason}{"\\n"}{.message}{"\\n"}{end}', etcd),
    'AllNodesAtLatestRevision\n3 nodes are at revision 7\n',
  );
  const co = {
    status: {
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'False' },
      ],
    },
  };
  assert.equal(jsonpath('{.status.conditions[?(@.type=="Progressing")].status}', co), 'False');
  assert.equal(jsonpath('{.status.conditions[?(@.type!="Progressing")].type}', co), 'Available');
  assert.equal(jsonpath('{.status.conditions[*].status}', co), 'True False', 'several values: space-separated');
  assert.equal(jsonpath('x{.missing}y', co), 'xy');
  assert.throws(() => jsonpath('{range .a}', co), /without \{end\}/);
});

test('kubelet $(VAR) expansion: defined names only, $$ escapes, shell syntax untouched', () => {
  const env = { A: '1', ETCDCTL_CERT: '/c.crt' };
  assert.equal(
    expandRefs('--cert=$(ETCDCTL_CERT) $(A)$(B) $$(A) $(discover --x) ${A}', env),
    '--cert=/c.crt 1$(B) $(A) $(discover --x) ${A}',
  );
});

test('etcd.env: sorted export KEY="value" lines that parse back; pods get NODE_NAME filled in', () => {
  const vars = etcdEnvVars(nodes);
  const text = etcdEnvFile(vars);
  const keys = text
    .trim()
    .split('\n')
    .map((l) => /^export ([A-Z_a-z0-9]+)="/.exec(l)?.[1] ?? '');
  assert.deepEqual(keys, [...keys].sort());
  assert.ok(keys.includes('NODE_ocp_1_lab_ETCD_NAME') && keys.includes('NODE_master_0_IP'));
  assert.deepEqual(parseEtcdEnv(text), vars);
  assert.match(vars['ETCDCTL_CERT'] ?? '', /etcd-peer-NODE_NAME\.crt$/);
  assert.equal(
    podEnv(vars, 'master-0').find((e) => e.name === 'ETCDCTL_CERT')?.value,
    '/etc/kubernetes/static-pod-certs/secrets/etcd-all-certs/etcd-peer-master-0.crt',
  );
});

test('the etcd pod: JSON with the real containers, a /bin/sh -c script on NODE_<node>_* variables, the certs mounted where etcd.env says', () => {
  const env = etcdEnvVars(nodes);
  const text = etcdPod({ node: nodes[1]!, revision: 4, env, repoRoot: '/repo' });
  const pod = JSON.parse(text) as {
    spec: { containers: { name: string }[]; initContainers: { name: string }[] };
    metadata: { labels: Record<string, string> };
  };
  assert.deepEqual(
    pod.spec.containers.map((c) => c.name),
    ['etcdctl', 'etcd', 'etcd-metrics', 'etcd-readyz'],
  );
  assert.equal(pod.metadata.labels['revision'], '4');
  const spec = parsePodSpec(text, 'etcd-pod.yaml', { name: 'ocp-1.lab', ip: '127.0.1.72' });
  const etcd = spec.containers.find((c) => c.name === 'etcd');
  assert.ok(etcd);
  assert.deepEqual(etcd.argv.slice(0, 2), ['/bin/sh', '-c']);
  assert.match(
    etcd.argv[2] ?? '',
    /exec nice -n -19 ionice -c2 -n0 etcd[\s\S]*--initial-advertise-peer-urls=https:\/\/\$\{NODE_ocp_1_lab_IP\}:2380/,
  );
  assert.match(etcd.argv[2] ?? '', /ETCD_INITIAL_CLUSTER=\$\(discover-etcd-initial-cluster/);
  assert.equal(etcd.env['NODE_ocp_1_lab_IP'], '127.0.1.72');
  assert.ok(
    etcd.mounts.some(
      (m) => m.hostPath === '/etc/kubernetes/static-pod-resources/etcd-certs' && m.mountPath === '/etc/kubernetes/static-pod-certs',
    ),
  );
  assert.ok(
    etcd.mounts.some(
      (m) => m.hostPath === '/etc/kubernetes/static-pod-resources/etcd-pod-4' && m.mountPath === '/etc/kubernetes/static-pod-resources',
    ),
  );
  const init = spec.init.find((c) => c.name === 'etcd-ensure-env-vars');
  assert.equal(init?.env['NODE_IP'], '127.0.1.72', 'fieldRef status.podIP is the node address');
  const restore = parsePodSpec(restoreEtcdPod({ node: nodes[0]!, revision: 0, env, repoRoot: '/repo' }), 'restore', {
    name: 'master-0',
    ip: '127.0.1.71',
  });
  assert.match(restore.containers[0]?.argv[2] ?? '', /--initial-cluster-token "openshift-etcd-\$\{UUID\}"/);
});

test('container mounts: sources pinned before any target is mounted, parents first, identity mounts skipped', () => {
  const script = mountScript([
    { hostPath: '/etc/kubernetes/static-pod-resources/etcd-pod-4', mountPath: '/etc/kubernetes/static-pod-resources', readOnly: false },
    { hostPath: '/var/lib/etcd', mountPath: '/var/lib/etcd', readOnly: false },
    { hostPath: '/etc/kubernetes/static-pod-resources/etcd-certs', mountPath: '/etc/kubernetes/static-pod-certs', readOnly: true },
  ]);
  const lines = script.split('\n');
  const pinned = lines.findIndex((l) => l.includes("mount --rbind '/etc/kubernetes/static-pod-resources/etcd-certs' \"$stage/"));
  const firstTarget = lines.findIndex((l) => l.startsWith('mount --rbind "$stage/'));
  assert.ok(pinned > 0 && pinned < firstTarget, 'the certs are pinned before static-pod-resources is covered');
  assert.ok(!script.includes("'/var/lib/etcd' \"$stage"), 'identity mount skipped');
  assert.match(script, /mount -o remount,bind,ro '\/etc\/kubernetes\/static-pod-certs'/);
  assert.ok(script.trimEnd().endsWith('exec "$@"'));
});
