// A tiny kubelet for static pods: `node --import tsx static-pod-agent.ts <manifestDir> <stateDir> [--images DIR]`.
// Every ~300 ms it reads the non-hidden regular files in <manifestDir> (sub-directories and dot-files are ignored,
// as kubelet does) as Pod manifests (YAML or JSON), and for each one runs its init containers one after the other to
// completion, then all its containers, each as a process in its own process group (in its own mount namespace when
// it mounts a hostPath elsewhere). A container that exits is restarted (with backoff); when the file's content
// changes or it disappears, every container is stopped (SIGTERM, SIGKILL after the grace period) before the new
// content runs. SIGHUP is a kubelet restart: the containers keep running, the manifests are read again at once.
// Logs go to <stateDir>/pods/<namespace>_<name>/<container>.log; <stateDir>/pods.json lists every container
// (running or exited; `hash` is the SHA-256 of the manifest it runs); <stateDir>/kubelet.json says since when this "kubelet" runs and how often it restarted.
// The node's name and IP (for fieldRefs) come from LAB_NODE_NAME / LAB_NODE_IP.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerEnv, launchArgv, readImages } from './container-launch.js';
import { parsePodSpec, type ContainerSpec, type PodSpec } from './pod-spec.js';

interface Proc {
  child: ChildProcess;
  startedAt: number;
  exited: boolean;
  terminating: boolean;
}
interface Ctr {
  spec: ContainerSpec;
  init: boolean;
  id: string;
  proc: Proc | undefined;
  restarts: number;
  backoffMs: number;
  nextStart: number;
  last: { code: number | null; signal: string | null; startedAt: number; finishedAt: number } | undefined;
}
interface Pod {
  hash: string;
  spec: PodSpec;
  /** Index of the init container to run next; init.length once they all succeeded. */
  initDone: number;
  ctrs: Map<string, Ctr>;
  stopping: boolean;
}
interface Desired {
  hash: string;
  spec: PodSpec | undefined;
}

const args = process.argv.slice(2);
const [manifestDir, stateDir] = args;
if (!manifestDir || !stateDir) throw new Error('usage: static-pod-agent <manifestDir> <stateDir> [--images DIR]');
const imagesDir = args.includes('--images') ? args[args.indexOf('--images') + 1] : undefined;
const node = { name: process.env['LAB_NODE_NAME'] ?? '', ip: process.env['LAB_NODE_IP'] ?? '127.0.0.1' };
const pods = new Map<string, Pod>();
const parsed = new Map<string, Desired>();
const kubelet = { pid: process.pid, startedAt: Date.now(), restartedAt: Date.now(), restarts: 0 };
const log = (msg: string): void => console.log(`${new Date().toISOString()} ${msg}`);

/** What the directory asks for now: file name -> content hash and parsed spec (re-parsed only on change). */
function scan(): Map<string, Desired> {
  const found = new Map<string, Desired>();
  let entries: import('node:fs').Dirent[] = [];
  try {
    entries = readdirSync(manifestDir!, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || !e.isFile()) continue;
    let text: string;
    try {
      text = readFileSync(join(manifestDir!, e.name), 'utf8');
    } catch {
      continue;
    } // moved away meanwhile
    const hash = createHash('sha256').update(text).digest('hex');
    const known = parsed.get(e.name);
    if (known?.hash === hash) {
      found.set(e.name, known);
      continue;
    }
    let spec: PodSpec | undefined;
    try {
      spec = parsePodSpec(text, e.name, node);
    } catch (err) {
      log(`${e.name}: ignored: ${(err as Error).message.split('\n')[0] ?? ''}`);
    }
    const d = { hash, spec };
    parsed.set(e.name, d);
    found.set(e.name, d);
  }
  for (const f of parsed.keys()) if (!found.has(f)) parsed.delete(f);
  return found;
}

function newCtr(spec: ContainerSpec, init: boolean): Ctr {
  return { spec, init, id: '', proc: undefined, restarts: 0, backoffMs: 500, nextStart: 0, last: undefined };
}

