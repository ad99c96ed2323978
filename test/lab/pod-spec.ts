// What the lab's static-pod agent runs for one manifest: the Pod's init containers and containers, each with its argv
// ($(VAR) references expanded as kubelet does), environment (value and the fieldRefs a static pod can use), working
// dir, image and hostPath volume mounts. Manifests may be YAML or JSON (OpenShift writes JSON into *.yaml files).
import { parse } from 'yaml';

/** The node the agent runs on: what fieldRefs such as status.podIP resolve to (static pods use the host network). */
export interface NodeInfo {
  name: string;
  ip: string;
}

/** One hostPath volume mounted into a container. */
export interface Mount {
  hostPath: string;
  mountPath: string;
  readOnly: boolean;
}

/** One container, ready to start. */
export interface ContainerSpec {
  name: string;
  image: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string | undefined;
  mounts: Mount[];
}

/** One Pod, ready to run. */
export interface PodSpec {
  namespace: string;
  name: string;
  graceMs: number;
  init: ContainerSpec[];
  containers: ContainerSpec[];
}

interface RawEnv {
  name?: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath?: string } };
}
interface RawContainer {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: RawEnv[];
  workingDir?: string;
  volumeMounts?: { name?: string; mountPath?: string; readOnly?: boolean }[];
}
interface RawPod {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: {
    terminationGracePeriodSeconds?: number;
    initContainers?: RawContainer[];
    containers?: RawContainer[];
    volumes?: { name?: string; hostPath?: { path?: string } }[];
  };
}

/** Expands `$(NAME)` from env as kubelet does: defined names only, `$$` is a literal `$`, anything else stays as written. */
export function expandRefs(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name: string | undefined) => {
    if (all === '$$') return '$';
    return name !== undefined && Object.hasOwn(env, name) ? (env[name] ?? '') : all;
  });
}

/** The value of a fieldRef a static pod may use, or undefined for one the lab does not know. */
function fieldValue(path: string, pod: { name: string; namespace: string }, node: NodeInfo): string | undefined {
  switch (path) {
    case 'status.podIP':
    case 'status.hostIP':
      return node.ip; // hostNetwork: the pod's IP is the node's
    case 'spec.nodeName':
      return node.name;
    case 'metadata.name':
      return `${pod.name}-${node.name}`; // kubelet names a static pod's mirror <name>-<node>
    case 'metadata.namespace':
      return pod.namespace;
    default:
      return undefined;
  }
}

function container(
  c: RawContainer,
  pod: { name: string; namespace: string },
  volumes: Map<string, string>,
  node: NodeInfo,
  where: string,
): ContainerSpec {
  const name = c.name ?? '';
  if (!name) throw new Error(`${where}: a container has no name`);
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (!e.name) continue;
    if (e.value !== undefined) env[e.name] = expandRefs(String(e.value), env);
    else if (e.valueFrom?.fieldRef?.fieldPath) {
      const v = fieldValue(e.valueFrom.fieldRef.fieldPath, pod, node);
      if (v === undefined)
        throw new Error(
          `${where}: container ${name}: env ${e.name}: fieldRef ${e.valueFrom.fieldRef.fieldPath} is not supported by the lab`,
        );
      env[e.name] = v;
    } else env[e.name] = '';
  }
  const argv = [...(c.command ?? []), ...(c.args ?? [])].map((a) => expandRefs(String(a), env));
  if (argv.length === 0) throw new Error(`${where}: container ${name} has no command`);
  const mounts = (c.volumeMounts ?? []).map((m) => {
    const hostPath = volumes.get(m.name ?? '');
    if (hostPath === undefined || !m.mountPath)
      throw new Error(`${where}: container ${name}: volume mount ${m.name ?? '?'} is not a hostPath volume of the pod`);
    return { hostPath, mountPath: m.mountPath.replace(/(.)\/+$/, '$1'), readOnly: m.readOnly === true };
  });
  return { name, image: c.image ?? '', argv, env, cwd: c.workingDir, mounts };
}

/** Parses a static-pod manifest (YAML or JSON) into what to run; throws saying what is wrong. */
export function parsePodSpec(text: string, where: string, node: NodeInfo): PodSpec {
  const doc = parse(text) as RawPod | null;
  if (doc?.kind !== 'Pod' || !doc.metadata?.name) throw new Error(`${where}: not a Pod with a name`);
  const pod = { name: doc.metadata.name, namespace: doc.metadata.namespace ?? 'default' };
  const volumes = new Map<string, string>();
  for (const v of doc.spec?.volumes ?? []) if (v.name && v.hostPath?.path) volumes.set(v.name, v.hostPath.path.replace(/(.)\/+$/, '$1'));
  const containers = (doc.spec?.containers ?? []).map((c) => container(c, pod, volumes, node, where));
  if (containers.length === 0) throw new Error(`${where}: the Pod has no containers`);
  const names = [...(doc.spec?.initContainers ?? []), ...(doc.spec?.containers ?? [])].map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`${where}: two containers are named ${dup}`);
  return {
    ...pod,
    graceMs: (doc.spec?.terminationGracePeriodSeconds ?? 30) * 1000,
    init: (doc.spec?.initContainers ?? []).map((c) => container(c, pod, volumes, node, where)),
    containers,
  };
}
