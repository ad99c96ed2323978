// The lab's stand-in for the OpenShift control-plane operators and their API, as one process:
//   node-level: `node --import tsx test/lab/openshift/operators.ts <cluster.json>`
// It serves the API objects `oc` reads and changes (operators, cluster operators, CSRs, nodes, pods) as JSON on
// 127.0.0.1:<apiPort>, and every half second acts as the operators do, from their documented behaviour:
//   - static-pod operators (etcd, kube-apiserver, kube-controller-manager, kube-scheduler): a new
//     spec.forceRedeploymentReason makes a new revision (static-pod-resources/<name>-pod-<N> on every master); the
//     installer then puts it on the masters one at a time (manifest into /etc/kubernetes/manifests, only on a master
//     whose kubelet runs) and moves on once that master runs it and it is ready; NodeInstallerProgressing says how
//     many masters are at which revision, AllNodesAtLatestRevision when all are;
//   - the etcd cluster member controller: a master that has an etcd pod but is not a member is added as a learner,
//     one at a time and only while every member is started and healthy; a started learner is promoted;
//     EtcdMembersAvailable says how many members are healthy;
//   - a kubelet that restarts asks for a new serving certificate: a Pending CSR that someone must approve.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent, request } from 'node:https';
import {
  approve,
  isPending,
  newClusterOperator,
  newCsr,
  newOperator,
  OPERATORS,
  setCondition,
  timestamp,
  type ClusterOperator,
  type Csr,
  type NodeObject,
  type StaticPodOperator,
} from './api-objects.js';
import { CONTAINERS, MANIFESTS, STATIC_PODS, manifestFile, type StaticPodName } from './layout.js';
import { installRevision, onMachine, writeRevision, type LabNode, type RevisionInputs } from './revisions.js';

/** What the lab tells the operator process about its cluster (written by the OpenShift shape's bring-up). */
export interface ClusterConfig {
  apiPort: number;
  nodes: LabNode[];
  inputs: RevisionInputs;
  /** Where the API state is kept between restarts of this process. */
  stateFile: string;
  /** The revision every master runs at bring-up, per static pod. */
  initialRevisions: Record<StaticPodName, number>;
}

interface Installing {
  node: string;
  revision: number;
  hash: string;
  since: number;
}
interface State {
  operators: Record<StaticPodName, StaticPodOperator>;
  clusterOperators: Record<string, ClusterOperator>;
  csrs: Csr[];
  nodes: NodeObject[];
  lab: {
    observedReason: Record<string, string>;
    installing: Record<string, Installing | undefined>;
    kubeletRestarts: Record<string, number>;
  };
}
interface EtcdMember {
  ID?: string;
  name?: string;
  peerURLs?: string[];
  clientURLs?: string[];
  isLearner?: boolean;
}
interface KubeletEntry {
  file: string;
  hash?: string;
  container: string;
  state: string;
  pid?: number;
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as ClusterConfig;
const log = (msg: string): void => console.log(`${new Date().toISOString()} ${msg}`);
const etcdAgent = new Agent({
  ca: readFileSync(config.inputs.ca),
  cert: readFileSync(config.inputs.clientCert),
  key: readFileSync(config.inputs.clientKey),
  keepAlive: false,
});
const nodeNames = config.nodes.map((n) => n.name);
const peerUrl = (n: LabNode): string => `https://${n.ip}:2380`;
const clientUrl = (n: LabNode): string => `https://${n.ip}:2379`;

function initialState(): State {
  const operators = Object.fromEntries(STATIC_PODS.map((p) => [p, newOperator(p, nodeNames, config.initialRevisions[p])])) as Record<
    StaticPodName,
    StaticPodOperator
  >;
  return {
    operators,
    clusterOperators: Object.fromEntries(
      STATIC_PODS.map((p) => [OPERATORS[p].clusterOperator, newClusterOperator(OPERATORS[p].clusterOperator)]),
    ),
    csrs: [],
    nodes: config.nodes.map((n) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: n.name,
        creationTimestamp: timestamp(),
        labels: { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': n.name },
      },
      status: {
        conditions: [],
        addresses: [
          { type: 'InternalIP', address: n.ip },
          { type: 'Hostname', address: n.name },
        ],
        nodeInfo: { kubeletVersion: 'v1.27.0-lab' },
      },
    })),
    lab: { observedReason: Object.fromEntries(STATIC_PODS.map((p) => [p, ''])), installing: {}, kubeletRestarts: {} },
  };
}

