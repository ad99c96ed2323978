// etcd_rollback's commands and plan, pure: one probe (the restore record and both manifests), then one command that
// stops kube-apiserver and etcd (each proven gone) and puts the original data dir back. Two round trips per master
// where the separate tasks took nine.
import { shellQuote as q } from '../util/shell-quote.js';
import { splitWords } from '../util/split-words.js';
import {
  gateCommand,
  locateCommand,
  manifestProcessProbes,
  parseLocate,
  pendingProbes,
  planStaticPod,
  type PodPaths,
  type PodWhere,
  portProbe,
  portWaitProbe,
  type Probes,
} from './static-pod-plan.js';

/** Where restore.yaml records what it is about to change on a master (written before the data dir moves). */
export const RESTORE_RECORD = '/var/lib/tsplay/restore-state';

/** The static pods stopped before the data dirs move, in this order: kube-apiserver first, then etcd. */
export const ROLLBACK_PODS = ['kube-apiserver', 'etcd'] as const;

/** The act command's exit code when the kept data dir is missing (checked before anything is stopped). */
export const KEPT_DIR_MISSING = 3;

/** restore.yaml's record: the data dir it replaced and where it kept the original. */
export interface RestoreRecord {
  dataDir: string;
  movedAside: string;
}

const NEXT = '--- tsplay: next ---';

/** Prints the record (or `record=absent`), then each pod's locateCommand output, separated by a marker line. */
export function rollbackProbeCommand(record: string, pods: readonly PodPaths[]): string {
  const r = q(record);
  return [
    `if [ -f ${r} ]; then echo record=present; cat -- ${r}; else echo record=absent; fi`,
    // a newline before each marker: the file before it may not end with one
    ...pods.map((p) => `echo; echo ${q(NEXT)}; ${locateCommand(p)}`),
  ].join('; ');
}

/** What the probe found: the record's text (undefined: no record) and each pod's place and manifest. */
export interface RollbackProbe {
  record: string | undefined;
  pods: Array<{ where: PodWhere; content: string }>;
}

/** Parses rollbackProbeCommand's output (throws when it is not that). */
export function parseRollbackProbe(stdout: string, pods: number): RollbackProbe {
  const parts = stdout.split(`\n${NEXT}\n`);
  const head = parts[0] ?? '';
  if (parts.length !== pods + 1 || !/^record=(present|absent)(\n|$)/.test(head))
    throw new Error(`unexpected output reading the restore record: ${stdout.slice(0, 200)}`);
  return {
    record: head.startsWith('record=present') ? head.slice(head.indexOf('\n') + 1) : undefined,
    pods: parts.slice(1).map((p) => parseLocate(p)),
  };
}

/**
 * Parses the record restore.yaml writes: `key=value` lines, each value one shell word (bare, or single-quoted with
 * `'\''` for a quote), as printf writes the q helper's output. It is read (splitWords), never sourced. Undefined when `data_dir`
 * or `moved_aside` is missing or a value is not such a word.
 */
export function parseRestoreRecord(text: string): RestoreRecord | undefined {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^([a-z_]+)=(.*)$/.exec(line);
    const word = m?.[2] !== undefined ? shellWord(m[2]) : undefined;
    if (!m?.[1] || word === undefined) return undefined;
    values.set(m[1], word);
  }
  const dataDir = values.get('data_dir');
  const movedAside = values.get('moved_aside');
  if (!dataDir?.startsWith('/') || !movedAside?.startsWith('/') || dataDir === movedAside) return undefined;
  return { dataDir, movedAside };
}

/** The value as the one shell word it must be (quotes and backslashes as sh reads them, nothing expanded). */
function shellWord(text: string): string | undefined {
  try {
    const words = splitWords(text);
    return words.length === 1 ? words[0] : undefined;
  } catch {
    return undefined;
  }
}

/** One pod to stop: its paths, where the probe found it, and the probes that prove it gone (process first, then port). */
export interface PodToStop {
  name: string;
  paths: PodPaths;
  where: PodWhere;
  probes: Probes;
}

