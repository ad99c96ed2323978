// The lab's crictl: what the container runtime of an OpenShift master would answer, from the lab kubelet's pods.json
// (LAB_KUBELET_STATE names its state dir). Subcommands and flags the recovery procedure uses:
//   crictl ps [-a] [-q] [--name REGEX] [--label KEY=VALUE]... [--state running|exited] [--pod ID] [-o table|json]
//   crictl pods [-q] [--name REGEX] [--namespace NS] [-o table|json]
//   crictl logs [--tail N] CONTAINER-ID
//   crictl inspect CONTAINER-ID
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Entry {
  file: string;
  pod: string;
  namespace: string;
  container: string;
  init: boolean;
  id: string;
  image: string;
  state: 'running' | 'exited';
  pid?: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  restarts: number;
}

const stateDir = process.env['LAB_KUBELET_STATE'] ?? '';
const node = process.env['LAB_NODE_NAME'] ?? '';

function fail(msg: string): never {
  process.stderr.write(`${msg}\n`);
  process.exit(1);
}

function entries(): Entry[] {
  try {
    return (JSON.parse(readFileSync(join(stateDir, 'pods.json'), 'utf8')) as Entry[]).filter((e) => e.id);
  } catch (e) {
    return fail(
      `validate service connection: CRI v1 runtime API is not implemented for endpoint "unix:///var/run/crio/crio.sock": ${(e as Error).message}`,
    );
  }
}

/** A running entry whose process is gone is exited (the kubelet may not have noticed yet). */
function alive(e: Entry): boolean {
  if (e.state !== 'running' || e.pid === undefined) return false;
  try {
    process.kill(e.pid, 0);
    return true;
  } catch {
    return false;
  }
}

const podName = (e: Entry): string => `${e.pod}-${node}`;
const podId = (e: Entry): string => createHash('sha256').update(`${e.namespace}/${e.pod}/${e.file}`).digest('hex');
const labels = (e: Entry): Record<string, string> => ({
  'io.kubernetes.container.name': e.container,
  'io.kubernetes.pod.name': podName(e),
  'io.kubernetes.pod.namespace': e.namespace,
});

function ago(ms: number | undefined): string {
  if (ms === undefined) return 'Unknown';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s} seconds ago`;
  if (s < 120) return 'About a minute ago';
  if (s < 3600) return `${Math.floor(s / 60)} minutes ago`;
  return `${Math.floor(s / 3600)} hours ago`;
}

function table(head: string[], rows: string[][]): string {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)) + 3);
  return `${[head, ...rows]
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(width[i] ?? 0)))
        .join('')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

interface Opts {
  all: boolean;
  quiet: boolean;
  name?: RegExp;
  labels: [string, string][];
  state?: string;
  pod?: string;
  namespace?: string;
  output: string;
  tail?: number;
  rest: string[];
}

function parseOpts(args: string[]): Opts {
  const o: Opts = { all: false, quiet: false, labels: [], output: 'table', rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const [flag, inline] =
      a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => inline ?? args[++i] ?? fail(`flag needs an argument: ${flag}`);
    switch (flag) {
      case '-a':
      case '--all':
        o.all = true;
        break;
      case '-q':
      case '--quiet':
        o.quiet = true;
        break;
      case '--name':
        o.name = new RegExp(value());
        break;
      case '--label': {
        const kv = value();
        const eq = kv.indexOf('=');
        o.labels.push([kv.slice(0, eq), kv.slice(eq + 1)]);
        break;
      }
      case '--state':
      case '-s':
        o.state = value().toLowerCase();
        break;
      case '--pod':
      case '-p':
        o.pod = value();
        break;
      case '--namespace':
        o.namespace = value();
        break;
      case '-o':
      case '--output':
        o.output = value();
        break;
      case '--tail':
        o.tail = Number(value());
        break;
      case '-r':
      case '--runtime-endpoint':
      case '-i':
      case '--image-endpoint':
        value();
        break;
      default:
        if (a.startsWith('-') && a.length > 1) fail(`flag provided but not defined: ${a}`);
        o.rest.push(a);
    }
  }
  return o;
}

