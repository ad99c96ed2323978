// Edits an etcd static-pod manifest in place: sets flags of the etcd container (adding a flag the manifest lacks,
// as kubeadm's first master lacks --initial-cluster-state) and moves a manifest taken from another master to this
// one's address. Only the edited scalars change: indentation, quoting, comments and every other byte stay as they
// were, whether the flags are under `command:` or `args:`, in block or flow (JSON) style.
import { isMap, isScalar, isSeq, parse, parseDocument, visit, type Node, type Scalar, type YAMLSeq } from 'yaml';

/** What to change. */
export interface ManifestEdit {
  /** Flags to set, without the dashes (`initial-cluster-state` → `existing`); added when absent. */
  set: Record<string, string>;
  /** Replace this address with that one wherever it appears as a whole host (a model from another master). */
  address?: { from: string; to: string } | undefined;
}

/** The edited manifest and one line per change. */
export interface EditedManifest {
  text: string;
  changes: string[];
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

type Range = [number, number, number];
const rangeOf = (n: Node): Range => {
  if (!n.range) throw new Error('YAML node without a source range');
  return n.range;
};

/** A string rendered as a YAML scalar in the given style (plain only when it reads back as the same string). */
function scalarText(value: string, style: Scalar['type']): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'PLAIN' || style === undefined) {
    try {
      if (value !== '' && !/^\s|\s$|[\n#]/.test(value) && parse(value) === value) return value;
    } catch {
      /* not valid as plain: quote it */
    }
  }
  return JSON.stringify(value);
}

/** `from` as a whole host name or address inside a string (not a part of a longer name or number). */
function addressPattern(from: string): RegExp {
  const esc = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.-])${esc}(?![\\w-]|\\.\\w)`, 'g');
}

/** The etcd container: the one named etcd, else the first whose command runs etcd, else the first. */
function etcdContainer(doc: ReturnType<typeof parseDocument>, where: string): Node {
  const containers = doc.getIn(['spec', 'containers'], true);
  if (!isSeq(containers) || containers.items.length === 0)
    throw new Error(`${where} is not a Pod manifest with containers (spec.containers missing)`);
  const items = containers.items.filter(isMap);
  const named = items.find((c) => c.get('name') === 'etcd');
  const runsEtcd = items.find((c) => {
    const cmd = c.get('command', true);
    return isSeq(cmd) && isScalar(cmd.items[0]) && /(^|\/)etcd$/.test(String(cmd.items[0].value));
  });
  const c = named ?? runsEtcd ?? items[0];
  if (!c) throw new Error(`${where}: spec.containers[0] is not a mapping`);
  return c;
}

/** The container's command and args sequences (those it has), with their scalar items. */
function argvNodes(container: Node): Argv[] {
  if (!isMap(container)) return [];
  const out: Argv[] = [];
  for (const key of ['command', 'args'] as const) {
    const seq: unknown = container.get(key, true);
    if (isSeq(seq)) out.push({ key, seq, items: seq.items.filter(isScalar) });
  }
  return out;
}

interface Argv {
  key: 'command' | 'args';
  seq: YAMLSeq;
  items: Scalar[];
}

/** Where a missing flag goes: under args when the flags are there, else at the end of the command. */
function flagList(lists: Argv[]): Argv | undefined {
  const args = lists.find((l) => l.key === 'args' && l.items.some((i) => String(i.value).startsWith('-')));
  return args ?? lists.find((l) => l.key === 'command') ?? lists[0];
}

/** Where flag `name` is set: the scalar holding `--name=value`, or the value item after a bare `--name`. */
function findFlag(lists: Array<{ items: Scalar[] }>, name: string): { node: Scalar; joined: boolean } | undefined {
  for (const { items } of lists) {
    for (const [i, item] of items.entries()) {
      const s = String(item.value);
      if (s === `--${name}` || s === `-${name}`) {
        const next = items[i + 1];
        if (next && !String(next.value).startsWith('-')) return { node: next, joined: false };
      }
      if (s.startsWith(`--${name}=`) || s.startsWith(`-${name}=`)) return { node: item, joined: true };
    }
  }
  return undefined;
}

/** Text to insert after the last item of a sequence so that a new item `text` follows it in the same style. */
function appendAfter(source: string, seq: YAMLSeq, text: string): Splice {
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (!last) throw new Error('cannot add a flag to an empty command/args list');
  const end = rangeOf(last)[1];
  if (seq.flow) return { start: end, end, text: `, ${text}` };
  const lineStart = source.lastIndexOf('\n', rangeOf(last)[0] - 1) + 1;
  const prefix = /^[ \t]*-[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '- ';
  return { start: end, end, text: `\n${prefix}${text}` };
}

/** Applies `edit` to the manifest text; throws when it is not a Pod manifest whose etcd container has a command. */
export function editEtcdManifest(source: string, edit: ManifestEdit, where: string): EditedManifest {
  const doc = parseDocument(source);
  if (doc.errors.length) throw new Error(`${where} is not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  const splices: Splice[] = [];
  const changes: string[] = [];
  const touched = new Set<Scalar>();
  const container = etcdContainer(doc, where);
  const lists = argvNodes(container);
  if (lists.every((l) => l.items.length === 0)) throw new Error(`${where}: the etcd container has no command or args`);
  for (const [flag, value] of Object.entries(edit.set)) {
    const at = findFlag(lists, flag);
    if (at) {
      const want = at.joined ? `${String(at.node.value).slice(0, String(at.node.value).indexOf('=') + 1)}${value}` : value;
      touched.add(at.node); // a flag set here says what it must: the address move below leaves it alone
      if (String(at.node.value) === want) continue;
      const [start, end] = rangeOf(at.node);
      splices.push({ start, end, text: scalarText(want, at.node.type) });
      changes.push(
        `--${flag}=${value} (was ${at.joined ? String(at.node.value).slice(String(at.node.value).indexOf('=') + 1) : String(at.node.value)})`,
      );
    } else {
      const target = flagList(lists);
      if (!target) throw new Error(`${where}: the etcd container has no command or args`);
      const styleOf = target.items[target.items.length - 1]?.type;
      splices.push(appendAfter(source, target.seq, scalarText(`--${flag}=${value}`, styleOf)));
      changes.push(`--${flag}=${value} (added)`);
    }
  }
  if (edit.address && edit.address.from !== edit.address.to) {
    const pattern = addressPattern(edit.address.from);
    const to = edit.address.to;
    let moved = 0;
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value !== 'string' || touched.has(node) || !pattern.test(node.value)) return;
        pattern.lastIndex = 0;
        const [start, end] = rangeOf(node);
        splices.push({ start, end, text: scalarText(node.value.replace(pattern, to), node.type) });
        pattern.lastIndex = 0;
        moved++;
      },
    });
    if (moved) changes.push(`${edit.address.from} → ${to} in ${moved} value${moved === 1 ? '' : 's'}`);
  }
  splices.sort((a, b) => b.start - a.start);
  let text = source;
  for (const s of splices) text = text.slice(0, s.start) + s.text + text.slice(s.end);
  const check = parseDocument(text);
  if (check.errors.length)
    throw new Error(`${where}: editing the manifest produced invalid YAML (${check.errors[0]?.message.split('\n')[0] ?? ''})`);
  return { text, changes };
}
