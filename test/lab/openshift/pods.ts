// The static pods of an OpenShift-shaped master, as JSON (OpenShift writes JSON into the *-pod.yaml files since 4.6).
// Written for the lab from the documented shape of the real pods (cluster-etcd-operator's bindata/etcd/pod.yaml and
// restore-pod.yaml): the etcd pod's containers etcdctl, etcd, etcd-metrics, etcd-readyz; the etcd container a
// `/bin/sh -c` script whose flags use NODE_<node>_* variables from the pod's environment and whose initial cluster
// is discovered at start-up; the volumes that make the revision dir and the etcd-certs tree appear where the pods
// expect them. Lab differences: the three masters share one network namespace, so "all IPs" is the node's own IP
// (LISTEN_ON_ALL_IPS); etcd-metrics, etcd-readyz, the controller manager and the scheduler are idle stand-ins; the
// kube-apiserver container runs test/lab/apiserver-standin.ts.
import { fileURLToPath } from 'node:url';
import { podEnv } from './etcd-env.js';
import {
  DATA_DIR,
  DATA_DIR_BACKUP,
  ETCD_CERTS,
  ETCD_IMAGE,
  IN_POD_CERTS,
  MANIFESTS,
  OPERATOR_IMAGE,
  caBundles,
  envVarSafe,
  nodeCerts,
  revisionDir,
  type OsNode,
  type StaticPodName,
} from './layout.js';

/** Everything a pod generator needs: the node, the revision, etcd.env's variables, the checkout (for the stand-ins). */
export interface PodContext {
  node: OsNode;
  revision: number;
  env: Record<string, string>;
  repoRoot: string;
}

type Json = Record<string, unknown>;
const hostPath = (name: string, path: string): Json => ({ name, hostPath: { path } });
const mount = (name: string, mountPath: string, readOnly = false): Json => ({ name, mountPath, ...(readOnly ? { readOnly: true } : {}) });

/** A container that idles until stopped (what the lab runs where the real pod runs a component the lab does not need). */
function idle(name: string, image: string, what: string, env: Json[] = []): Json {
  return {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePolicy: 'FallbackToLogsOnError',
    command: ['/bin/sh', '-c', `# tsplay lab: stand-in for ${what}\ntrap 'exit 0' TERM INT\nwhile :; do sleep 3600 & wait $!; done\n`],
    env,
  };
}

function pod(name: string, namespace: string, revision: number, spec: Json, labels: Json = {}): string {
  return JSON.stringify({
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name,
      namespace,
      creationTimestamp: null,
      labels: { ...labels, revision: String(revision) },
      annotations: {
        'kubectl.kubernetes.io/default-container': name,
        'target.workload.openshift.io/management': '{"effect": "PreferredDuringScheduling"}',
      },
    },
    spec: { ...spec, hostNetwork: true, priorityClassName: 'system-node-critical', tolerations: [{ operator: 'Exists' }] },
    status: {},
  });
}

/** The pod's env: etcd.env's variables for this node, then the pod's own. */
function env(c: PodContext, extra: Record<string, string> = {}): Json[] {
  return [...podEnv(c.env, c.node.name), ...Object.entries(extra).map(([name, value]) => ({ name, value }))];
}

/** The flags every etcd of an OpenShift master runs with (certificates at the pod's paths). */
function etcdFlags(node: string, k: string): string {
  const certs = nodeCerts(node, IN_POD_CERTS);
  const ca = caBundles(IN_POD_CERTS);
  return [
    '--logger=zap',
    '--log-level=${VERBOSITY}',
    '--experimental-initial-corrupt-check=true',
    '--snapshot-count=10000',
    `--initial-advertise-peer-urls=https://\${NODE_${k}_IP}:2380`,
    `--cert-file=${certs.servingCrt}`,
    `--key-file=${certs.servingKey}`,
    `--trusted-ca-file=${ca.serving}`,
    '--client-cert-auth=true',
    `--peer-cert-file=${certs.peerCrt}`,
    `--peer-key-file=${certs.peerKey}`,
    `--peer-trusted-ca-file=${ca.peer}`,
    '--peer-client-cert-auth=true',
    `--advertise-client-urls=https://\${NODE_${k}_IP}:2379`,
    '--listen-client-urls=https://${LISTEN_ON_ALL_IPS}:2379',
    '--listen-peer-urls=https://${LISTEN_ON_ALL_IPS}:2380',
    '--metrics=extensive',
    '--listen-metrics-urls=https://${LISTEN_ON_ALL_IPS}:9978',
  ].join(' \\\n  ');
}

