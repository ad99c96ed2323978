// The lab's `oc`: the subcommands the OpenShift backup and recovery procedures use, answered by the lab's operator
// stand-in (LAB_API). Like the real client it needs a kubeconfig (--kubeconfig, KUBECONFIG, ~/.kube/config) whose
// kube-apiserver answers /readyz; otherwise it fails as oc does when the API is down.
//   oc get RESOURCE [NAME...] [-o json|yaml|name|wide|jsonpath=TEMPLATE] [-n NS] [-l KEY=VALUE] [-A]
//   oc patch RESOURCE NAME -p JSON --type=merge
//   oc adm certificate approve CSR...
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { request } from 'node:http';
import { stringify } from 'yaml';
import { parse as parseYaml } from 'yaml';
import { GROUPS, isPending, resourceFor, type ClusterOperator, type Csr, type NodeObject, type StaticPodOperator } from './api-objects.js';
import { jsonpath } from './jsonpath.js';

const api = process.env['LAB_API'] ?? '';

function fail(msg: string, code = 1): never {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
}

interface Args {
  words: string[];
  output: string;
  namespace: string | undefined;
  selector: string | undefined;
  patch: string | undefined;
  patchType: string;
  kubeconfig: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    words: [],
    output: '',
    namespace: undefined,
    selector: undefined,
    patch: undefined,
    patchType: 'strategic',
    kubeconfig: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i] ?? '';
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const [flag, inline] =
      eq > 0
        ? [w.slice(0, eq), w.slice(eq + 1)]
        : w.startsWith('-') && !w.startsWith('--') && w.length > 2 && w[2] === '='
          ? [w.slice(0, 2), w.slice(3)]
          : [w, undefined];
    const value = (): string => inline ?? argv[++i] ?? fail(`error: flag needs an argument: ${flag}`);
    switch (flag) {
      case '-o':
      case '--output':
        a.output = value();
        break;
      case '-n':
      case '--namespace':
        a.namespace = value();
        break;
      case '-l':
      case '--selector':
        a.selector = value();
        break;
      case '-p':
      case '--patch':
        a.patch = value();
        break;
      case '--type':
        a.patchType = value();
        break;
      case '--kubeconfig':
        a.kubeconfig = value();
        break;
      case '-A':
      case '--all-namespaces':
        a.namespace = '';
        break;
      case '--request-timeout':
      case '--as':
        value();
        break;
      default:
        if (w.startsWith('-') && w !== '-') fail(`error: unknown flag: ${w}`);
        a.words.push(w);
    }
  }
  return a;
}

/** The server of the current context of the kubeconfig oc would use. */
function server(a: Args): string {
  const path = a.kubeconfig ?? process.env['KUBECONFIG']?.split(':').find((p) => p && existsSync(p)) ?? `${homedir()}/.kube/config`;
  if (!existsSync(path)) return 'http://localhost:8080';
  const cfg = parseYaml(readFileSync(path, 'utf8')) as {
    clusters?: { name: string; cluster: { server: string } }[];
    contexts?: { name: string; context: { cluster: string } }[];
    'current-context'?: string;
  };
  const ctx = cfg.contexts?.find((c) => c.name === cfg['current-context']) ?? cfg.contexts?.[0];
  const cluster = cfg.clusters?.find((c) => c.name === ctx?.context.cluster) ?? cfg.clusters?.[0];
  if (!cluster?.cluster.server) fail(`error: ${path}: no server in the current context`);
  return cluster.cluster.server;
}