function start(file: string, pod: Pod, ctr: Ctr): void {
  const dir = join(stateDir!, 'pods', `${pod.spec.namespace}_${pod.spec.name}`);
  mkdirSync(dir, { recursive: true });
  const out = openSync(join(dir, `${ctr.spec.name}.log`), 'a');
  const argv = launchArgv(ctr.spec);
  const [cmd, ...rest] = argv as [string, ...string[]];
  const env = containerEnv(ctr.spec, process.env, readImages(imagesDir));
  const child = spawn(cmd, rest, { cwd: ctr.spec.cwd, env, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const proc: Proc = { child, startedAt: Date.now(), exited: false, terminating: false };
  ctr.proc = proc;
  ctr.id = randomBytes(32).toString('hex');
  log(
    `${file}: started ${pod.spec.namespace}/${pod.spec.name} ${ctr.init ? 'init container' : 'container'} ${ctr.spec.name} pid ${child.pid ?? '?'}: ${ctr.spec.argv.join(' ').slice(0, 300)}`,
  );
  const onExit = (code: number | null, signal: string | null, why: string): void => {
    if (proc.exited) return;
    proc.exited = true;
    ctr.last = { code, signal, startedAt: proc.startedAt, finishedAt: Date.now() };
    log(`${file}: ${ctr.spec.name} pid ${child.pid ?? '?'} ${why}`);
    if (proc.terminating) {
      ctr.backoffMs = 500;
      ctr.nextStart = 0;
      writeState();
      return;
    }
    if (ctr.init && code === 0) {
      pod.initDone += 1;
      ctr.backoffMs = 500;
      ctr.nextStart = 0;
      writeState();
      return;
    }
    if (Date.now() - proc.startedAt > 10_000) ctr.backoffMs = 500;
    ctr.nextStart = Date.now() + ctr.backoffMs;
    ctr.backoffMs = Math.min(ctr.backoffMs * 2, 10_000);
    ctr.restarts += 1;
    writeState();
  };
  child.on('error', (err) => onExit(null, null, `could not start: ${err.message}`));
  child.on('exit', (code, signal) => onExit(code, signal, `exited (${signal ?? code})`));
  writeState();
}

/** SIGTERM to the container's process group now, SIGKILL when it outlives the pod's grace period. */
function terminate(file: string, name: string, proc: Proc, graceMs: number): void {
  if (proc.terminating || proc.exited) return;
  proc.terminating = true;
  const pid = proc.child.pid;
  if (pid === undefined) return;
  log(`${file}: stopping ${name} pid ${pid}`);
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  setTimeout(() => {
    if (!proc.exited) {
      log(`${file}: ${name} pid ${pid} ignored SIGTERM, killing`);
      signal('SIGKILL');
    }
  }, graceMs).unref();
}

const running = (c: Ctr): boolean => c.proc !== undefined && !c.proc.exited;

/** Runs the next init container, or (all done) every container that is not running and is due. */
function step(file: string, pod: Pod): void {
  const now = Date.now();
  if (pod.initDone < pod.spec.init.length) {
    const spec = pod.spec.init[pod.initDone];
    if (!spec) return;
    const ctr = pod.ctrs.get(spec.name) ?? newCtr(spec, true);
    pod.ctrs.set(spec.name, ctr);
    if (!running(ctr) && now >= ctr.nextStart) start(file, pod, ctr);
    return;
  }
  for (const spec of pod.spec.containers) {
    const ctr = pod.ctrs.get(spec.name) ?? newCtr(spec, false);
    pod.ctrs.set(spec.name, ctr);
    if (!running(ctr) && now >= ctr.nextStart) start(file, pod, ctr);
  }
}

function reconcile(): void {
  const desired = scan();
  for (const file of new Set([...pods.keys(), ...desired.keys()])) {
    const want = desired.get(file);
    let pod = pods.get(file);
    if (pod && (pod.stopping || want?.hash !== pod.hash)) {
      pod.stopping = true;
      const live = [...pod.ctrs.values()].filter(running);
      for (const c of live) if (c.proc) terminate(file, c.spec.name, c.proc, pod.spec.graceMs);
      if (live.length > 0) continue;
      pods.delete(file);
      writeState();
      pod = undefined;
    }
    if (!pod && want?.spec) {
      pod = { hash: want.hash, spec: want.spec, initDone: 0, ctrs: new Map(), stopping: false };
      pods.set(file, pod);
    }
    if (pod && !pod.stopping) step(file, pod);
  }
}

/** Publishes every container (file, pod, container, id, pid while running, last exit) for crictl, `lab:status` and tests. */
function writeState(): void {
  const list = [...pods].flatMap(([file, p]) =>
    [...p.ctrs.values()].map((c) => ({
      file,
      hash: p.hash,
      pod: p.spec.name,
      namespace: p.spec.namespace,
      container: c.spec.name,
      init: c.init,
      id: c.id,
      image: c.spec.image,
      state: running(c) ? 'running' : 'exited',
      pid: running(c) ? c.proc?.child.pid : undefined,
      startedAt: running(c) ? c.proc?.startedAt : c.last?.startedAt,
      finishedAt: running(c) ? undefined : c.last?.finishedAt,
      exitCode: running(c) ? undefined : (c.last?.code ?? undefined),
      restarts: c.restarts,
    })),
  );
  const tmp = join(stateDir!, '.pods.json.tmp');
  writeFileSync(tmp, JSON.stringify(list, null, 2));
  renameSync(tmp, join(stateDir!, 'pods.json'));
  writeFileSync(join(stateDir!, '.kubelet.json.tmp'), JSON.stringify(kubelet, null, 2));
  renameSync(join(stateDir!, '.kubelet.json.tmp'), join(stateDir!, 'kubelet.json'));
}

function shutdown(): void {
  log('agent stopping: terminating all pods');
  clearInterval(timer);
  for (const [file, pod] of pods) for (const c of pod.ctrs.values()) if (c.proc) terminate(file, c.spec.name, c.proc, pod.spec.graceMs);
  const check = setInterval(() => {
    if ([...pods.values()].every((p) => ![...p.ctrs.values()].some(running))) {
      clearInterval(check);
      writeState();
      process.exit(0);
    }
  }, 100);
}

/** `systemctl restart kubelet`: the containers keep running (they belong to the container runtime), the manifests are read again. */
function restart(): void {
  kubelet.restarts += 1;
  kubelet.restartedAt = Date.now();
  parsed.clear();
  log(`kubelet restarted (${kubelet.restarts}): reading ${manifestDir} again`);
  writeState();
  reconcile();
}

mkdirSync(stateDir, { recursive: true });
log(`agent watching ${manifestDir} on node ${node.name || '?'} (${node.ip})`);
writeState();
const timer = setInterval(reconcile, 300);
reconcile();
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('SIGHUP', restart);
