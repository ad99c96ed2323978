// A tiny kubelet for static pods: `node --import tsx static-pod-agent.ts <manifestDir> <stateDir>`.
// Every ~300 ms it reads the non-hidden regular files in <manifestDir> (sub-directories and dot-files are
// ignored, as kubelet does), runs container[0] `command + args` of each Pod manifest as a process in its
// own process group, stops it (SIGTERM, SIGKILL after the grace period) when the file disappears,
// restarts it when the file's content changes or the process exits (with backoff). Logs go to
// <stateDir>/pods/<namespace>_<name>/<container>.log; <stateDir>/pods.json lists what runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface PodSpec { namespace: string; name: string; container: string; argv: string[];
  env: Record<string, string>; cwd: string | undefined; graceMs: number }
interface Desired { hash: string; spec: PodSpec | undefined }
interface Running { child: ChildProcess; hash: string; graceMs: number; startedAt: number; exited: boolean; terminating: boolean }
interface Pod { desired: Desired | undefined; proc: Running | undefined; backoffMs: number; nextStart: number; restarts: number }

const [manifestDir, stateDir] = process.argv.slice(2);
if (!manifestDir || !stateDir) throw new Error('usage: static-pod-agent <manifestDir> <stateDir>');
const pods = new Map<string, Pod>();
const log = (msg: string): void => console.log(`${new Date().toISOString()} ${msg}`);

/** Reads one manifest into the container to run, or undefined (logged) when it is not a usable Pod. */
function parsePod(file: string, text: string): PodSpec | undefined {
  try {
    const doc = parse(text) as { kind?: string; metadata?: { name?: string; namespace?: string };
      spec?: { terminationGracePeriodSeconds?: number; containers?: { name?: string; command?: string[];
        args?: string[]; env?: { name: string; value?: string }[]; workingDir?: string }[] } } | null;
    const c = doc?.spec?.containers?.[0];
    const argv = [...(c?.command ?? []), ...(c?.args ?? [])];
    if (doc?.kind !== 'Pod' || !doc.metadata?.name || !c || argv.length === 0) throw new Error('not a Pod with a container command');
    return { namespace: doc.metadata.namespace ?? 'default', name: doc.metadata.name, container: c.name ?? 'main', argv,
      env: Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? ''])), cwd: c.workingDir,
      graceMs: (doc.spec?.terminationGracePeriodSeconds ?? 30) * 1000 };
  } catch (e) {
    log(`${file}: ignored: ${(e as Error).message.split('\n')[0] ?? ''}`);
    return undefined;
  }
}

/** What the directory asks for now: file name -> content hash and parsed spec (re-parsed only on change). */
function scan(): Map<string, Desired> {
  const found = new Map<string, Desired>();
  let entries: import('node:fs').Dirent[] = [];
  try { entries = readdirSync(manifestDir!, { withFileTypes: true }); } catch { return found; }
  for (const e of entries) {
    if (e.name.startsWith('.') || !e.isFile()) continue;
    let text: string;
    try { text = readFileSync(join(manifestDir!, e.name), 'utf8'); } catch { continue; } // moved away meanwhile
    const hash = createHash('sha256').update(text).digest('hex');
    const known = pods.get(e.name)?.desired;
    found.set(e.name, known?.hash === hash ? known : { hash, spec: parsePod(e.name, text) });
  }
  return found;
}

function start(file: string, pod: Pod, d: Desired & { spec: PodSpec }): void {
  const { spec } = d;
  const dir = join(stateDir!, 'pods', `${spec.namespace}_${spec.name}`);
  mkdirSync(dir, { recursive: true });
  const out = openSync(join(dir, `${spec.container}.log`), 'a');
  const [cmd, ...args] = spec.argv as [string, ...string[]];
  const child = spawn(cmd, args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const proc: Running = { child, hash: d.hash, graceMs: spec.graceMs, startedAt: Date.now(), exited: false, terminating: false };
  pod.proc = proc;
  log(`${file}: started ${spec.namespace}/${spec.name} pid ${child.pid ?? '?'}: ${spec.argv.join(' ')}`);
  const onExit = (why: string): void => {
    if (proc.exited) return;
    proc.exited = true;
    log(`${file}: ${spec.name} pid ${child.pid ?? '?'} ${why}`);
    if (proc.terminating) { pod.backoffMs = 500; pod.nextStart = 0; return; }
    if (Date.now() - proc.startedAt > 10_000) pod.backoffMs = 500;
    pod.nextStart = Date.now() + pod.backoffMs;
    pod.backoffMs = Math.min(pod.backoffMs * 2, 10_000);
    pod.restarts += 1;
    writeState();
  };
  child.on('error', (err) => onExit(`could not start: ${err.message}`));
  child.on('exit', (code, signal) => onExit(`exited (${signal ?? code})`));
  writeState();
}

/** SIGTERM to the pod's process group now, SIGKILL when it outlives its grace period. */
function terminate(file: string, proc: Running): void {
  if (proc.terminating || proc.exited) return;
  proc.terminating = true;
  const pid = proc.child.pid;
  if (pid === undefined) return;
  log(`${file}: stopping pid ${pid}`);
  const signal = (sig: NodeJS.Signals): void => { try { process.kill(-pid, sig); } catch { /* already gone */ } };
  signal('SIGTERM');
  setTimeout(() => { if (!proc.exited) { log(`${file}: pid ${pid} ignored SIGTERM, killing`); signal('SIGKILL'); } }, proc.graceMs).unref();
}

function reconcile(): void {
  const desired = scan();
  for (const file of new Set([...pods.keys(), ...desired.keys()])) {
    const pod = pods.get(file) ?? { desired: undefined, proc: undefined, backoffMs: 500, nextStart: 0, restarts: 0 };
    pods.set(file, pod);
    pod.desired = desired.get(file);
    const live = pod.proc && !pod.proc.exited ? pod.proc : undefined;
    if (live && live.hash !== pod.desired?.hash) terminate(file, live);
    if (live) continue;
    if (!pod.desired) { pods.delete(file); writeState(); continue; }
    const spec = pod.desired.spec;
    if (spec && Date.now() >= pod.nextStart) start(file, pod, { ...pod.desired, spec });
  }
}

/** Publishes the running pods (file, pod, pid, restarts) for `lab:status` and tests. */
function writeState(): void {
  const list = [...pods].filter(([, p]) => p.proc && !p.proc.exited).map(([file, p]) => ({
    file, pod: p.desired?.spec?.name, pid: p.proc?.child.pid, startedAt: p.proc?.startedAt, restarts: p.restarts }));
  const tmp = join(stateDir!, '.pods.json.tmp');
  writeFileSync(tmp, JSON.stringify(list, null, 2));
  renameSync(tmp, join(stateDir!, 'pods.json'));
}

function shutdown(): void {
  log('agent stopping: terminating all pods');
  clearInterval(timer);
  for (const [file, pod] of pods) if (pod.proc) terminate(file, pod.proc);
  const check = setInterval(() => {
    if ([...pods.values()].every((p) => !p.proc || p.proc.exited)) { clearInterval(check); writeState(); process.exit(0); }
  }, 100);
}

mkdirSync(stateDir, { recursive: true });
log(`agent watching ${manifestDir}`);
const timer = setInterval(reconcile, 300);
reconcile();
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