function loadState(): State {
  try {
    return JSON.parse(readFileSync(config.stateFile, 'utf8')) as State;
  } catch {
    return initialState();
  }
}

const state = loadState();
let dirty = true;
const changed = (c = true): void => {
  if (c) dirty = true;
};

function save(): void {
  if (!dirty) return;
  const tmp = `${config.stateFile}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, config.stateFile);
  dirty = false;
}

// ---------------------------------------------------------------------------------------------------------------
// What the masters run

function kubelet(n: LabNode): { alive: boolean; restarts: number } {
  try {
    const k = JSON.parse(readFileSync(`${n.kubeletState}/kubelet.json`, 'utf8')) as { pid: number; restarts: number };
    process.kill(k.pid, 0);
    return { alive: true, restarts: k.restarts };
  } catch {
    return { alive: false, restarts: 0 };
  }
}

function containers(n: LabNode): KubeletEntry[] {
  try {
    return JSON.parse(readFileSync(`${n.kubeletState}/pods.json`, 'utf8')) as KubeletEntry[];
  } catch {
    return [];
  }
}

function runs(n: LabNode, file: string, container: string, hash?: string): boolean {
  return containers(n).some(
    (e) =>
      e.file === file &&
      e.container === container &&
      e.state === 'running' &&
      e.pid !== undefined &&
      (hash === undefined || e.hash === hash) &&
      (() => {
        try {
          process.kill(e.pid, 0);
          return true;
        } catch {
          return false;
        }
      })(),
  );
}

function call(url: string, path: string, body?: unknown, timeoutMs = 2000): Promise<{ status: number; json: unknown }> {
  const target = new URL(path, url);
  const send = target.protocol === 'https:' ? request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: body === undefined ? 'GET' : 'POST', timeout: timeoutMs, ...(target.protocol === 'https:' ? { agent: etcdAgent } : {}) },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          let json: unknown = text;
          try {
            json = JSON.parse(text);
          } catch {
            /* text */
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${target.href}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function etcdHealthy(n: LabNode): Promise<boolean> {
  try {
    const r = await call(clientUrl(n), '/health');
    return r.status === 200 && JSON.stringify(r.json).includes('"true"');
  } catch {
    return false;
  }
}

async function apiserverReady(n: LabNode): Promise<boolean> {
  try {
    return (await call(`http://${n.ip}:6443`, '/readyz')).status === 200;
  } catch {
    return false;
  }
}