function http(url: string, method: string, body?: string, timeoutMs = 5000): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, timeout: timeoutMs, headers: body === undefined ? {} : { 'content-type': 'application/merge-patch+json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Fails as oc does when the kube-apiserver of the kubeconfig does not serve. */
async function needApiserver(a: Args): Promise<void> {
  const s = server(a);
  const host = new URL(s).host;
  let r: { status: number; text: string };
  try {
    r = await http(new URL('/readyz', s).href, 'GET', undefined, 3000);
  } catch (e) {
    const msg = (e as Error).message;
    if (msg === 'timeout') fail(`Unable to connect to the server: dial tcp ${host}: i/o timeout`);
    fail(`The connection to the server ${host} was refused - did you specify the right host or port?`);
  }
  if (r.status !== 200)
    fail(
      `Error from server (InternalError): an error on the server ("${r.text.trim().split('\n')[0] ?? ''}") has prevented the request from succeeding`,
    );
}

async function apiCall(method: string, path: string, body?: string): Promise<unknown> {
  let r: { status: number; text: string };
  try {
    r = await http(`${api}${path}`, method, body);
  } catch (e) {
    return fail(`Unable to connect to the server: ${(e as Error).message}`);
  }
  const json = JSON.parse(r.text) as { message?: string; reason?: string };
  if (r.status === 404 && json.reason === 'NoResourceType') fail(`error: ${json.message ?? ''}`);
  if (r.status >= 400) fail(`Error from server (${json.reason ?? 'InternalError'}): ${json.message ?? r.text}`);
  return json;
}

const qualified = (resource: string): string => (GROUPS[resource] ? `${resource}.${GROUPS[resource]}` : resource);
const nameOf = (o: unknown): string => (o as { metadata: { name: string } }).metadata.name;

function age(ts: string | undefined): string {
  if (!ts) return '<unknown>';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(ts)) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
}

function table(rows: string[][]): string {
  const head = rows[0] ?? [];
  const width = head.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)) + 3);
  return `${rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(width[i] ?? 0)))
        .join('')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

function defaultTable(resource: string, items: unknown[]): string {
  if (items.length === 0) return '';
  const cond = (list: { type: string; status: string }[] | undefined, type: string): string =>
    list?.find((c) => c.type === type)?.status ?? '';
  switch (resource) {
    case 'clusteroperators':
      return table([
        ['NAME', 'VERSION', 'AVAILABLE', 'PROGRESSING', 'DEGRADED', 'SINCE', 'MESSAGE'],
        ...(items as ClusterOperator[]).map((co) => {
          const c = co.status.conditions;
          return [
            co.metadata.name,
            co.status.versions[0]?.version ?? '',
            cond(c, 'Available'),
            cond(c, 'Progressing'),
            cond(c, 'Degraded'),
            age(c.find((x) => x.type === 'Progressing')?.lastTransitionTime),
            c.find((x) => x.type === 'Degraded' && x.status === 'True')?.message ?? '',
          ];
        }),
      ]);
    case 'certificatesigningrequests':
      return table([
        ['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION'],
        ...(items as Csr[]).map((c) => [
          c.metadata.name,
          age(c.metadata.creationTimestamp),
          c.spec.signerName,
          c.spec.username,
          '<none>',
          isPending(c) ? 'Pending' : 'Approved,Issued',
        ]),
      ]);
    case 'nodes':
      return table([
        ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
        ...(items as NodeObject[]).map((n) => [
          n.metadata.name,
          cond(n.status.conditions, 'Ready') === 'True' ? 'Ready' : 'NotReady',
          'control-plane,master',
          age(n.metadata.creationTimestamp),
          n.status.nodeInfo.kubeletVersion,
        ]),
      ]);
    case 'pods':
      return table([
        ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
        ...(
          items as {
            metadata: { name: string };
            status: { phase: string; containerStatuses: { ready: boolean; restartCount: number }[] };
          }[]
        ).map((p) => [
          p.metadata.name,
          `${p.status.containerStatuses.filter((c) => c.ready).length}/${p.status.containerStatuses.length}`,
          p.status.phase,
          String(p.status.containerStatuses.reduce((s, c) => s + c.restartCount, 0)),
          '<lab>',
        ]),
      ]);
    default:
      return table([['NAME', 'AGE'], ...(items as StaticPodOperator[]).map((o) => [o.metadata.name, age(o.metadata.creationTimestamp)])]);
  }
}

function matchesSelector(o: unknown, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels = (o as { metadata: { labels?: Record<string, string> } }).metadata.labels ?? {};
  return selector.split(',').every((term) => {
    const [k = '', v] = term.split('=');
    return v === undefined ? k in labels : labels[k] === v;
  });
}

async function get(a: Args): Promise<void> {
  const [kind, ...names] = a.words.slice(1);
  if (!kind) fail('error: you must specify the type of resource to get');
  const resource = resourceFor(kind) ?? fail(`error: the server doesn't have a resource type "${kind}"`);
  await needApiserver(a);
  const ns = resource === 'pods' ? `?namespace=${encodeURIComponent(a.namespace ?? 'default')}` : '';
  let items: unknown[];
  let single: unknown;
  if (names.length === 1) {
    single = await apiCall('GET', `/api/${resource}/${encodeURIComponent(names[0] ?? '')}${ns}`);
    items = [single];
  } else if (names.length > 1)
    items = await Promise.all(names.map((n) => apiCall('GET', `/api/${resource}/${encodeURIComponent(n)}${ns}`)));
  else
    items = ((await apiCall('GET', `/api/${resource}${ns}`)) as { items: unknown[] }).items.filter((o) => matchesSelector(o, a.selector));
  const doc = single ?? { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
  const out = a.output;
  if (out === 'json') console.log(JSON.stringify(doc, null, 4));
  else if (out === 'yaml') process.stdout.write(stringify(doc));
  else if (out === 'name') for (const o of items) console.log(`${qualified(resource)}/${nameOf(o)}`);
  else if (out.startsWith('jsonpath=') || out.startsWith('jsonpath-as-json=')) {
    const template = out.slice(out.indexOf('=') + 1).replace(/^'(.*)'$/s, '$1');
    try {
      process.stdout.write(jsonpath(template, doc));
    } catch (e) {
      fail(`error: error parsing jsonpath ${template}, ${(e as Error).message}`);
    }
  } else if (out === '' || out === 'wide') {
    const text = defaultTable(resource, items);
    if (!text)
      process.stderr.write(resource === 'pods' ? `No resources found in ${a.namespace ?? 'default'} namespace.\n` : 'No resources found\n');
    process.stdout.write(text);
  } else
    fail(`error: unable to match a printer suitable for the output format "${out}", allowed formats are: json,jsonpath,name,wide,yaml`);
}