/** The etcd static pod of a master at a revision. */
export function etcdPod(c: PodContext): string {
  const n = c.node.name;
  const k = envVarSafe(n);
  const certs = nodeCerts(n, IN_POD_CERTS);
  const ca = caBundles(IN_POD_CERTS);
  const podVars = { ETCD_STATIC_POD_VERSION: String(c.revision), VERBOSITY: 'info', LISTEN_ON_ALL_IPS: c.node.ip };
  const script = `#!/bin/sh
set -eu

etcdctl member list || true

# fails (and the container restarts) until this node is a member or has a data dir
ETCD_INITIAL_CLUSTER=$(discover-etcd-initial-cluster \\
  --cacert=${ca.serving} \\
  --cert=${certs.peerCrt} \\
  --key=${certs.peerKey} \\
  --endpoints=\${ALL_ETCD_ENDPOINTS} \\
  --data-dir=${DATA_DIR} \\
  --target-peer-url-host=\${NODE_${k}_ETCD_URL_HOST} \\
  --target-name=${n})
export ETCD_INITIAL_CLUSTER

# the previous etcd must have released its ports (the lab's masters share one network namespace: this node's address
# only; listening sockets only, as etcd binds with SO_REUSEADDR and a TIME-WAIT socket does not stop it)
printf 'Waiting for ports 2379, 2380 and 9978 to be released.'
while ss -Hltn '( sport = :2379 or sport = :2380 or sport = :9978 )' | awk '{print $4}' | grep -q "^\${LISTEN_ON_ALL_IPS}:"; do
  printf '.'
  sleep 1
done
echo

export ETCD_NAME=\${NODE_${k}_ETCD_NAME}
env | grep ETCD | grep -v NODE

set -x
exec nice -n -19 ionice -c2 -n0 etcd \\
  ${etcdFlags(n, k)}
`;
  const volumes = [
    hostPath('static-pod-dir', MANIFESTS),
    hostPath('resource-dir', revisionDir('etcd', c.revision)),
    hostPath('cert-dir', ETCD_CERTS),
    hostPath('data-dir', DATA_DIR),
    hostPath('usr-local-bin', '/usr/local/bin'),
  ];
  const podMounts = [
    mount('static-pod-dir', MANIFESTS),
    mount('resource-dir', '/etc/kubernetes/static-pod-resources'),
    mount('cert-dir', IN_POD_CERTS),
    mount('data-dir', DATA_DIR),
  ];
  return pod(
    'etcd',
    'openshift-etcd',
    c.revision,
    {
      initContainers: [
        {
          name: 'etcd-ensure-env-vars',
          image: ETCD_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          command: [
            '/bin/sh',
            '-c',
            `#!/bin/sh
set -eu
: "\${NODE_${k}_ETCD_URL_HOST?not set}"
: "\${NODE_${k}_ETCD_NAME?not set}"
: "\${NODE_${k}_IP?not set}"
if [ "\${NODE_${k}_IP}" != "\${NODE_IP}" ] && [ "\${NODE_${k}_IP}" != "[\${NODE_IP}]" ]; then
  echo "Expected node IP to be \${NODE_IP} got \${NODE_${k}_IP}" >&2
  exit 1
fi
`,
          ],
          env: [...env(c), { name: 'NODE_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        },
        {
          name: 'etcd-resources-copy',
          image: ETCD_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          command: [
            '/bin/sh',
            '-c',
            `#!/bin/sh
set -eu
rm -f $(grep -l '^### Created by ' /usr/local/bin/* 2>/dev/null || true)
cp -p ${IN_POD_CERTS}/configmaps/etcd-scripts/*.sh /usr/local/bin
`,
          ],
          volumeMounts: [
            mount('resource-dir', '/etc/kubernetes/static-pod-resources'),
            mount('cert-dir', IN_POD_CERTS),
            mount('usr-local-bin', '/usr/local/bin'),
          ],
        },
      ],
      containers: [
        // the etcdctl container comes first: `oc rsh` lands in it, ready to run etcdctl
        {
          name: 'etcdctl',
          image: ETCD_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          command: ['/bin/bash', '-c', 'trap TERM INT; sleep infinity & wait'],
          env: env(c, { ETCD_STATIC_POD_VERSION: String(c.revision) }),
          volumeMounts: podMounts,
        },
        {
          name: 'etcd',
          image: ETCD_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          command: ['/bin/sh', '-c', script],
          env: env(c, podVars),
          readinessProbe: { httpGet: { port: 9980, path: 'readyz', scheme: 'HTTPS' }, initialDelaySeconds: 10, periodSeconds: 5 },
          securityContext: { privileged: true },
          volumeMounts: podMounts,
        },
        {
          ...idle('etcd-metrics', ETCD_IMAGE, 'etcd grpc-proxy serving metrics on :9979', env(c, podVars)),
          volumeMounts: [mount('cert-dir', IN_POD_CERTS)],
        },
        {
          ...idle('etcd-readyz', OPERATOR_IMAGE, 'cluster-etcd-operator readyz on :9980', env(c, podVars)),
          volumeMounts: [mount('cert-dir', IN_POD_CERTS)],
        },
      ],
      terminationGracePeriodSeconds: 30,
      volumes,
    },
    { app: 'etcd', 'k8s-app': 'etcd', etcd: 'true' },
  );
}

/** The restore pod cluster-restore.sh puts in place of etcd-pod.yaml: restores /var/lib/etcd-backup/snapshot.db as a one-member cluster with a new token, then runs etcd. */
export function restoreEtcdPod(c: PodContext): string {
  const n = c.node.name;
  const k = envVarSafe(n);
  const script = `#!/bin/sh
set -eu

export ETCD_NAME=\${NODE_${k}_ETCD_NAME}
export ETCD_INITIAL_CLUSTER="\${ETCD_NAME}=https://\${NODE_${k}_ETCD_URL_HOST}:2380"
env | grep ETCD | grep -v NODE
export ETCD_NODE_PEER_URL=https://\${NODE_${k}_ETCD_URL_HOST}:2380

# the data directory must be empty, or the restore would fail
if [ -n "$(ls -A ${DATA_DIR})" ]; then
  echo "please delete the contents of data directory before restoring, running the restore script will do this for you"
  exit 1
fi

# the snapshot must be there and no longer growing
if [ ! -f ${DATA_DIR_BACKUP}/snapshot.db ]; then
  echo "please make a copy of the snapshot db file, then move that copy to ${DATA_DIR_BACKUP}/snapshot.db"
  exit 1
fi
filesize=$(stat --format=%s "${DATA_DIR_BACKUP}/snapshot.db")
sleep 5
newfilesize=$(stat --format=%s "${DATA_DIR_BACKUP}/snapshot.db")
if [ "$filesize" != "$newfilesize" ]; then
  echo "file size has changed since last 5 seconds, retry sometime after copying is complete"
  exit 1
fi

UUID=$(cat /proc/sys/kernel/random/uuid)
echo "restoring to a single node cluster"
ETCDCTL_API=3 etcdctl snapshot restore ${DATA_DIR_BACKUP}/snapshot.db \\
  --name "$ETCD_NAME" \\
  --initial-cluster="$ETCD_INITIAL_CLUSTER" \\
  --initial-cluster-token "openshift-etcd-\${UUID}" \\
  --initial-advertise-peer-urls "$ETCD_NODE_PEER_URL" \\
  --data-dir="${DATA_DIR}/restore-\${UUID}"

mv ${DATA_DIR}/restore-\${UUID}/* ${DATA_DIR}/
rmdir ${DATA_DIR}/restore-\${UUID}
rm ${DATA_DIR_BACKUP}/snapshot.db

set -x
exec etcd \\
  ${etcdFlags(n, k)}
`;
  return pod(
    'etcd',
    'openshift-etcd',
    c.revision,
    {
      containers: [
        {
          name: 'etcd',
          image: ETCD_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          command: ['/bin/sh', '-c', script],
          env: env(c, { ETCD_STATIC_POD_REV: String(c.revision), VERBOSITY: 'info', LISTEN_ON_ALL_IPS: c.node.ip }),
          readinessProbe: { tcpSocket: { port: 2380 }, initialDelaySeconds: 3, periodSeconds: 5 },
          securityContext: { privileged: true },
          volumeMounts: [
            mount('static-pod-dir', MANIFESTS),
            mount('cert-dir', IN_POD_CERTS),
            mount('data-dir', DATA_DIR),
            mount('backup-dir', DATA_DIR_BACKUP),
          ],
        },
      ],
      volumes: [
        hostPath('static-pod-dir', MANIFESTS),
        hostPath('cert-dir', ETCD_CERTS),
        hostPath('data-dir', DATA_DIR),
        hostPath('backup-dir', DATA_DIR_BACKUP),
      ],
    },
    { app: 'etcd', 'k8s-app': 'etcd', etcd: 'true' },
  );
}

/** Where a kube-apiserver revision keeps its etcd client certificate and CA (inside kube-apiserver-pod-N). */
export const apiserverEtcdFiles = {
  ca: 'configmaps/etcd-serving-ca/ca-bundle.crt',
  cert: 'secrets/etcd-client/tls.crt',
  key: 'secrets/etcd-client/tls.key',
} as const;

/**
 * The kube-apiserver static pod (the lab's stand-in serving /healthz and /readyz from its etcd's health). Like the real
 * one it names no node: its address comes from the downward API (HOST_IP), so a backup's kube-apiserver-pod.yaml taken
 * on one master runs on whichever master cluster-restore.sh puts it.
 */
export function kubeApiserverPod(c: PodContext): string {
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  const r = '/etc/kubernetes/static-pod-resources';
  const script = `#!/bin/bash
set -euo pipefail
echo "Copying system trust bundle (lab: none)"
exec node --import ${tsx} ${c.repoRoot}/test/lab/apiserver-standin.ts \\
  --advertise-address=\${HOST_IP} --secure-port=6443 \\
  --etcd-servers=https://\${HOST_IP}:2379 \\
  --etcd-cafile=${r}/${apiserverEtcdFiles.ca} \\
  --etcd-certfile=${r}/${apiserverEtcdFiles.cert} \\
  --etcd-keyfile=${r}/${apiserverEtcdFiles.key}
`;
  return pod(
    'kube-apiserver',
    'openshift-kube-apiserver',
    c.revision,
    {
      containers: [
        {
          name: 'kube-apiserver',
          image: OPERATOR_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          command: ['/bin/bash', '-ec', script],
          workingDir: c.repoRoot,
          env: [
            { name: 'STATIC_POD_VERSION', value: String(c.revision) },
            { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          ],
          readinessProbe: { httpGet: { scheme: 'HTTP', port: 6443, path: 'readyz' }, periodSeconds: 5 },
          volumeMounts: [mount('resource-dir', r)],
        },
        {
          ...idle('kube-apiserver-check-endpoints', OPERATOR_IMAGE, 'cluster-kube-apiserver-operator check-endpoints'),
          volumeMounts: [mount('resource-dir', r)],
        },
      ],
      terminationGracePeriodSeconds: 15,
      volumes: [
        hostPath('resource-dir', revisionDir('kube-apiserver', c.revision)),
        hostPath('cert-dir', `${'/etc/kubernetes/static-pod-resources'}/kube-apiserver-certs`),
      ],
    },
    { app: 'openshift-kube-apiserver', apiserver: 'true' },
  );
}

/** kube-controller-manager or kube-scheduler: an idle stand-in with the real pod's name, namespace and revision dir. */
export function idlePod(which: 'kube-controller-manager' | 'kube-scheduler', c: PodContext): string {
  const ns = which === 'kube-scheduler' ? 'openshift-kube-scheduler' : 'openshift-kube-controller-manager';
  return pod(
    which === 'kube-scheduler' ? 'openshift-kube-scheduler' : 'kube-controller-manager',
    ns,
    c.revision,
    {
      containers: [
        {
          ...idle(which, OPERATOR_IMAGE, `${which} (the lab has no workloads)`),
          volumeMounts: [mount('resource-dir', '/etc/kubernetes/static-pod-resources')],
        },
      ],
      terminationGracePeriodSeconds: 10,
      volumes: [hostPath('resource-dir', revisionDir(which, c.revision))],
    },
    { app: which, [which === 'kube-scheduler' ? 'scheduler' : 'kube-controller-manager']: 'true' },
  );
}

/**
 * keepalived.yaml as the machine-config operator writes it on on-premise (bare metal) masters: the API and ingress
 * VIPs' keepalived and its monitor; not an operator revision. Idle stand-ins: the lab's masters share one loopback
 * and have no VIP.
 */
export function keepalivedPod(): string {
  return JSON.stringify({
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'keepalived', namespace: 'openshift-kni-infra', creationTimestamp: null, labels: { app: 'kni-infra-vrrp' } },
    spec: {
      containers: [
        idle('keepalived', OPERATOR_IMAGE, 'keepalived holding the API and ingress VIPs'),
        idle('keepalived-monitor', OPERATOR_IMAGE, 'baremetal-runtimecfg keepalived monitor'),
      ],
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      tolerations: [{ operator: 'Exists' }],
      terminationGracePeriodSeconds: 10,
    },
    status: {},
  });
}

/** The manifest of one static pod at a revision. */
export function staticPod(which: StaticPodName, c: PodContext): string {
  if (which === 'etcd') return etcdPod(c);
  if (which === 'kube-apiserver') return kubeApiserverPod(c);
  return idlePod(which, c);
}