/** The node's static pod runs the manifest with this hash and is ready. */
async function podReady(pod: StaticPodName, n: LabNode, hash: string): Promise<boolean> {
  const file = manifestFile(pod);
  const main = pod === 'etcd' ? 'etcd' : (CONTAINERS[pod][0] ?? pod);
  if (!runs(n, file, main, hash)) return false;
  if (pod === 'etcd') return etcdHealthy(n);
  if (pod === 'kube-apiserver') return apiserverReady(n);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Controllers

function nodeController(): void {
  for (const n of config.nodes) {
    const k = kubelet(n);
    const obj = state.nodes.find((x) => x.metadata.name === n.name);
    if (obj)
      changed(
        setCondition(
          obj.status.conditions,
          k.alive
            ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
            : { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' },
        ),
      );
    const seen = state.lab.kubeletRestarts[n.name];
    if (seen === undefined) {
      state.lab.kubeletRestarts[n.name] = k.restarts;
      changed();
      continue;
    }
    if (k.restarts > seen) {
      state.lab.kubeletRestarts[n.name] = k.restarts;
      const csr = newCsr(n.name, 'kubernetes.io/kubelet-serving');
      state.csrs.push(csr);
      log(`kubelet on ${n.name} restarted: ${csr.metadata.name} (${csr.spec.signerName}) is Pending`);
      changed();
    }
  }
}

async function memberController(): Promise<void> {
  const op = state.operators.etcd;
  let members: EtcdMember[] | undefined;
  let via: LabNode | undefined;
  for (const n of config.nodes) {
    try {
      const r = await call(clientUrl(n), '/v3/cluster/member/list', {});
      if (r.status === 200) {
        members = (r.json as { members?: EtcdMember[] }).members ?? [];
        via = n;
        break;
      }
    } catch {
      /* next */
    }
  }
  if (!members || !via) {
    changed(
      setCondition(op.status.conditions, {
        type: 'EtcdMembersAvailable',
        status: 'False',
        reason: 'NoQuorum',
        message: 'No etcd member is reachable',
      }),
    );
    changed(
      setCondition(op.status.conditions, {
        type: 'EtcdMembersDegraded',
        status: 'True',
        reason: 'NoQuorum',
        message: 'No etcd member is reachable',
      }),
    );
    return;
  }
  const byPeer = (m: EtcdMember): LabNode | undefined => config.nodes.find((n) => m.peerURLs?.includes(peerUrl(n)));
  const health = await Promise.all(
    members.map(async (m) => {
      const n = byPeer(m);
      return n !== undefined && Boolean(m.name) && (await etcdHealthy(n));
    }),
  );
  const voting = members.filter((m) => !m.isLearner);
  const healthyVoting = voting.filter((m) => health[members!.indexOf(m)]).length;
  const unhealthy = members.filter((_, i) => !health[i]).map((m) => m.name || byPeer(m)?.name || (m.peerURLs ?? []).join(','));
  changed(
    setCondition(
      op.status.conditions,
      healthyVoting === voting.length
        ? { type: 'EtcdMembersAvailable', status: 'True', reason: 'EtcdQuorate', message: `${healthyVoting} members are available` }
        : {
            type: 'EtcdMembersAvailable',
            status: 'True',
            reason: 'EtcdQuorate',
            message: `${healthyVoting} of ${voting.length} members are available, ${unhealthy.join(', ')} ${unhealthy.length === 1 ? 'is' : 'are'} unhealthy`,
          },
    ),
  );
  changed(
    setCondition(
      op.status.conditions,
      unhealthy.length === 0
        ? { type: 'EtcdMembersDegraded', status: 'False', reason: 'AsExpected', message: 'No unhealthy members found' }
        : {
            type: 'EtcdMembersDegraded',
            status: 'True',
            reason: 'UnhealthyMembers',
            message: `${unhealthy.join(', ')} ${unhealthy.length === 1 ? 'is' : 'are'} unhealthy`,
          },
    ),
  );
  const learners = members.filter((m) => m.isLearner);
  changed(
    setCondition(
      op.status.conditions,
      learners.length
        ? {
            type: 'EtcdMembersProgressing',
            status: 'True',
            reason: 'MembersNotStarted',
            message: `${learners.map((m) => byPeer(m)?.name ?? m.ID).join(', ')} joining as learner`,
          }
        : { type: 'EtcdMembersProgressing', status: 'False', reason: 'AsExpected', message: 'No unstarted etcd members found' },
    ),
  );
  for (const m of learners) {
    if (!m.name || !m.ID) continue;
    try {
      const r = await call(clientUrl(via), '/v3/cluster/member/promote', { ID: m.ID });
      if (r.status === 200) {
        log(`etcd: promoted learner ${m.name} (${m.ID})`);
        changed();
      }
    } catch {
      /* not in sync yet: next time */
    }
  }
  if (learners.length > 0 || members.some((m, i) => !m.name || !health[i])) return; // one at a time, only on a healthy cluster
  for (const n of config.nodes) {
    if (members.some((m) => m.peerURLs?.includes(peerUrl(n)))) continue;
    let manifest = '';
    try {
      manifest = readFileSync(onMachine(n, `${MANIFESTS}/${manifestFile('etcd')}`), 'utf8');
    } catch {
      continue;
    }
    if (!manifest.includes('discover-etcd-initial-cluster')) continue; // no etcd pod (or the restore pod) there
    try {
      const r = await call(clientUrl(via), '/v3/cluster/member/add', { peerURLs: [peerUrl(n)], isLearner: true });
      log(`etcd: member add --learner ${peerUrl(n)} (${n.name}): HTTP ${r.status}`);
      changed();
    } catch (e) {
      log(`etcd: member add ${peerUrl(n)} failed: ${(e as Error).message}`);
    }
    return;
  }
}

function revisionsMessage(op: StaticPodOperator): string {
  const by = new Map<number, number>();
  for (const s of op.status.nodeStatuses) by.set(s.currentRevision, (by.get(s.currentRevision) ?? 0) + 1);
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([rev, count]) => `${count} node${count === 1 ? ' is' : 's are'} at revision ${rev}`)
    .join('; ');
}

async function staticPodController(pod: StaticPodName): Promise<void> {
  const op = state.operators[pod];
  const reason = op.spec.forceRedeploymentReason ?? '';
  if (reason !== (state.lab.observedReason[pod] ?? '')) {
    const revision = op.status.latestAvailableRevision + 1;
    for (const n of config.nodes) await writeRevision(pod, n, revision, reason, config.inputs);
    op.status.latestAvailableRevision = revision;
    state.lab.observedReason[pod] = reason;
    log(`${pod}: revision ${revision} created (forceRedeploymentReason ${JSON.stringify(reason)})`);
    changed();
  }
  const latest = op.status.latestAvailableRevision;
  const installing = state.lab.installing[pod];
  if (installing) {
    const n = config.nodes.find((x) => x.name === installing.node);
    const status = op.status.nodeStatuses.find((s) => s.nodeName === installing.node);
    if (n && status && (await podReady(pod, n, installing.hash))) {
      status.currentRevision = installing.revision;
      delete status.targetRevision;
      state.lab.installing[pod] = undefined;
      log(`${pod}: ${n.name} is at revision ${installing.revision}`);
      changed();
    } else if (Date.now() - installing.since > 180_000) {
      changed(
        setCondition(op.status.conditions, {
          type: 'NodeInstallerDegraded',
          status: 'True',
          reason: 'InstallerPodNotReady',
          message: `${pod} revision ${installing.revision} on ${installing.node} not ready after ${Math.round((Date.now() - installing.since) / 1000)} s`,
        }),
      );
    }
  } else {
    const next = op.status.nodeStatuses.find(
      (s) => s.currentRevision < latest && config.nodes.some((n) => n.name === s.nodeName && kubelet(n).alive),
    );
    const n = config.nodes.find((x) => x.name === next?.nodeName);
    if (next && n) {
      const hash = await installRevision(pod, n, latest, config.inputs);
      next.targetRevision = latest;
      state.lab.installing[pod] = { node: n.name, revision: latest, hash, since: Date.now() };
      log(`${pod}: installing revision ${latest} on ${n.name}`);
      changed();
    }
  }
  if (!state.lab.installing[pod])
    changed(setCondition(op.status.conditions, { type: 'NodeInstallerDegraded', status: 'False', reason: 'AsExpected', message: '' }));
  const atLatest = op.status.nodeStatuses.every((s) => s.currentRevision === latest);
  changed(
    setCondition(
      op.status.conditions,
      atLatest
        ? { type: 'NodeInstallerProgressing', status: 'False', reason: 'AllNodesAtLatestRevision', message: revisionsMessage(op) }
        : { type: 'NodeInstallerProgressing', status: 'True', reason: 'NodeInstaller', message: revisionsMessage(op) },
    ),
  );
  const ready = await Promise.all(config.nodes.map((n) => podReadyAnyRevision(pod, n)));
  const readyCount = ready.filter(Boolean).length;
  if (op.status.readyReplicas !== readyCount) {
    op.status.readyReplicas = readyCount;
    changed();
  }
  const co = state.clusterOperators[OPERATORS[pod].clusterOperator];
  if (!co) return;
  const degraded = op.status.conditions.find(
    (c) => (c.type === 'EtcdMembersDegraded' || c.type === 'NodeInstallerDegraded') && c.status === 'True',
  );
  changed(
    setCondition(
      co.status.conditions,
      readyCount > 0
        ? {
            type: 'Available',
            status: 'True',
            reason: 'AsExpected',
            message: `StaticPodsAvailable: ${readyCount} nodes are active; ${revisionsMessage(op)}`,
          }
        : { type: 'Available', status: 'False', reason: 'StaticPods_ZeroNodesActive', message: 'StaticPodsAvailable: 0 nodes are active' },
    ),
  );
  changed(
    setCondition(
      co.status.conditions,
      atLatest
        ? { type: 'Progressing', status: 'False', reason: 'AsExpected', message: `NodeInstallerProgressing: ${revisionsMessage(op)}` }
        : { type: 'Progressing', status: 'True', reason: 'NodeInstaller', message: `NodeInstallerProgressing: ${revisionsMessage(op)}` },
    ),
  );
  changed(
    setCondition(
      co.status.conditions,
      degraded
        ? {
            type: 'Degraded',
            status: 'True',
            reason: degraded.reason ?? 'Degraded',
            message: `${degraded.type}: ${degraded.message ?? ''}`,
          }
        : { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '' },
    ),
  );
}

/** The node runs some revision of the pod and it is ready (for Available). */
async function podReadyAnyRevision(pod: StaticPodName, n: LabNode): Promise<boolean> {
  const main = pod === 'etcd' ? 'etcd' : (CONTAINERS[pod][0] ?? pod);
  if (!runs(n, manifestFile(pod), main)) return false;
  if (pod === 'etcd') return etcdHealthy(n);
  if (pod === 'kube-apiserver') return apiserverReady(n);
  return true;
}

let busy = false;
async function tick(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    nodeController();
    await memberController();
    for (const pod of STATIC_PODS) await staticPodController(pod);
    save();
  } catch (e) {
    log(`controller error: ${(e as Error).stack ?? String(e)}`);
  } finally {
    busy = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The API

function list(resource: string, query: URLSearchParams): unknown[] | undefined {
  switch (resource) {
    case 'etcds':
    case 'kubeapiservers':
    case 'kubecontrollermanagers':
    case 'kubeschedulers':
      return STATIC_PODS.filter((p) => OPERATORS[p].resource === resource).map((p) => state.operators[p]);
    case 'clusteroperators':
      return Object.values(state.clusterOperators);
    case 'certificatesigningrequests':
      return state.csrs;
    case 'nodes':
      return state.nodes;
    case 'pods':
      return pods(query.get('namespace') ?? '');
    default:
      return undefined;
  }
}

/** Static pods as mirror pods: <name>-<node> in the pod's namespace, READY n/m from the lab kubelet. */
function pods(namespace: string): unknown[] {
  return config.nodes.flatMap((n) => {
    const entries = containers(n).filter((e) => !('init' in e && (e as { init?: boolean }).init));
    const files = [...new Set(entries.map((e) => e.file))];
    return files.flatMap((file) => {
      const mine = entries.filter((e) => e.file === file) as (KubeletEntry & { pod: string; namespace: string; restarts?: number })[];
      const first = mine[0];
      if (!first || (namespace && first.namespace !== namespace)) return [];
      const running = mine.filter((e) => e.state === 'running').length;
      return [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${first.pod}-${n.name}`, namespace: first.namespace, labels: podLabels(first.pod) },
          spec: { nodeName: n.name, containers: mine.map((e) => ({ name: e.container })) },
          status: {
            phase: running > 0 ? 'Running' : 'Pending',
            containerStatuses: mine.map((e) => ({ name: e.container, ready: e.state === 'running', restartCount: e.restarts ?? 0 })),
          },
        },
      ];
    });
  });
}

function podLabels(pod: string): Record<string, string> {
  if (pod === 'etcd') return { app: 'etcd', 'k8s-app': 'etcd', etcd: 'true' };
  if (pod === 'kube-apiserver') return { app: 'openshift-kube-apiserver', apiserver: 'true' };
  return { app: pod };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** RFC 7386 merge patch. */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof target[k] === 'object' && target[k] !== null && !Array.isArray(target[k]))
      merge(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = v;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://lab');
  const [, api, resource = '', name, sub] = url.pathname.split('/');
  if (api !== 'api') {
    send(res, 404, { message: 'not found' });
    return;
  }
  const items = list(resource, url.searchParams);
  if (!items) {
    send(res, 404, { reason: 'NoResourceType', message: `the server doesn't have a resource type "${resource}"` });
    return;
  }
  const obj =
    name === undefined
      ? undefined
      : (items.find((x) => (x as { metadata: { name: string } }).metadata.name === name) as Record<string, unknown> | undefined);
  if (name !== undefined && !obj) {
    send(res, 404, { reason: 'NotFound', message: `${resource} "${name}" not found` });
    return;
  }
  if (req.method === 'GET') {
    send(res, 200, obj ?? { apiVersion: 'v1', kind: 'List', items });
    return;
  }
  if (req.method === 'PATCH' && obj && resource !== 'pods' && resource !== 'nodes') {
    let patch: unknown;
    try {
      patch = JSON.parse(await readBody(req));
    } catch (e) {
      send(res, 400, { reason: 'BadRequest', message: `invalid patch: ${(e as Error).message}` });
      return;
    }
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      send(res, 400, { reason: 'BadRequest', message: 'the patch is not a JSON object' });
      return;
    }
    const before = JSON.stringify(obj);
    const { status: _ignored, ...allowed } = patch as Record<string, unknown>;
    merge(obj, allowed);
    const didChange = JSON.stringify(obj) !== before;
    if (didChange && typeof obj['metadata'] === 'object')
      (obj['metadata'] as { generation?: number }).generation = ((obj['metadata'] as { generation?: number }).generation ?? 1) + 1;
    if (didChange) {
      log(`PATCH ${resource}/${name ?? ''}: ${JSON.stringify(allowed)}`);
      changed();
      save();
      void tick();
    }
    send(res, 200, { object: obj, changed: didChange });
    return;
  }
  if (req.method === 'POST' && resource === 'certificatesigningrequests' && obj && sub === 'approval') {
    const did = approve(obj as unknown as Csr);
    if (did) {
      log(`CSR ${name ?? ''} approved`);
      changed();
      save();
    }
    send(res, 200, { object: obj, changed: did });
    return;
  }
  send(res, 405, { reason: 'MethodNotAllowed', message: `${req.method ?? ''} is not allowed on ${url.pathname}` });
}

const server = createServer((req, res) => {
  handle(req, res).catch((e: unknown) => send(res, 500, { message: (e as Error).message }));
});
server.listen(config.apiPort, '127.0.0.1', () =>
  log(
    `operators and API on http://127.0.0.1:${config.apiPort} for ${nodeNames.join(', ')}; pending CSRs: ${state.csrs.filter(isPending).length}`,
  ),
);
const timer = setInterval(() => void tick(), 500);
void tick();
const stop = (): void => {
  clearInterval(timer);
  save();
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