/**
 * The pods to stop, in ROLLBACK_PODS order, from where the probe found them: each proven gone by its manifest's process
 * (first) and, for etcd, its client port on the host's address closed (no connection to a server shutting down).
 */
export function podsToStop(found: RollbackProbe['pods'], paths: readonly PodPaths[], address: string, port: number): PodToStop[] {
  return ROLLBACK_PODS.map((name, i) => {
    const at = found[i] ?? { where: 'absent' as const, content: '' };
    return {
      name,
      paths: paths[i] ?? { manifest: '', parked: '', parkedDir: '' },
      where: at.where,
      probes: [
        ...manifestProcessProbes(`${name.replace(/\W/g, '_')}_process`, name, at.content),
        ...(name === 'etcd' ? [portWaitProbe('etcd_port', address, port, portProbe(address, port))] : []),
      ],
    };
  });
}

/** What the act command does, for the result and check mode. */
export interface RollbackAct {
  command: string;
  show: string;
  /** Manifests it parks (check mode: where the later steps find them). */
  parks: PodPaths[];
}

/**
 * The one command that puts the original data dir back: refuses (KEPT_DIR_MISSING, nothing stopped) when the kept dir is
 * missing; parks and waits for each pod in order (a pod still up at the timeout ends the command before anything
 * else, printing the probes' states); then keeps the restored data dir as `<data_dir>.failed-<time>`, moves the
 * original back and renames the record. Prints `kept=…` and, last, `swapped=1`.
 */
export function rollbackActCommand(
  rec: RestoreRecord,
  record: string,
  pods: readonly PodToStop[],
  host: string,
  timeoutS: number,
): RollbackAct | { error: string } {
  const lines: string[] = [
    `if [ ! -d ${q(rec.movedAside)} ]; then echo ${q(`the kept data dir ${rec.movedAside} is missing: nothing stopped, nothing moved`)} >&2; exit ${KEPT_DIR_MISSING}; fi`,
  ];
  const parks: PodPaths[] = [];
  for (const pod of pods) {
    const step = planStaticPod('stopped', pod.where, pod.paths, host);
    if ('error' in step) return step;
    if (step.changed) {
      lines.push(`{ ${step.command}; } || exit $?`);
      parks.push(pod.paths);
    }
    if (pod.probes.length) lines.push(gateCommand(pod.probes, timeoutS));
  }
  const data = q(rec.dataDir);
  lines.push(
    'stamp=$(date -u +%Y%m%dT%H%M%S)',
    `if [ -e ${data} ]; then mv -- ${data} ${data}.failed-"$stamp" || exit $?; echo kept=${data}.failed-"$stamp"; fi`,
    `mv -- ${q(rec.movedAside)} ${data} || exit $?`,
    `mv -- ${q(record)} ${q(record)}.rolled-back-"$stamp" || exit $?`,
    'echo swapped=1',
  );
  const names = pods.map((p) => p.name).join(' and ');
  return {
    command: lines.join('\n'),
    show: `stop ${names} (each proven gone), keep ${rec.dataDir} as ${rec.dataDir}.failed-<time>, move ${rec.movedAside} back to ${rec.dataDir}, rename ${record}`,
    parks,
  };
}

/** What the act command printed: done (`swapped=1`, where the restored dir went), or the probes still short of down. */
export function parseRollbackOutput(
  stdout: string,
  pods: readonly PodToStop[],
): { swapped: true; keptAt: string | null } | { swapped: false; pending: Array<{ pod: string; probes: string[] }> } {
  if (/(^|\n)swapped=1(\n|$)/.test(stdout)) return { swapped: true, keptAt: /(^|\n)kept=(.*)/.exec(stdout)?.[2] ?? null };
  // a gate that never ran (a pod before it was still up) printed nothing: only the probes printed as up count
  const pending = pods
    .map((p) => ({ pod: p.name, probes: p.probes.map(([n]) => n).filter((n) => !pendingProbes(stdout, [n], true).length) }))
    .filter((p) => p.probes.length > 0);
  return { swapped: false, pending };
}