function ps(o: Opts): void {
  const list = entries().filter((e) => {
    const state = alive(e) ? 'running' : 'exited';
    if (o.state ? state !== o.state : !o.all && state !== 'running') return false;
    if (o.name && !o.name.test(e.container)) return false;
    if (o.pod && !podId(e).startsWith(o.pod)) return false;
    return o.labels.every(([k, v]) => labels(e)[k] === v);
  });
  if (o.quiet) {
    for (const e of list) console.log(e.id);
    return;
  }
  if (o.output === 'json') {
    console.log(
      JSON.stringify(
        {
          containers: list.map((e) => ({
            id: e.id,
            podSandboxId: podId(e),
            metadata: { name: e.container, attempt: e.restarts },
            image: { image: e.image },
            state: alive(e) ? 'CONTAINER_RUNNING' : 'CONTAINER_EXITED',
            createdAt: String((e.startedAt ?? 0) * 1e6),
            labels: labels(e),
          })),
        },
        null,
        2,
      ),
    );
    return;
  }
  process.stdout.write(
    table(
      ['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD'],
      list.map((e) => [
        e.id.slice(0, 13),
        e.image.slice(0, 20),
        ago(e.startedAt),
        alive(e) ? 'Running' : 'Exited',
        e.container,
        String(e.restarts),
        podId(e).slice(0, 13),
        podName(e),
      ]),
    ),
  );
}

function pods(o: Opts): void {
  const byPod = new Map<string, Entry[]>();
  for (const e of entries()) byPod.set(podId(e), [...(byPod.get(podId(e)) ?? []), e]);
  const list = [...byPod.entries()].filter(([, es]) => {
    const e = es[0];
    return e !== undefined && (!o.name || o.name.test(podName(e))) && (!o.namespace || e.namespace === o.namespace);
  });
  if (o.quiet) {
    for (const [id] of list) console.log(id);
    return;
  }
  process.stdout.write(
    table(
      ['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT'],
      list.map(([id, es]) => [
        id.slice(0, 13),
        ago(Math.min(...es.map((e) => e.startedAt ?? Date.now()))),
        es.some(alive) ? 'Ready' : 'NotReady',
        podName(es[0] as Entry),
        (es[0] as Entry).namespace,
        '0',
      ]),
    ),
  );
}

function byId(id: string | undefined): Entry {
  if (!id) fail('ID cannot be empty');
  const found = entries().filter((e) => e.id.startsWith(id));
  if (found.length !== 1)
    fail(`rpc error: code = NotFound desc = could not find container "${id}"${found.length > 1 ? ' (ambiguous)' : ''}`);
  return found[0] as Entry;
}

function logs(o: Opts): void {
  const e = byId(o.rest[0]);
  let text = '';
  try {
    text = readFileSync(join(stateDir, 'pods', `${e.namespace}_${e.pod}`, `${e.container}.log`), 'utf8');
  } catch {
    /* no log yet */
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const shown = o.tail !== undefined && o.tail >= 0 ? lines.slice(-o.tail) : lines;
  if (shown.length) console.log(shown.join('\n'));
}

function inspect(o: Opts): void {
  const e = byId(o.rest[0]);
  console.log(
    JSON.stringify(
      {
        status: {
          id: e.id,
          metadata: { name: e.container, attempt: e.restarts },
          state: alive(e) ? 'CONTAINER_RUNNING' : 'CONTAINER_EXITED',
          exitCode: e.exitCode ?? 0,
          image: { image: e.image },
          labels: labels(e),
        },
        info: { pid: alive(e) ? e.pid : 0 },
      },
      null,
      2,
    ),
  );
}

const [cmd, ...rest] = process.argv.slice(2);
const o = parseOpts(rest);
switch (cmd) {
  case 'ps':
    ps(o);
    break;
  case 'pods':
    pods(o);
    break;
  case 'logs':
    logs(o);
    break;
  case 'inspect':
    inspect(o);
    break;
  default:
    fail(`crictl (tsplay lab): unknown command "${cmd ?? ''}" (ps, pods, logs, inspect)`);
}