async function patch(a: Args): Promise<void> {
  const [kind, name] = a.words.slice(1);
  if (!kind || !name) fail('error: resource(s) were provided, but no name was specified');
  const resource = resourceFor(kind) ?? fail(`error: the server doesn't have a resource type "${kind}"`);
  if (a.patch === undefined) fail('error: must specify --patch or --patch-file containing the contents of the patch');
  if (a.patchType !== 'merge')
    fail(
      `error: the lab's oc applies --type=merge patches only (got --type=${a.patchType}); the operator resources need --type=merge anyway`,
    );
  try {
    JSON.parse(a.patch);
  } catch (e) {
    fail(`error: unable to parse "${a.patch}": ${(e as Error).message}`);
  }
  await needApiserver(a);
  const r = (await apiCall('PATCH', `/api/${resource}/${encodeURIComponent(name)}`, a.patch)) as { changed: boolean };
  console.log(`${qualified(resource)}/${name} patched${r.changed ? '' : ' (no change)'}`);
}

async function approveCsrs(a: Args): Promise<void> {
  const names = a.words.slice(3);
  if (names.length === 0) fail('error: one or more CSRs must be specified as <name> or -f <filename>');
  await needApiserver(a);
  for (const n of names) {
    const r = (await apiCall('POST', `/api/certificatesigningrequests/${encodeURIComponent(n)}/approval`)) as { changed: boolean };
    console.log(`certificatesigningrequest.certificates.k8s.io/${n} ${r.changed ? 'approved' : 'approved (no change)'}`);
  }
}

async function main(): Promise<void> {
  if (!api) fail('oc (tsplay lab): LAB_API is not set');
  const a = parseArgs(process.argv.slice(2));
  const [verb, w1, w2] = a.words;
  if (verb === 'get') return get(a);
  if (verb === 'patch') return patch(a);
  if (verb === 'adm' && w1 === 'certificate' && w2 === 'approve') return approveCsrs(a);
  if (verb === 'whoami') {
    await needApiserver(a);
    console.log('system:admin');
    return;
  }
  fail(`oc (tsplay lab): "${a.words.join(' ')}" is not one of the commands the lab answers (get, patch, adm certificate approve, whoami)`);
}

await main();
